/** Every TypeORM entity of the job database (filled in by the persistence work, issue 3). */
export const entities: Function[] = [];
