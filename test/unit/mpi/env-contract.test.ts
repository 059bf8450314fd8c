import assert from 'node:assert/strict';
import { loadConfig } from '@msched/config';
import { buildGangTaskCommand, GANG_ENV, GangEnvError, parseGangTaskEnv, type GangTaskJob, type GangTaskPlacement } from '@msched/mpi';

const cfg = loadConfig({ MSCHED_ZK_CONNECT: 'zk1:2181,zk2:2181', MSCHED_ZK_ROOT: '/msched', MSCHED_MPI_NETWORK_INTERFACES: 'eth1', MSCHED_MPI_RENDEZVOUS_TIMEOUT_SECONDS: '30', MSCHED_MPI_ZK_RETRY_SECONDS: '45' });
const settings = { zookeeper: cfg.zookeeper, mpi: cfg.mpi };
const job: GangTaskJob = {
  jobId: 'job-1', processId: 'proc-1', experimentId: 'exp-1', gatewayId: 'gw', attempt: 2, ranks: 4, wallTimeSeconds: 600,
  flavour: 'openmpi', argv: ['/opt/app/sim', '; rm -rf /', '$(x)'], env: { OMP_NUM_THREADS: '1' },
};
const placement: GangTaskPlacement = { index: 1, memberCount: 2, slots: 2, port: 31001, hostname: 'node-b', agentId: 'agent-b', taskId: 'job-1-t1' };

function envOf(command: ReturnType<typeof buildGangTaskCommand>, extra: Record<string, string> = {}): Record<string, string> {
  return { ...Object.fromEntries(command.environment.variables.map((v) => [v.name, v.value])), ...extra };
}

describe('mpi: gang task command and its environment contract', () => {
  it('builds a shell-free CommandInfo running gang-task.js under the runner\'s node', () => {
    const command = buildGangTaskCommand(job, placement, settings, { node: '/opt/node/bin/node', distDir: '/opt/msched/mpi/dist' });
    assert.equal(command.shell, false);
    assert.equal(command.value, '/opt/node/bin/node');
    assert.deepEqual(command.arguments, ['/opt/node/bin/node', '/opt/msched/mpi/dist/gang-task.js']);
    assert.ok(command.environment.variables.every((v) => typeof v.value === 'string'));
  });

  it('round-trips through parseGangTaskEnv, taking the sandbox from Mesos', () => {
    const gang = parseGangTaskEnv(envOf(buildGangTaskCommand(job, placement, settings), { MESOS_SANDBOX: '/var/lib/mesos/sb/1' }));
    assert.deepEqual(gang.zk.connect, ['zk1:2181', 'zk2:2181']);
    assert.equal(gang.rendezvousPath, '/msched/rendezvous/job-1/2');
    assert.equal(gang.rendezvousTimeoutMs, 30000);
    assert.equal(gang.zk.retryMs, 45000, 'the dispatcher\'s setting reaches the tasks');
    assert.deepEqual(gang.member, { index: 1, count: 2, slots: 2, port: 31001, hostname: 'node-b', agentId: 'agent-b', taskId: 'job-1-t1' });
    assert.equal(gang.isLauncher, false);
    assert.equal(gang.ranks, 4);
    assert.equal(gang.sandbox, '/var/lib/mesos/sb/1');
    assert.deepEqual(gang.app.argv, job.argv);
    assert.deepEqual(gang.app.env, { OMP_NUM_THREADS: '1' });
    assert.equal(gang.wallTimeSeconds, 600);
    assert.deepEqual(gang.job, { jobId: 'job-1', processId: 'proc-1', experimentId: 'exp-1', gatewayId: 'gw', attempt: 2 });
    assert.deepEqual(gang.mpi, { launcherPath: '/usr/bin/mpirun.openmpi', interfaces: ['eth1'], openmpiBtl: '', launcherAddress: undefined });
  });

  it('prefers our variables over Mesos\' and marks task 0 as the launcher', () => {
    const env = envOf(buildGangTaskCommand(job, { ...placement, index: 0 }, settings), { MSCHED_GANG_SANDBOX: '/ours', MESOS_SANDBOX: '/mesos', MESOS_TASK_ID: 'mesos-task' });
    const gang = parseGangTaskEnv(env);
    assert.equal(gang.sandbox, '/ours');
    assert.equal(gang.member.taskId, 'job-1-t1');
    assert.equal(gang.isLauncher, true);
    delete env[GANG_ENV.taskId];
    assert.equal(parseGangTaskEnv(env).member.taskId, 'mesos-task');
  });

  it('lists every problem at once', () => {
    const env = envOf(buildGangTaskCommand(job, placement, settings), { MESOS_SANDBOX: '/sb' });
    const problems = (() => {
      try {
        parseGangTaskEnv({ ...env, [GANG_ENV.taskIndex]: '7', [GANG_ENV.appArgv]: '"/bin/sh -c x"', [GANG_ENV.flavour]: 'lam', [GANG_ENV.zkConnect]: 'nohost', MESOS_SANDBOX: undefined });
      } catch (e) {
        assert.ok(e instanceof GangEnvError);
        return e.problems.join('\n');
      }
      assert.fail('accepted');
    })();
    assert.match(problems, /MSCHED_GANG_TASK_INDEX=7 is out of range for MSCHED_GANG_MEMBER_COUNT=2/);
    assert.match(problems, /MSCHED_GANG_APP_ARGV must be a non-empty JSON array of strings/);
    assert.match(problems, /MSCHED_GANG_MPI_FLAVOUR="lam" is invalid/);
    assert.match(problems, /MSCHED_GANG_ZK_CONNECT="nohost" is invalid/);
    assert.match(problems, /MSCHED_GANG_SANDBOX \(or MESOS_SANDBOX, MESOS_DIRECTORY\) is not set/);
  });

  it('holds a serial job to one task and one rank, and needs no MPI launcher for it', () => {
    const serial = { ...job, flavour: 'none' as const, ranks: 1 };
    const gang = parseGangTaskEnv(envOf(buildGangTaskCommand(serial, { ...placement, index: 0, memberCount: 1, slots: 1 }, settings), { MESOS_SANDBOX: '/sb' }));
    assert.equal(gang.flavour, 'none');
    assert.equal(gang.mpi.launcherPath, '');
    assert.throws(() => parseGangTaskEnv(envOf(buildGangTaskCommand(serial, { ...placement, index: 0, memberCount: 1, slots: 2 }, settings), { MESOS_SANDBOX: '/sb' })), /serial job/);
  });

  it('refuses argv and environment values no program could receive', () => {
    const env = envOf(buildGangTaskCommand(job, placement, settings), { MESOS_SANDBOX: '/sb' });
    assert.throws(() => parseGangTaskEnv({ ...env, [GANG_ENV.appArgv]: JSON.stringify(['a\u0000b']) }), /without NUL/);
    assert.throws(() => parseGangTaskEnv({ ...env, [GANG_ENV.appEnv]: JSON.stringify({ 'BAD NAME': 'x' }) }), /invalid variable name/);
    assert.throws(() => parseGangTaskEnv({ ...env, [GANG_ENV.stdin]: '../../etc/passwd' }), /inside the sandbox/);
  });

  it('refuses, at the dispatcher, settings the task would refuse at start', () => {
    const bad = loadConfig({ MSCHED_MPI_NETWORK_INTERFACES: 'eth0;reboot', MSCHED_MPI_OPENMPI_BTL: 'tcp self' });
    assert.throws(() => buildGangTaskCommand(job, placement, { zookeeper: bad.zookeeper, mpi: bad.mpi }), (e: Error) =>
      e instanceof GangEnvError && /MSCHED_GANG_MPI_INTERFACES/.test(e.message) && /MSCHED_GANG_OPENMPI_BTL/.test(e.message));
    assert.throws(() => buildGangTaskCommand({ ...job, flavour: 'none' }, placement, settings), /serial job/);
  });

  it('refuses a job id that is not a znode name and an out-of-range task', () => {
    assert.throws(() => buildGangTaskCommand({ ...job, jobId: 'a/b' }, placement, settings), /cannot be a znode name/);
    assert.throws(() => buildGangTaskCommand(job, { ...placement, index: 2 }, settings), /out of range/);
    assert.throws(() => buildGangTaskCommand({ ...job, argv: [] }, placement, settings), /argv is empty/);
  });
});
