export * from './client';
export * from './ruok';
export * from './leader-election';
export * from './renewing-session';
