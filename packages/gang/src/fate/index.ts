export * from './types';
export * from './failure-classifier';
export * from './gang-fate';
