import assert from 'node:assert/strict';
import { existsSync, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { createScratch, scratchPath, sweepOrphanedScratch } from '@msched/mpi';

/** Scratch folders of tasks killed without warning are removed by the next task; live ones stay. */
describe('mpi: per-task scratch folders (real file system and /proc)', () => {
  const live = `scratch-test-live-${process.pid}-${Date.now()}`;
  const dead = `scratch-test-dead-${process.pid}-${Date.now()}`;
  const foreign = `scratch-test-foreign-${process.pid}-${Date.now()}`;

  after(() => {
    for (const key of [live, dead, foreign]) rmSync(scratchPath(key), { recursive: true, force: true });
  });

  it('keeps the folders of live owners and removes those whose owner is gone', () => {
    const mine = createScratch(live);
    mkdirSync(join(mine, 'session'));
    const orphan = scratchPath(dead);
    mkdirSync(join(orphan, 'session'), { recursive: true });
    // An owner that cannot be alive: pid 1's identity with another start time.
    writeFileSync(join(orphan, '.owner'), '1 0');
    const unmarked = scratchPath(foreign);
    mkdirSync(unmarked, { recursive: true });
    assert.ok(sweepOrphanedScratch() >= 1);
    assert.equal(existsSync(join(mine, 'session')), true);
    assert.equal(existsSync(orphan), false);
    assert.equal(existsSync(unmarked), true, 'a folder without an owner mark is not ours to remove');
  });
});
