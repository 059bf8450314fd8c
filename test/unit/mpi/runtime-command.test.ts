import assert from 'node:assert/strict';
import { loadConfig } from '@msched/config';
import { buildGangTaskCommand, isRankWrapperProcess, rankCommandOf, RUNTIME_FILE, type GangTaskJob, type GangTaskPlacement } from '@msched/mpi';

const cfg = loadConfig({ MSCHED_ZK_CONNECT: 'zk1:2181' });
const settings = { zookeeper: cfg.zookeeper, mpi: cfg.mpi };
const job: GangTaskJob = {
  jobId: 'job-1', processId: 'proc-1', experimentId: 'exp-1', gatewayId: 'gw', attempt: 1, ranks: 2, wallTimeSeconds: 60, flavour: 'openmpi', argv: ['/opt/app/sim'],
};
const placement: GangTaskPlacement = { index: 0, memberCount: 1, slots: 2, port: 31001, hostname: 'node-a', agentId: 'agent-a', taskId: 'job-1.0' };
const uri = `http://dispatcher.example.org:9933/runtime/msched-task-${'a'.repeat(64)}`;

describe('mpi: tasks run the fetched runtime from their sandbox', () => {
  it('fetches msched-task as a cached executable URI and runs ./msched-task gang-task, shell-free', () => {
    const command = buildGangTaskCommand(job, placement, settings, { uri });
    assert.equal(command.shell, false);
    assert.equal(RUNTIME_FILE, 'msched-task');
    assert.equal(command.value, './msched-task');
    assert.deepEqual(command.arguments, ['./msched-task', 'gang-task']);
    assert.deepEqual(command.uris, [{ value: uri, executable: true, extract: false, cache: true, output_file: 'msched-task' }]);
  });

  it('an installed runner fetches nothing', () => {
    const command = buildGangTaskCommand(job, placement, settings, { node: '/usr/bin/node', distDir: '/opt/msched/mpi/dist' });
    assert.equal(command.uris, undefined);
    assert.equal(command.value, '/usr/bin/node');
  });
});

describe('mpi: which processes are rank wrappers (what bench:mpi samples)', () => {
  it('the native wrapper wherever it runs from, and the node one; not the remote shell or the helper', () => {
    assert.equal(isRankWrapperProcess(['/tmp/msched-runtime-0/8d13dbf8f0aae6a8/msched-rank-exec', '/tmp/msched-runtime-0/8d13dbf8f0aae6a8/msched-task', 'rank-helper', '/app']), true);
    assert.equal(isRankWrapperProcess(['/opt/msched/packages/mpi/dist/msched-rank-exec', '--yield-when-idle', '/x.so', '/usr/bin/node']), true);
    assert.equal(isRankWrapperProcess(['/usr/bin/node', '/opt/msched/packages/mpi/dist/rank-wrapper.js', '/app']), true);
    assert.equal(isRankWrapperProcess(['/sb/.msched/msched-remote-shell', '-x', 'agent2', 'hydra_pmi_proxy']), false);
    assert.equal(isRankWrapperProcess(['/tmp/msched-runtime-0/8d13dbf8f0aae6a8/msched-task', 'rank-helper', 'prepare']), false);
    assert.equal(isRankWrapperProcess([]), false);
  });
});

describe('mpi: the rank command line', () => {
  const programs = { remoteShellPath: '/sb/.msched/msched-remote-shell', nativeRemoteShell: true, rankCommand: ['/rt/msched-rank-exec', '/rt/msched-task', 'rank-helper'], mpiYieldShim: '/rt/msched-mpi-yield.so' };

  it('gives the wrapper the yield shim only when asked, right after the wrapper', () => {
    assert.deepEqual(rankCommandOf(programs, { yieldWhenIdle: true }), ['/rt/msched-rank-exec', '--yield-when-idle', '/rt/msched-mpi-yield.so', '/rt/msched-task', 'rank-helper']);
    assert.deepEqual(rankCommandOf(programs, { yieldWhenIdle: false }), programs.rankCommand);
  });

  it('leaves the node wrapper (no shim built) as it is', () => {
    const node = { remoteShellPath: '/sb/.msched/msched-remote-shell', nativeRemoteShell: false, rankCommand: ['/usr/bin/node', '/opt/dist/rank-wrapper.js'] };
    assert.deepEqual(rankCommandOf(node, { yieldWhenIdle: true }), node.rankCommand);
  });
});
