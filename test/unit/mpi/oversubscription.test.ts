import assert from 'node:assert/strict';
import { buildLaunchCommand, oversubscribedMachines, parseMemberRecord, type LaunchPlan } from '@msched/mpi';

const member = (hostname: string, slots: number, machine?: string, cores?: number) => ({ hostname, slots, machine, cores });

describe('mpi: oversubscribed machines', () => {
  it('two agents of one machine (the local cluster) with more ranks than its cores', () => {
    assert.deepEqual(oversubscribedMachines([member('agent1', 2, 'boot-a', 2), member('agent2', 2, 'boot-a', 2)]),
      [{ machine: 'boot-a', hostnames: ['agent1', 'agent2'], ranks: 4, cores: 2 }]);
  });

  it('one agent advertising more cpus than its machine has', () => {
    assert.deepEqual(oversubscribedMachines([member('big', 8, 'boot-a', 4), member('other', 2, 'boot-b', 4)]).map((o) => o.hostnames), [['big']]);
  });

  it('ranks within the cores of each machine: not oversubscribed', () => {
    assert.deepEqual(oversubscribedMachines([member('agent1', 1, 'boot-a', 2), member('agent2', 1, 'boot-a', 2)]), []);
    assert.deepEqual(oversubscribedMachines([member('n1', 4, 'boot-a', 4), member('n2', 4, 'boot-b', 4)]), []);
  });

  it('the fewest cores any task of a machine sees is what they share', () => {
    assert.equal(oversubscribedMachines([member('a1', 2, 'm', 4), member('a2', 2, 'm', 3)])[0]?.cores, 3);
  });

  it('members of older tasks without machine facts are never judged', () => {
    assert.deepEqual(oversubscribedMachines([member('agent1', 64), member('agent2', 64, undefined, 2)]), [{ machine: 'host:agent2', hostnames: ['agent2'], ranks: 64, cores: 2 }]);
    assert.deepEqual(oversubscribedMachines([member('a1', 3, 'm'), member('a2', 3, 'm', 4)]), []);
  });
});

describe('mpi: member records carry the machine facts', () => {
  const base = { index: 0, hostname: 'agent1', agentId: 'S0', taskId: 't', slots: 2, pid: 10 };
  it('keeps machine and cores, and accepts records without them', () => {
    assert.deepEqual(parseMemberRecord(JSON.stringify({ ...base, machine: 'boot-a', cores: 2 })), { ...base, port: undefined, machine: 'boot-a', cores: 2 });
    assert.equal(parseMemberRecord(JSON.stringify(base)).cores, undefined);
  });
  it('rejects a malformed machine or core count', () => {
    assert.throws(() => parseMemberRecord(JSON.stringify({ ...base, cores: 0 })), /cores/);
    assert.throws(() => parseMemberRecord(JSON.stringify({ ...base, cores: '2' })), /cores/);
    assert.throws(() => parseMemberRecord(JSON.stringify({ ...base, machine: '' })), /machine/);
  });
});

describe('mpi: an oversubscribed launch tells MPI to yield', () => {
  const plan: LaunchPlan = {
    flavour: 'openmpi', launcherPath: '/usr/bin/mpirun.openmpi', hostfilePath: '/sb/h', ranks: 4, remoteShellPath: '/sb/relay',
    rankCommand: ['/usr/bin/node', '/opt/rank-wrapper.js', '/usr/bin/hpcc'], interfaces: [], openmpiBtl: '', runningAsRoot: false,
  };
  const yieldOf = (argv: string[]) => argv[argv.indexOf('mpi_yield_when_idle') + 1];
  it('OpenMPI: mpi_yield_when_idle=1 only when oversubscribed', () => {
    assert.equal(yieldOf(buildLaunchCommand({ ...plan, oversubscribed: true }).argv), '1');
    assert.ok(!buildLaunchCommand(plan).argv.includes('mpi_yield_when_idle'));
    assert.ok(!buildLaunchCommand({ ...plan, oversubscribed: false }).argv.includes('mpi_yield_when_idle'));
  });
});
