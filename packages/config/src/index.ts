export * from './settings';
export { schema } from './schema';
export type { Schema } from './schema';
export * from './load';
