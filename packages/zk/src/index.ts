export * from './client';
export * from './ruok';
