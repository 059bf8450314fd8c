export * from './record-transition';
export * from './workflow';
