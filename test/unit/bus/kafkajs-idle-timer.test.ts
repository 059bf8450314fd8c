import assert from 'node:assert/strict';
import { fixKafkajsIdleTimer, KafkajsRequestQueue } from '@msched/bus';

const silent = { debug() {}, info() {}, warn() {}, error() {} };
const queue = () => new KafkajsRequestQueue({
  instrumentationEmitter: { emit() {} }, maxInFlightRequests: 1, requestTimeout: 30_000, enforceRequestTimeout: false,
  clientId: 't', broker: 'b:9092', logger: { namespace: () => silent, ...silent }, isConnected: () => true,
});

describe('bus: kafkajs request queue while idle', () => {
  before(() => fixKafkajsIdleTimer());

  it('arms no timer when nothing is pending and nothing throttles (kafkajs 2.2.4 re-armed a 1 ms one forever)', () => {
    const q = queue();
    q.scheduleCheckPendingRequests();
    assert.equal(q.throttleCheckTimeoutId ?? null, null);
    q.destroy();
  });

  it('still schedules the check when a request waits', () => {
    const q = queue();
    q.pending.push({});
    q.scheduleCheckPendingRequests();
    assert.notEqual(q.throttleCheckTimeoutId ?? null, null);
    q.destroy();
  });
});
