export * from './dead-stage-runs';
export * from './replay';
