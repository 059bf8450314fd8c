import assert from 'node:assert/strict';
import { ChannelMessage, checkRun, DbExperiment, RunHistories, ViolationKind } from '@msched/chaos';

/**
 * The checker against small synthetic histories: a clean run passes, and each kind of broken
 * promise planted into it is reported (so the chaos run can fail).
 */
describe('chaos: the checker', () => {
  const T0 = 1_000_000;
  const stateChain = ['experiment:CREATED', 'process:CREATED', 'job:QUEUED', 'job:ACTIVE', 'job:COMPLETE', 'process:COMPLETED', 'experiment:COMPLETED'];

  function experiment(id: string, over: Partial<DbExperiment> = {}): DbExperiment {
    return {
      id, state: 'COMPLETED', processStates: ['COMPLETED'], dataFiles: ['stdout', 'result.txt'],
      jobs: [{
        id: `J-${id}`, attempt: 1, state: 'COMPLETE', ranks: 2, tasks: [
          { id: `J-${id}.0`, ranks: [0], state: 'TASK_FINISHED', agentId: 'a1', sandboxPath: '/s/0', createdAt: T0 + 10 },
          { id: `J-${id}.1`, ranks: [1], state: 'TASK_FINISHED', agentId: 'a2', sandboxPath: '/s/1', createdAt: T0 + 10 },
        ],
      }],
      history: stateChain.map((s, i) => ({ id: i + 1, entityType: s.split(':')[0], entityId: id, state: s.split(':')[1], at: T0 + i })),
      ...over,
    };
  }

  function eventsOf(e: DbExperiment): ChannelMessage[] {
    return e.history.map((r) => ({ messageId: `${e.id}-${r.id}`, experimentId: e.id, type: `status.changed:${r.entityType}`, state: r.state }));
  }

  function clean(): RunHistories {
    const e = experiment('E1');
    const events = eventsOf(e);
    return {
      launches: [{ experimentId: 'E1', kind: 'mpi2', outcome: 'ok', at: T0, expectedOutputs: ['stdout', 'result.txt'] }],
      cancels: [],
      experiments: [e],
      channels: { events, 'airavata-kafka': events.map((m) => ({ ...m, type: 'X' })), rabbitmq: [...events] },
      masterTasks: e.jobs[0].tasks.map((t) => ({ taskId: t.id, frameworkId: 'f', agentId: t.agentId!, state: 'TASK_FINISHED' })),
      sightings: e.jobs[0].tasks.map((t, i) => ({ taskId: t.id, containerId: `c${i}`, pid: 100 + i, at: T0 })),
      leftovers: { processes: [], sandboxes: [], rendezvous: [], heldOffers: 0 },
      faults: [],
      leaderKills: [],
      taskOwners: { 'J-E1.0': 'E1', 'J-E1.1': 'E1' },
    };
  }

  const kinds = (h: RunHistories): ViolationKind[] => checkRun(h).violations.map((v) => v.kind).sort();

  it('passes a clean run and counts it', () => {
    const r = checkRun(clean());
    assert.deepEqual(r.violations, []);
    assert.equal(r.summary.outcomes.COMPLETED, 1);
    assert.equal(r.summary.gangAttempts, 1);
  });

  it('an accepted launch the database does not have is lost', () => {
    const h = clean();
    h.launches.push({ experimentId: 'E2', kind: 'serial', outcome: 'ok', at: T0, expectedOutputs: [] });
    assert.deepEqual(kinds(h), ['lost']);
  });

  it('an accepted launch that never ends is lost', () => {
    const h = clean();
    h.experiments[0] = experiment('E1', { state: 'EXECUTING', history: clean().experiments[0].history.slice(0, 4) });
    h.channels = { events: eventsOf(h.experiments[0]) };
    assert.deepEqual(kinds(h), ['lost']);
  });

  it('two terminal states of one experiment are reported', () => {
    const h = clean();
    h.experiments[0].history.push({ id: 99, entityType: 'experiment', entityId: 'E1', state: 'FAILED', at: T0 + 99 });
    h.channels = { events: eventsOf(h.experiments[0]) };
    assert.deepEqual(kinds(h), ['extra-terminal']);
  });

  it('a refused launch that left an experiment behind is reported; an unknown outcome is not', () => {
    const h = clean();
    h.launches[0] = { ...h.launches[0], outcome: 'error', error: 'InvalidRequestException' };
    assert.deepEqual(kinds(h), ['left-behind']);
    h.launches[0] = { ...h.launches[0], outcome: 'unknown' };
    assert.deepEqual(kinds(h), []);
  });

  it('a COMPLETED experiment without its outputs is reported (the NULL sandbox_path defect)', () => {
    const h = clean();
    h.experiments[0].dataFiles = [];
    const r = checkRun(h);
    assert.deepEqual(r.violations.map((v) => v.kind), ['missing-outputs']);
    assert.match(r.violations[0].detail, /stdout, result\.txt/);
  });

  it('a gang launched without a rank, or with a rank twice, is reported', () => {
    const h = clean();
    h.experiments[0].jobs[0].tasks.pop();
    assert.ok(kinds(h).includes('partial-gang'));
    const h2 = clean();
    h2.experiments[0].jobs[0].tasks[1].ranks = [0];
    assert.deepEqual(kinds(h2), ['partial-gang', 'rank-twice']);
  });

  it('a task seen in two containers ran twice', () => {
    const h = clean();
    h.sightings.push({ taskId: 'J-E1.1', containerId: 'c-again', pid: 300, at: T0 + 50 });
    assert.deepEqual(kinds(h), ['rank-twice']);
  });

  it('a rank the master still runs after its attempt ended is reported', () => {
    const h = clean();
    h.masterTasks[1].state = 'TASK_RUNNING';
    assert.deepEqual(kinds(h), ['unkilled-rank']);
  });

  it('a channel missing an event, carrying one twice under two ids, or out of order is reported; a redelivery by id is not', () => {
    const missing = clean();
    missing.channels.rabbitmq = missing.channels.rabbitmq.filter((m) => m.state !== 'ACTIVE');
    assert.deepEqual(kinds(missing), ['missing-event']);

    const redelivered = clean();
    redelivered.channels.rabbitmq.splice(3, 0, redelivered.channels.rabbitmq[2]);
    const r = checkRun(redelivered);
    assert.deepEqual(r.violations, []);
    assert.equal(r.summary.redeliveries.rabbitmq, 1);

    const twice = clean();
    twice.channels.events.splice(4, 0, { ...twice.channels.events[3], messageId: 'another-id' });
    assert.ok(kinds(twice).includes('duplicated-event'));

    const swapped = clean();
    const k = swapped.channels['airavata-kafka'];
    [k[3], k[4]] = [k[4], k[3]];
    assert.deepEqual(kinds(swapped), ['out-of-order']);

    const dbAhead = clean();
    dbAhead.channels.events = dbAhead.channels.events.slice(0, -1);
    assert.ok(kinds(dbAhead).includes('missing-event'));
  });

  it('compares the events topic with the history of experiments, processes and jobs (Mesos task rows are internal)', () => {
    const h = clean();
    h.experiments[0].history.push({ id: 50, entityType: 'task', entityId: 'J-E1.0', state: 'TASK_RUNNING', at: T0 });
    h.channels.events.push({ messageId: 'airavata-task', experimentId: 'E1', type: 'status.changed:task', state: 'COMPLETED' });
    h.channels.rabbitmq.push({ messageId: 'airavata-task', experimentId: 'E1', type: 'TASK', state: 'COMPLETED' });
    h.channels['airavata-kafka'].push({ messageId: 'airavata-task', experimentId: 'E1', type: 'TASK', state: 'COMPLETED' });
    assert.deepEqual(kinds(h), []);
    h.channels.rabbitmq.pop();
    assert.deepEqual(kinds(h), ['missing-event'], 'a downstream channel must still carry the Airavata task event');
  });

  it('leftovers after the jobs ended are orphans', () => {
    const h = clean();
    h.leftovers = { processes: [{ taskId: 'J-E1.0', containerId: 'c0', pid: 4242, at: T0 }], sandboxes: ['/w/runs/c0'], rendezvous: ['/r/J-E1'], heldOffers: 2 };
    assert.deepEqual(kinds(h), ['held-offer', 'orphan-process', 'orphan-rendezvous', 'orphan-sandbox']);
  });

  it('judges events and leftovers only of experiments that ended: one still running is lost, not also orphaned', () => {
    const h = clean();
    const running = experiment('E3', { state: 'EXECUTING', history: clean().experiments[0].history.slice(0, 4).map((r) => ({ ...r, entityId: 'E3' })) });
    running.jobs[0].state = 'ACTIVE';
    h.experiments.push(running);
    h.launches.push({ experimentId: 'E3', kind: 'mpi2', outcome: 'ok', at: T0, expectedOutputs: [] });
    h.taskOwners['J-E3.0'] = 'E3';
    h.leftovers = { processes: [{ taskId: 'J-E3.0', containerId: 'c9', pid: 99, at: T0 }], sandboxes: ['/w/executors/J-E3.0/runs/c9'], rendezvous: ['/r/rendezvous/J-E3'], heldOffers: 3 };
    assert.deepEqual(kinds(h), ['lost']);
    h.leftovers.sandboxes.push('/w/executors/J-E1.1/runs/c1');
    assert.deepEqual(kinds(h), ['lost', 'orphan-sandbox'], 'a sandbox of an ended experiment is still an orphan');
  });

  it('a rank the master still runs after its attempt ended is a violation, unless that record predates the attempt\'s end (a master killed before it heard)', () => {
    const h = clean();
    h.experiments[0].jobs[0].settledAt = T0 + 10_000;
    h.masterTasks[0] = { ...h.masterTasks[0], state: 'TASK_RUNNING', at: T0 + 20_000 };
    assert.deepEqual(kinds(h), ['unkilled-rank']);
    h.masterTasks[0].at = T0 + 8_000;
    assert.deepEqual(kinds(h), [], 'the last record came from a master killed before the task ended');
    delete h.masterTasks[0].at;
    assert.deepEqual(kinds(h), ['unkilled-rank'], 'without the time of the record, it counts');
  });

  it('a process of an attempt seen alive well after the attempt settled is an orphan (a rank a killed agent left running)', () => {
    const h = clean();
    h.experiments[0].jobs[0].settledAt = T0 + 10_000;
    h.sightings = [
      { taskId: 'J-E1.0', containerId: 'c0', pid: 100, at: T0 + 12_000 },
      { taskId: 'J-E1.1', containerId: 'c1', pid: 101, at: T0 + 40_000 },
    ];
    const r = checkRun(h);
    assert.deepEqual(r.violations.map((x) => x.kind), ['orphan-process'], 'a sighting within the sampling slack is not one');
    assert.match(r.violations[0].detail, /J-E1\.1 .*30\.0 s after its attempt settled/);
    h.leftovers.processes = [{ taskId: 'J-E1.1', containerId: 'c1', pid: 101, at: T0 + 40_000 }];
    assert.deepEqual(kinds(h), ['orphan-process'], 'one still alive at the end is counted once');
  });

  it('reports p99 time to place the gangs waiting at a leader kill, and those never placed', () => {
    const h = clean();
    h.leaderKills = [{ at: T0, waiting: [...Array.from({ length: 99 }, (_, i) => ({ jobId: `j${i}`, placedAt: T0 + 2000 })), { jobId: 'slow', placedAt: T0 + 300_000 }, { jobId: 'never', placedAt: null }] }];
    const p = checkRun(h).summary.placementAfterLeaderKill;
    assert.deepEqual([p.samples, p.p50, p.p99, p.max, p.neverPlaced], [100, 2, 2, 300, 1]);
    h.leaderKills[0].waiting = [{ jobId: 'a', placedAt: T0 + 1000 }, { jobId: 'b', placedAt: T0 + 300_000 }];
    assert.equal(checkRun(h).summary.placementAfterLeaderKill.p99, 300, 'the 300 s stall of the decline-filter defect shows');
  });

  it('judges the failover on the gangs the free cluster could hold at the kill, and still counts the others in the whole figure', () => {
    const h = clean();
    const g2 = { ranks: 2, cpusPerRank: 1, memMbPerRank: 64, nodeCount: 2 };
    // Two agents with 1 free cpu each: the first gang fits, the second waits for capacity.
    h.leaderKills = [{ at: T0, free: [{ cpus: 1, memMb: 1024 }, { cpus: 1, memMb: 1024 }], waiting: [
      { jobId: 'fits', placedAt: T0 + 9000, demand: g2 },
      { jobId: 'capacity', placedAt: T0 + 40_000, demand: g2 },
    ] }];
    const s = checkRun(h).summary;
    assert.deepEqual([s.placementAfterLeaderKill.samples, s.placementAfterLeaderKill.max], [2, 40]);
    assert.deepEqual([s.placementAfterLeaderKillFitting.samples, s.placementAfterLeaderKillFitting.max], [1, 9]);
    h.leaderKills[0].waiting[0].placedAt = null;
    assert.equal(checkRun(h).summary.placementAfterLeaderKillFitting.neverPlaced, 1, 'a gang that fit and was never placed is counted');
    delete h.leaderKills[0].free;
    assert.equal(checkRun(h).summary.placementAfterLeaderKillFitting.samples + checkRun(h).summary.placementAfterLeaderKillFitting.neverPlaced, 0, 'unknown free resources judge nothing');
  });
});
