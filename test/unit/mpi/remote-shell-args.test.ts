import assert from 'node:assert/strict';
import { isMpiDaemon, parseRemoteShellArgs, RemoteShellUsageError } from '@msched/mpi';

describe('mpi: remote shell arguments (called like ssh)', () => {
  it('reads OpenMPI\'s call: host then the command words', () => {
    assert.deepEqual(parseRemoteShellArgs(['agent2', ' orted', '-mca', 'ess', '"env"']), { host: 'agent2', command: ' orted -mca ess "env"' });
  });

  it('skips Hydra\'s -x and ssh options with values, and a user@ prefix', () => {
    assert.deepEqual(parseRemoteShellArgs(['-x', 'agent1', '"/usr/bin/hydra_pmi_proxy"', '--proxy-id', '0']), { host: 'agent1', command: '"/usr/bin/hydra_pmi_proxy" --proxy-id 0' });
    assert.deepEqual(parseRemoteShellArgs(['-p', '2222', '-o', 'BatchMode=yes', '-T', 'mpi@agent3', 'orted']), { host: 'agent3', command: 'orted' });
    assert.deepEqual(parseRemoteShellArgs(['--', 'agent4', 'orted']), { host: 'agent4', command: 'orted' });
  });

  it('fails clearly without a host or a command', () => {
    assert.throws(() => parseRemoteShellArgs(['-x']), RemoteShellUsageError);
    assert.throws(() => parseRemoteShellArgs(['agent1']), /no command for agent1/);
  });

  it('accepts only MPI daemons as commands through the remote shell', () => {
    assert.equal(isMpiDaemon(['orted', '-mca']), true);
    assert.equal(isMpiDaemon(['/usr/bin/hydra_pmi_proxy']), true);
    assert.equal(isMpiDaemon(['/bin/sh', '-c', 'orted']), false);
    assert.equal(isMpiDaemon(['/tmp/orted-evil/sh']), false);
    assert.equal(isMpiDaemon([]), false);
  });
});
