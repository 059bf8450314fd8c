import assert from 'node:assert/strict';
import { loadConfig } from '@msched/config';
import type { AgentLaunch, WaitingGang } from '@msched/gang';
import { CANCEL_REQUESTED_TYPE, type GangSpec } from '@msched/model';
import {
  actionForFrameworkError, buildGangTasks, frameworkRoles, frameworkSettings, InvalidMessageError, KillRetry,
  parseCancelRequest, parseGangReady, parseTaskSandboxes, queueSyncEvents, ReconcileTracker, taskIdOf,
} from '@msched/dispatcher';

const spec: GangSpec = {
  jobId: 'JOB_1', processId: 'P1', experimentId: 'E1', gatewayId: 'gw', attempt: 1, ranks: 4, cpusPerRank: 1, memMbPerRank: 256,
  wallTimeSeconds: 120, role: 'mpi',
  app: { executable: '/opt/app/bin/solver', args: ['--in', 'a b; rm -rf /'], env: { OMP_NUM_THREADS: '1' }, mpi: 'openmpi', uris: [{ value: 'http://repo/input.tgz', extract: true }] },
};

describe('dispatcher: messages are checked at the boundary', () => {
  it('accepts a GangReady and keeps every problem of a bad one', () => {
    assert.equal(parseGangReady({ spec, taskId: 'T1' }).spec.jobId, 'JOB_1');
    assert.throws(() => parseGangReady({ spec: { ...spec, ranks: 0, app: { ...spec.app, mpi: 'lam' } }, taskId: '' }), (e: unknown) => {
      assert.ok(e instanceof InvalidMessageError);
      assert.deepEqual(e.problems, [
        'spec.ranks must be a positive number, got 0',
        'spec.app.mpi must be openmpi, mpich or none, got "lam"',
        'GangReady.taskId must be a non-empty string',
      ]);
      return true;
    });
  });

  it('accepts a cancel request as the API writes it', () => {
    assert.equal(CANCEL_REQUESTED_TYPE, 'cancel.requested');
    const c = parseCancelRequest({ experimentId: 'E1', processId: 'P1', jobId: 'JOB_1', gatewayId: 'gw', reason: 'terminated by alice' });
    assert.equal(c.reason, 'terminated by alice');
    assert.throws(() => parseCancelRequest({ experimentId: 'E1' }), /cancel.processId must be a non-empty string/);
  });
});

describe('dispatcher: a placed gang becomes one task per agent', () => {
  const cfg = loadConfig({ MSCHED_ZK_ROOT: '/msched' });
  const agents: AgentLaunch[] = [
    { agentId: 'S1', hostname: 'agent1', offerIds: ['O1', 'O2'], ranks: [0, 1], cpus: 2, mem: 512, disk: 0, ports: [31000], resources: [{ name: 'cpus', type: 'SCALAR', scalar: { value: 2 } }] },
    { agentId: 'S2', hostname: 'agent2', offerIds: ['O3'], ranks: [2, 3], cpus: 2, mem: 512, disk: 0, ports: [31005], resources: [{ name: 'cpus', type: 'SCALAR', scalar: { value: 2 } }] },
  ];
  const tasks = buildGangTasks({ id: 'JOB_1', processId: 'P1', experimentId: 'E1', gatewayId: 'gw', attempt: 1 }, spec, agents, {
    gang: { zookeeper: cfg.zookeeper, mpi: cfg.mpi }, runner: { node: '/usr/bin/node', distDir: '/opt/msched/mpi' }, killGraceMs: 5000,
  });
  const env = (i: number): Record<string, string> => Object.fromEntries(tasks[i].info.command!.environment!.variables.map((v) => [v.name, v.value ?? '']));

  it('gives each agent its ranks, its offers and its resources; task 0 is the launcher', () => {
    assert.deepEqual(tasks.map((t) => [t.row.id, t.agentId, t.offerIds, t.row.ranks, t.row.launcher]), [
      ['JOB_1.0', 'S1', ['O1', 'O2'], [0, 1], true],
      ['JOB_1.1', 'S2', ['O3'], [2, 3], false],
    ]);
    assert.equal(taskIdOf('JOB_1', 1), 'JOB_1.1');
    assert.deepEqual(tasks[1].info.agent_id, { value: 'S2' });
    assert.deepEqual(tasks[1].info.resources, agents[1].resources);
    assert.equal(tasks[0].row.state, 'TASK_STAGING');
  });

  it('runs the gang task program without a shell, the application argv passed as data', () => {
    const cmd = tasks[0].info.command!;
    assert.equal(cmd.shell, false);
    assert.equal(cmd.value, '/usr/bin/node');
    assert.deepEqual(cmd.arguments, ['/usr/bin/node', '/opt/msched/mpi/gang-task.js']);
    assert.deepEqual(JSON.parse(env(0).MSCHED_GANG_APP_ARGV), ['/opt/app/bin/solver', '--in', 'a b; rm -rf /']);
    assert.equal(env(0).MSCHED_GANG_TASK_INDEX, '0');
    assert.equal(env(1).MSCHED_GANG_TASK_INDEX, '1');
    assert.equal(env(1).MSCHED_GANG_MEMBER_COUNT, '2');
    assert.equal(env(1).MSCHED_GANG_SLOTS, '2');
    assert.equal(env(1).MSCHED_GANG_PORT, '31005');
    assert.equal(env(0).MSCHED_GANG_RENDEZVOUS_PATH, '/msched/rendezvous/JOB_1/1');
    assert.deepEqual(cmd.uris, [{ value: 'http://repo/input.tgz', extract: true }]);
    assert.deepEqual(tasks[0].info.kill_policy, { grace_period: { nanoseconds: 5_000_000_000 } });
  });
});

describe('dispatcher: the policy queue follows the database', () => {
  const g = (id: string): WaitingGang => ({ gangId: id, queuedAt: 1, wallTimeSeconds: 60, request: { ranks: 1, cpusPerRank: 1, memMbPerRank: 1, role: 'mpi' } });
  it('queues what is new and withdraws what stopped waiting', () => {
    assert.deepEqual(queueSyncEvents([g('a'), g('b')], [g('b'), g('c')]).map((e) => [e.type, e.type === 'gangQueued' ? e.gang.gangId : e.type === 'gangWithdrawn' ? e.gangId : '']), [
      ['gangQueued', 'c'], ['gangWithdrawn', 'a'],
    ]);
    assert.deepEqual(queueSyncEvents([g('a')], [g('a')]), []);
  });
});

describe('dispatcher: reconciliation and kill bookkeeping', () => {
  it('asks again, later each time, until every task has been heard of', () => {
    const t = new ReconcileTracker({ initialMs: 100, maxMs: 1000, multiplier: 2, jitter: 0 });
    t.begin([{ taskId: 'a', agentId: 'S1' }, { taskId: 'b' }]);
    assert.deepEqual([t.nextDelayMs(), t.nextDelayMs(), t.nextDelayMs(), t.nextDelayMs(), t.nextDelayMs()], [100, 200, 400, 800, 1000]);
    t.answered('a');
    assert.deepEqual(t.unanswered(), [{ taskId: 'b' }]);
    t.answered('b');
    assert.equal(t.done, true);
    t.begin([{ taskId: 'c' }]);
    assert.equal(t.nextDelayMs(), 100, 'a new subscription starts the backoff again');
  });

  it('re-sends a KILL only after the retry interval and forgets ended tasks', () => {
    const k = new KillRetry(1000);
    k.sentNow([{ taskId: 'a', agentId: 'S1' }, { taskId: 'b', agentId: 'S2' }], 0);
    assert.deepEqual(k.due(500), []);
    k.ended('b');
    assert.deepEqual(k.due(1000), [{ taskId: 'a', agentId: 'S1' }]);
    assert.deepEqual(k.due(1500), [], 'the clock restarted with the re-sent kill');
  });
});

describe('dispatcher: framework settings and the master\'s errors', () => {
  it('subscribes with every role a queue maps to, a long failover timeout and the persisted id', () => {
    const cfg = loadConfig({ MSCHED_MESOS_ROLE: 'mpi', MSCHED_API_QUEUE_ROLES: 'normal=mpi,big=mpi-large' });
    assert.deepEqual(frameworkRoles(cfg), ['mpi', 'mpi-large']);
    const s = frameworkSettings(cfg, 'F-1');
    assert.equal(s.failoverTimeoutSeconds, 604800);
    assert.equal(s.frameworkId, 'F-1');
    assert.equal(frameworkSettings(cfg, undefined).frameworkId, undefined);
  });

  it('registers anew when removed, and steps down when another scheduler took the framework over', () => {
    assert.equal(actionForFrameworkError('Framework has been removed'), 'register-anew');
    assert.equal(actionForFrameworkError('Framework failed over'), 'step-down');
  });
});

describe('dispatcher: sandboxes from /master/state', () => {
  it('reads the directories of live, unreachable and completed tasks of our framework only', () => {
    const state = {
      frameworks: [
        { id: 'F-1', tasks: [{ id: 'a', directory: '/w/a' }, { id: 'b' }], unreachable_tasks: [{ id: 'c', directory: '/w/c' }], completed_tasks: [{ id: 'd', directory: '/w/d' }] },
        { id: 'F-2', tasks: [{ id: 'x', directory: '/w/x' }] },
      ],
    };
    assert.deepEqual([...parseTaskSandboxes(state, 'F-1')], [['a', '/w/a'], ['c', '/w/c'], ['d', '/w/d']]);
    assert.deepEqual([...parseTaskSandboxes({}, 'F-1')], []);
  });
});
