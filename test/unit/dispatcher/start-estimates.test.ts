import assert from 'node:assert/strict';
import {
  formatExpectedStart, needsSave, reasonKey, shouldAnnounce, startReason,
} from '@msched/dispatcher';

const T0 = Date.parse('2026-12-07T13:00:00Z');
const MIN = 60_000;

describe('waiting gangs: when estimates are saved and announced', () => {
  it('ignores the durations in a reason, which grow by themselves', () => {
    assert.equal(reasonKey('#2 in the queue of role mpi, waiting 12 s: head reservation'), reasonKey('#2 in the queue of role mpi, waiting 3 min: head reservation'));
    assert.notEqual(reasonKey('#2 in the queue of role mpi, waiting 12 s: x'), reasonKey('#3 in the queue of role mpi, waiting 12 s: x'));
  });

  it('saves a gang the first time, when its reason or estimate changed, and once a minute otherwise', () => {
    const prev = { reason: '#2 in the queue of role mpi, waiting 10 s: no offers', expectedStart: T0 + 10 * MIN, savedAt: T0 };
    assert.equal(needsSave(undefined, 'x', undefined, T0), true);
    assert.equal(needsSave(prev, '#2 in the queue of role mpi, waiting 15 s: no offers', T0 + 10 * MIN + 2000, T0 + 5000), false);
    assert.equal(needsSave(prev, '#1 in the queue of role mpi, waiting 15 s: no offers', T0 + 10 * MIN, T0 + 5000), true);
    assert.equal(needsSave(prev, prev.reason, T0 + 11 * MIN, T0 + 5000), true);
    assert.equal(needsSave(prev, prev.reason, undefined, T0 + 5000), true);
    assert.equal(needsSave(prev, prev.reason, prev.expectedStart, T0 + MIN), true);
  });

  it('announces the first estimate at once, unless the gang is about to start', () => {
    assert.equal(shouldAnnounce(T0 + 30 * MIN, undefined, T0), true);
    assert.equal(shouldAnnounce(T0 + 30_000, undefined, T0), false);
    assert.equal(shouldAnnounce(undefined, undefined, T0), false);
  });

  it('announces a later estimate only when it moved by 5 minutes and 20 % of the promised wait, at most every 5 minutes', () => {
    const last = { expectedStart: T0 + 60 * MIN, at: T0 };
    // 10 minutes later the promise is 50 minutes away: 20 % is 10 minutes.
    assert.equal(shouldAnnounce(T0 + 69 * MIN, last, T0 + 10 * MIN), false);
    assert.equal(shouldAnnounce(T0 + 71 * MIN, last, T0 + 10 * MIN), true);
    assert.equal(shouldAnnounce(T0 + 40 * MIN, last, T0 + 10 * MIN), true);
    // A big move, but the last announcement is too recent.
    assert.equal(shouldAnnounce(T0 + 120 * MIN, last, T0 + 4 * MIN), false);
    // Close to the promise, 5 minutes is the floor.
    const near = { expectedStart: T0 + 12 * MIN, at: T0 };
    assert.equal(shouldAnnounce(T0 + 16 * MIN, near, T0 + 10 * MIN), false);
    assert.equal(shouldAnnounce(T0 + 17 * MIN, near, T0 + 10 * MIN), true);
  });

  it('says the expected start to the minute in UTC, with the date when it is another day', () => {
    assert.equal(startReason(T0 + 65 * MIN + 20_000, T0), 'expected to start about 14:05 UTC');
    assert.equal(formatExpectedStart(T0 + 30_000, T0), 'within a minute');
    assert.equal(formatExpectedStart(T0 + 12 * 60 * MIN, T0), 'about 2026-12-08 01:00 UTC');
  });
});

describe('scheduling settings → offer policy', () => {
  it('merges both quotas per gateway and turns the half-life into seconds', async () => {
    const { loadConfig } = await import('@msched/config');
    const { schedulingPolicyConfig } = await import('@msched/dispatcher');
    const c = schedulingPolicyConfig(loadConfig({
      MSCHED_SCHEDULING_MAX_RUNNING_CORES: 'a=64,b=8', MSCHED_SCHEDULING_MAX_WAITING_GANGS: 'a=100,c=5',
      MSCHED_SCHEDULING_GATEWAY_SHARES: 'a=3', MSCHED_SCHEDULING_HALF_LIFE_HOURS: '24',
    }).scheduling);
    assert.equal(c.order, 'fair-share');
    assert.deepEqual({ ...c.quotas }, { a: { maxRunningCores: 64, maxWaitingGangs: 100 }, b: { maxRunningCores: 8 }, c: { maxWaitingGangs: 5 } });
    // A gateway named like an Object method finds no share or quota (it has share 1, no limits).
    assert.equal(c.fairShare!.gatewayShares.constructor, undefined);
    assert.equal(c.quotas!.toString, undefined);
    assert.deepEqual({ ...c.fairShare, gatewayShares: { ...c.fairShare!.gatewayShares } }, { halfLifeSeconds: 86_400, gatewayShares: { a: 3 }, fairShareWeight: 1000, ageWeightPerHour: 30, starvationHours: 8, oldestLeadsAfterHours: 4 });
  });
});
