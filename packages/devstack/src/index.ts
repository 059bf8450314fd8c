export * from './postgres';
export * from './kafka';
export * from './ports';
export * from './local-services';
