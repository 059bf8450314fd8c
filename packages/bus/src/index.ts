export * from './topics';
export * from './kafka';
export * from './kafka-security';
export * from './envelope';
export * from './consumer';
export * from './consumer-lag';
export { fixKafkajsIdleTimer, KafkajsRequestQueue } from './kafkajs-idle-timer';
