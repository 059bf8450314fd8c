/**
 * Deliberately broken behaviour for proving that the chaos checker catches what it claims to
 * (docs/reliability.md). Never on outside tests: a switch set while MSCHED_ENV is not "test" stops
 * the dispatcher at start-up.
 */
export interface TestFaults {
  /** Acknowledge a task update to Mesos before writing it (and do not ask again when the write fails). */
  ackBeforeWrite: boolean;
}

export const ACK_BEFORE_WRITE_VAR = 'MSCHED_TEST_FAULT_ACK_BEFORE_WRITE';

export function readTestFaults(env: NodeJS.ProcessEnv, environment: string): TestFaults {
  const raw = env[ACK_BEFORE_WRITE_VAR];
  const ackBeforeWrite = raw !== undefined && raw !== '' && raw !== '0';
  if (ackBeforeWrite && environment !== 'test') {
    throw new Error(`${ACK_BEFORE_WRITE_VAR} is a test-only fault switch that breaks the dispatcher on purpose; it is refused unless MSCHED_ENV=test (MSCHED_ENV is ${environment})`);
  }
  return { ackBeforeWrite };
}
