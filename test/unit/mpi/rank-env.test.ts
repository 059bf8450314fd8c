import assert from 'node:assert/strict';
import { applicationEnv, buildGangTaskCommand, parseGangTaskEnv, rankIdentityOf, TAG_VARIABLE } from '@msched/mpi';
import { loadConfig } from '@msched/config';

const cfg = loadConfig({});
const command = buildGangTaskCommand(
  { jobId: 'j1', processId: 'p1', experimentId: 'e1', gatewayId: 'g1', attempt: 1, ranks: 4, wallTimeSeconds: 0, flavour: 'mpich', argv: ['/app'], env: { APP_MODE: 'x', MSCHED_JOB_ID: 'forged' } },
  { index: 1, memberCount: 2, slots: 2, hostname: 'agent2', agentId: 'a2', taskId: 't2' },
  { zookeeper: cfg.zookeeper, mpi: cfg.mpi },
);
const taskEnv: Record<string, string> = { ...Object.fromEntries(command.environment.variables.map((v) => [v.name, v.value])), MESOS_SANDBOX: '/sb/2', PATH: '/usr/bin' };
const gang = parseGangTaskEnv(taskEnv);

describe('mpi: rank identity and the application environment', () => {
  it('reads the rank from OpenMPI or MPICH variables', () => {
    assert.deepEqual(rankIdentityOf({ OMPI_COMM_WORLD_RANK: '3', OMPI_COMM_WORLD_SIZE: '4', OMPI_COMM_WORLD_LOCAL_RANK: '1' }), { rank: 3, size: 4, localRank: 1 });
    assert.deepEqual(rankIdentityOf({ PMI_RANK: '2', PMI_SIZE: '4', MPI_LOCALRANKID: '0' }), { rank: 2, size: 4, localRank: 0 });
    assert.equal(rankIdentityOf({ PMI_RANK: 'x', PMI_SIZE: '4' }), undefined);
    assert.equal(rankIdentityOf({}), undefined);
  });

  it('gives the application rank counts, the job ids and the sandbox; the app spec cannot forge them', () => {
    const env = applicationEnv({ ...taskEnv, PMI_RANK: '2', [TAG_VARIABLE]: 'tag' }, gang, { rank: 2, size: 4, localRank: 0 });
    assert.equal(env.MSCHED_RANK, '2');
    assert.equal(env.MSCHED_RANKS, '4');
    assert.equal(env.MSCHED_LOCAL_RANKS, '2');
    assert.equal(env.MSCHED_NODES, '2');
    assert.equal(env.MSCHED_JOB_ID, 'j1');
    assert.equal(env.MSCHED_EXPERIMENT_ID, 'e1');
    assert.equal(env.MSCHED_PROCESS_ID, 'p1');
    assert.equal(env.MSCHED_SANDBOX, '/sb/2');
    assert.equal(env.MSCHED_AGENT_HOSTNAME, 'agent2');
    assert.equal(env.APP_MODE, 'x');
    assert.equal(env.PMI_RANK, '2', 'the MPI daemon\'s variables must reach the rank');
    assert.equal(env.PATH, '/usr/bin');
  });

  it('keeps our internal contract out of the application\'s environment, except the cleanup tag', () => {
    const env = applicationEnv({ ...taskEnv, [TAG_VARIABLE]: 'tag' }, gang, { rank: 0, size: 4, localRank: 0 });
    assert.deepEqual(Object.keys(env).filter((k) => k.startsWith('MSCHED_GANG_')), [TAG_VARIABLE]);
  });
});
