import assert from 'node:assert/strict';
import { readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { runChaos } from './run-chaos';

/**
 * `npm run test:chaos` (about 6 minutes, so not part of `npm test`): the chaos harness against a
 * deliberately broken dispatcher, which its checker must catch.
 */
describe('chaos: the checker catches a deliberately broken dispatcher (isolated stack)', function () {
  this.timeout(15 * 60_000);

  it('MSCHED_TEST_FAULT_ACK_BEFORE_WRITE=1 with PostgreSQL crashing: updates acknowledged but never written leave launches that never end', async () => {
    const r = await runChaos(['--seed', '11', '--duration', '3m', '--rate', '2', '--faults', 'pg-restart', '--launch-rate', '20', '--settle', '2m'],
      { MSCHED_TEST_FAULT_ACK_BEFORE_WRITE: '1' });
    try {
      assert.equal(r.code, 1, `the checker should have failed the broken build:\n${r.output.slice(-6000)}`);
      const table = readFileSync(join(r.out, 'table.txt'), 'utf8');
      assert.match(table, /lost \(accepted, never ended\)\s+[1-9]/, table);
    } finally {
      rmSync(r.out, { recursive: true, force: true });
    }
  });
});
