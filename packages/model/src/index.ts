export * from './glossary';
export * from './gang';
export * from './events';
export * from './messages';
export * from './workflow-events';
