/**
 * Ordered list of schema migrations. Each migration is a class in this folder named
 * `<timestamp>-<what>.ts`; add new ones at the end, never edit an applied one.
 */
export const migrations: Function[] = [];
