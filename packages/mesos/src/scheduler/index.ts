export * from './heartbeat-watchdog';
export * from './subscription-stream';
export * from './scheduler-client';
