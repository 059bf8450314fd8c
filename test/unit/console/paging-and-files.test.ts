import assert from 'node:assert/strict';
import { CursorError, decodeCursor, encodeCursor, liveEventOf, outputPath } from '@msched/console';

describe('console jobs cursor, output paths and live events (unit)', () => {
  it('a cursor round-trips, keeps microseconds, and a made-up one is refused', () => {
    const c = { createdAt: '2026-12-07 01:51:47.123456+00', jobId: 'JOB_a|b' };
    assert.deepEqual(decodeCursor(encodeCursor(c)), c);
    for (const bad of ['', Buffer.from('nonsense').toString('base64url'), Buffer.from('tomorrow|JOB').toString('base64url'), Buffer.from('2026-01-01|').toString('base64url')]) {
      assert.throws(() => decodeCursor(bad), CursorError, bad);
    }
  });

  it('an output name never leaves the job\'s working directory', () => {
    assert.equal(outputPath('/data/gw/exp', 'result.txt'), '/data/gw/exp/result.txt');
    for (const bad of ['', '.', '..', '../x', 'a/b', '/etc/passwd', 'x\0y']) assert.equal(outputPath('/data/gw/exp', bad), undefined, JSON.stringify(bad));
  });

  it('a live event keeps only what the page needs (no reasons or names from users)', () => {
    const e = liveEventOf({ entity: 'job', state: 'ACTIVE', experimentId: 'E', jobId: 'J', reason: '<b>x</b>', gatewayId: 'g', source: 'dispatcher', time: 't' });
    assert.deepEqual(e, { entity: 'job', state: 'ACTIVE', experimentId: 'E', jobId: 'J', time: 't' });
    assert.equal(liveEventOf({ state: 'ACTIVE' }), undefined);
  });
});
