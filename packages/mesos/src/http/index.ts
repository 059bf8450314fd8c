export * from './redirect';
export * from './request';
