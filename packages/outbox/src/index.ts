export * from './publisher';
export * from './listener';
export * from './relay';
