import assert from 'node:assert/strict';
import { operatorHint } from '@msched/gang';

describe('gang: failures Mesos reports get a hint an operator can act on', () => {
  it('a fetch failure says to check the URI and where the runtime is configured', () => {
    const hint = operatorHint({ reason: 'REASON_CONTAINER_LAUNCH_FAILED', message: "Failed to launch container: Failed to fetch all URIs for container 'c': http://x/msched-task-1: download failed with HTTP 404" });
    assert.match(hint, /check that the agents reach that URI/);
    assert.match(hint, /MSCHED_RUNTIME_URI/);
  });

  it('other failures get none', () => {
    assert.equal(operatorHint({ reason: 'REASON_CONTAINER_LAUNCH_FAILED', message: 'the local cluster has no Docker containerizer' }), '');
    assert.equal(operatorHint({ reason: 'REASON_COMMAND_EXECUTOR_FAILED', message: 'fetch' }), '');
  });
});
