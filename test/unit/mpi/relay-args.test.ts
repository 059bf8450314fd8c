import assert from 'node:assert/strict';
import { isMpiDaemon, parseRelayArgs, RelayUsageError } from '@msched/mpi';

describe('mpi: relay arguments (called like ssh)', () => {
  it('reads OpenMPI\'s call: host then the command words', () => {
    assert.deepEqual(parseRelayArgs(['agent2', ' orted', '-mca', 'ess', '"env"']), { host: 'agent2', command: ' orted -mca ess "env"' });
  });

  it('skips Hydra\'s -x and ssh options with values, and a user@ prefix', () => {
    assert.deepEqual(parseRelayArgs(['-x', 'agent1', '"/usr/bin/hydra_pmi_proxy"', '--proxy-id', '0']), { host: 'agent1', command: '"/usr/bin/hydra_pmi_proxy" --proxy-id 0' });
    assert.deepEqual(parseRelayArgs(['-p', '2222', '-o', 'BatchMode=yes', '-T', 'mpi@agent3', 'orted']), { host: 'agent3', command: 'orted' });
    assert.deepEqual(parseRelayArgs(['--', 'agent4', 'orted']), { host: 'agent4', command: 'orted' });
  });

  it('fails clearly without a host or a command', () => {
    assert.throws(() => parseRelayArgs(['-x']), RelayUsageError);
    assert.throws(() => parseRelayArgs(['agent1']), /no command for agent1/);
  });

  it('accepts only MPI daemons as relayed commands', () => {
    assert.equal(isMpiDaemon(['orted', '-mca']), true);
    assert.equal(isMpiDaemon(['/usr/bin/hydra_pmi_proxy']), true);
    assert.equal(isMpiDaemon(['/bin/sh', '-c', 'orted']), false);
    assert.equal(isMpiDaemon(['/tmp/orted-evil/sh']), false);
    assert.equal(isMpiDaemon([]), false);
  });
});
