export { demoServiceEnv, type DemoPlaces } from './service-env';
