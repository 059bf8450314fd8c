import assert from 'node:assert/strict';
import { buildLaunchCommand, type LaunchPlan } from '@msched/mpi';

const base: LaunchPlan = {
  flavour: 'openmpi',
  launcherPath: '/usr/bin/mpirun.openmpi',
  hostfilePath: '/sb/msched-hostfile',
  ranks: 4,
  remoteShellPath: '/sb/.msched/msched-remote-shell',
  rankCommand: ['/usr/bin/node', '/opt/msched/rank-wrapper.js', '/opt/app/sim', '--in', '; rm -rf /'],
  interfaces: [],
  openmpiBtl: '',
  runningAsRoot: false,
};

/** The value following an option in argv. */
function after(argv: readonly string[], option: string, value?: string): string | undefined {
  for (let i = 0; i < argv.length - 1; i++) {
    if (argv[i] === option && (value === undefined || argv[i + 1] === value)) return value === undefined ? argv[i + 1] : argv[i + 2];
  }
  return undefined;
}

describe('mpi: launcher command lines', () => {
  it('OpenMPI: relay as the rsh agent, hostfile, -np, no prefix, no binding, rank command last', () => {
    const { argv, env } = buildLaunchCommand(base);
    assert.equal(argv[0], '/usr/bin/mpirun.openmpi');
    assert.equal(after(argv, '--hostfile'), '/sb/msched-hostfile');
    assert.equal(after(argv, '-np'), '4');
    assert.equal(after(argv, '--mca', 'plm_rsh_agent'), '/sb/.msched/msched-remote-shell');
    assert.equal(after(argv, '--mca', 'plm_rsh_no_tree_spawn'), '1');
    assert.ok(argv.includes('--leave-session-attached') && argv.includes('--noprefix'));
    assert.equal(after(argv, '--bind-to'), 'none');
    assert.equal(after(argv, '--wdir'), '/');
    assert.equal(after(argv, '--mca', 'rtc_hwloc_vmhole'), 'none');
    assert.deepEqual(argv.slice(-5), base.rankCommand);
    assert.equal(after(argv, '--mca', 'btl'), undefined, 'OpenMPI keeps its default transports on a real cluster');
    assert.deepEqual(env, {});
  });

  it('OpenMPI: interfaces and transports for the one-machine cluster, and the root opt-in', () => {
    const { argv, env } = buildLaunchCommand({ ...base, interfaces: ['lo'], openmpiBtl: 'tcp,self', runningAsRoot: true });
    assert.equal(after(argv, '--mca', 'btl'), 'tcp,self');
    assert.equal(after(argv, '--mca', 'btl_tcp_if_include'), 'lo');
    assert.equal(after(argv, '--mca', 'oob_tcp_if_include'), 'lo');
    assert.deepEqual(env, { OMPI_ALLOW_RUN_AS_ROOT: '1', OMPI_ALLOW_RUN_AS_ROOT_CONFIRM: '1' });
  });

  it('MPICH: ssh launcher replaced by the relay, each rank keeps its agent\'s environment', () => {
    const { argv, env } = buildLaunchCommand({ ...base, flavour: 'mpich', launcherPath: '/usr/bin/mpiexec.hydra', launcherAddress: '127.0.0.1', interfaces: ['lo', 'eth0'], controlPort: 31005 });
    assert.equal(argv[0], '/usr/bin/mpiexec.hydra');
    assert.equal(after(argv, '-f'), '/sb/msched-hostfile');
    assert.equal(after(argv, '-n'), '4');
    assert.equal(after(argv, '-launcher'), 'ssh');
    assert.equal(after(argv, '-launcher-exec'), '/sb/.msched/msched-remote-shell');
    assert.ok(argv.includes('-genvnone'));
    assert.equal(after(argv, '-localhost'), '127.0.0.1');
    assert.equal(after(argv, '-iface'), 'lo');
    assert.equal(after(argv, '-wdir'), '/');
    assert.deepEqual(argv.slice(-5), base.rankCommand);
    assert.deepEqual(env, { MPIEXEC_PORT_RANGE: '31005:31005' });
  });

  it('refuses a launch without ranks or without a rank command', () => {
    assert.throws(() => buildLaunchCommand({ ...base, ranks: 0 }), /0 ranks/);
    assert.throws(() => buildLaunchCommand({ ...base, rankCommand: [] }), /no rank command/);
  });
});
