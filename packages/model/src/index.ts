export * from './glossary';
export * from './gang';
export * from './events';
export * from './messages';
export * from './stage-work';
export * from './dead-letter';
export * from './workflow-events';
