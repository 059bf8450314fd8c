/** @msched/chaos: the pure parts of the chaos harness (schedule, arguments, checker), for tests. */
export * from './args';
export * from './checker';
export * from './fit-at-kill';
export * from './histories';
export * from './rng';
export * from './schedule';
export { renderTable } from './table';
export { fuzzCase } from './fuzz';
