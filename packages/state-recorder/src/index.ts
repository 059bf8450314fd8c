export * from './record-transition';
