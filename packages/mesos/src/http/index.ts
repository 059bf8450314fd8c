export * from './redirect';
export * from './request';
export * from './credential';
