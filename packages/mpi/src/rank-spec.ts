/**
 * The rank spec: what the native rank wrapper (native/rank-exec.c) reads to start a rank, as
 * NUL-terminated records: the working directory, then NAME=value entries. NUL can appear in neither
 * a path nor an environment entry, and a name holds no '='; entries that break this cannot be
 * passed to a process at all and are left out.
 */
export function renderRankSpec(dir: string, env: Readonly<Record<string, string>> | Iterable<readonly [string, string]>): Buffer {
  const entries: Iterable<readonly [string, string]> = Symbol.iterator in env ? env as Iterable<readonly [string, string]> : Object.entries(env);
  const records = [dir];
  for (const [k, v] of entries) if (k && !k.includes('=') && !k.includes('\0') && !v.includes('\0')) records.push(`${k}=${v}`);
  return Buffer.from(records.map((s) => `${s}\0`).join(''));
}

/** The variable naming a task's rank spec file; set by the task on its MPI daemons, never by the dispatcher. */
export const RANK_SPEC_VARIABLE = 'MSCHED_GANG_RANK_SPEC';
