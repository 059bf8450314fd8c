export * from './backoff';
export * from './publisher';
export * from './listener';
export * from './relay';
