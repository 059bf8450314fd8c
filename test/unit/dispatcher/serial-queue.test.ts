import assert from 'node:assert/strict';
import { setTimeout as sleep } from 'node:timers/promises';
import { createLogger } from '@msched/logging';
import { SerialQueue } from '@msched/dispatcher';

describe('dispatcher: the leader\'s one-at-a-time queue', () => {
  const logger = createLogger({ service: 'test', silent: true });

  it('runs items one after the other in arrival order, and goes on after a failure', async () => {
    const q = new SerialQueue(logger);
    const seen: string[] = [];
    void q.run('slow', async () => { await sleep(20); seen.push('slow'); });
    void q.run('fails', () => { throw new Error('boom'); });
    const last = q.run('fast', () => { seen.push('fast'); });
    await last;
    assert.deepEqual(seen, ['slow', 'fast']);
  });

  it('hands its caller the result or the error of call()', async () => {
    const q = new SerialQueue(logger);
    assert.equal(await q.call(async () => 42), 42);
    await assert.rejects(q.call(async () => { throw new Error('take-over failed'); }), /take-over failed/);
    assert.equal(await q.call(async () => 'still running'), 'still running');
  });

  it('drops what is queued once closed, after the running item ends', async () => {
    const q = new SerialQueue(logger);
    const seen: string[] = [];
    void q.run('running', async () => { await sleep(20); seen.push('running'); });
    void q.run('queued', () => { seen.push('queued'); });
    await sleep(5);
    await q.close();
    await q.run('after', () => { seen.push('after'); });
    assert.deepEqual(seen, ['running']);
  });
});
