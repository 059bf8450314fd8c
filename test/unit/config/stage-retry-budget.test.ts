import assert from 'node:assert/strict';
import { loadConfig } from '@msched/config';
import { backoffDelay } from '@msched/retry';

/**
 * Found by the 30-minute chaos run: a COMPLETED gang's process FAILED because collecting its
 * outputs ("no files endpoint answered") ran out of its 5 attempts, about 15 s of retries, while a
 * Mesos master failed over and its agents registered again. A Mesos master takes an agent for gone
 * only after 75 s of missed pings (agent_ping_timeout x max_agent_ping_timeouts); the stage's
 * default retries must outlast that, plus the agents' re-registration.
 */
describe('config: the provisioning stages\' default retries', () => {
  it('span more than two minutes, at the shortest jitter', () => {
    const p = loadConfig({}).provisioner;
    const policy = { initialMs: p.stageBackoffInitialMs, maxMs: p.stageBackoffMaxMs, multiplier: 2, jitter: 0.2 };
    let total = 0;
    for (let retry = 0; retry < p.stageMaxAttempts - 1; retry++) total += backoffDelay(retry, policy, () => 0);
    assert.ok(total > 120_000, `the retries span ${total} ms`);
  });
});
