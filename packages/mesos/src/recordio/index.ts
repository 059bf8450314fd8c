export * from './decoder';
export * from './encoder';
