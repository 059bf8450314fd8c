import { mkdirSync, renameSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { GangTaskEnv } from '../env-contract';
import { sharedRankEntries } from '../rank-env';
import { renderRankSpec } from '../rank-spec';

/**
 * Writes this task's rank spec into its sandbox, once, before any MPI daemon runs: every rank the
 * task's daemons start reads it (native/rank-exec.c) instead of starting node to compute the same.
 * Readable by the task's user only: it carries the application's configured environment.
 */
export function writeRankSpec(gang: GangTaskEnv): string {
  const dir = join(gang.sandbox, '.msched');
  mkdirSync(dir, { recursive: true });
  const path = join(dir, 'rank-spec');
  const tmp = `${path}.${process.pid}.tmp`;
  writeFileSync(tmp, renderRankSpec(gang.sandbox, sharedRankEntries(gang)), { mode: 0o600 });
  renameSync(tmp, path);
  return path;
}
