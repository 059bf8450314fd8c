import assert from 'node:assert/strict';
import { createLogger } from '@msched/logging';
import { Startup, StartupAborted } from '@msched/observability';

const quiet = createLogger({ service: 'test', silent: true });
const fast = { initialMs: 5, maxMs: 20, multiplier: 2, jitter: 0 };

describe('start-up waiting for servers', () => {
  it('tries a server until it answers, saying meanwhile what it waits for', async () => {
    const s = new Startup(quiet, fast);
    let tries = 0;
    const seen: Array<string | undefined> = [];
    const v = await s.waitFor('Kafka (k:9092)', async () => {
      seen.push(s.describe());
      if (++tries < 3) throw new Error('connect ECONNREFUSED');
      return 'connected';
    });
    assert.equal(v, 'connected');
    assert.equal(tries, 3);
    assert.match(seen[2] ?? '', /^waiting for Kafka \(k:9092\) \(2 failed tries in \d+ s; last error: connect ECONNREFUSED\)$/);
    assert.equal(await s.readiness().check(), false);
    s.done();
    assert.equal(await s.readiness().check(), true);
    assert.equal(s.describe(), undefined);
  });

  it('stops waiting when aborted', async () => {
    const s = new Startup(quiet, { ...fast, initialMs: 60_000, maxMs: 60_000 });
    const waiting = s.waitFor('ZooKeeper', async () => { throw new Error('no answer'); });
    await new Promise((r) => setTimeout(r, 20));
    s.abort();
    await assert.rejects(waiting, StartupAborted);
  });
});
