export * from './registry';
export * from './run';
export * from './output/table';
export { COMMAND_GROUPS } from './commands';
