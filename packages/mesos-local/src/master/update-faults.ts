/**
 * Faults applied to agent status updates on their way from the master to a framework, for tests of
 * a scheduler's robustness: a delay (updates still arrive in order) and duplication (each update
 * sent twice; the second acknowledgement is then for a uuid the agent no longer waits for).
 */
export class UpdateFaults {
  delayMs = 0;
  duplicate = false;
}
