import { chmodSync, existsSync, linkSync, mkdirSync, copyFileSync, renameSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/**
 * The single executable runtime (msched-task): one node binary with the bundled task programs and,
 * as an embedded asset, the native rank wrapper. Outside it (tests, an installed dist) every
 * function here answers "not embedded".
 */
interface SeaModule {
  isSea(): boolean;
  getAsset(key: string): ArrayBuffer;
}

function sea(): SeaModule | undefined {
  try {
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const m = require('node:sea') as SeaModule;
    return m.isSea() ? m : undefined;
  } catch {
    return undefined;
  }
}

export function isEmbeddedRuntime(): boolean {
  return sea() !== undefined;
}

/** Asset names shared with the build script (packages/mpi/sea/build-runtime.mjs). */
export const ASSET = { rankExec: 'msched-rank-exec', mpiYieldShim: 'msched-mpi-yield.so', buildId: 'build-id' } as const;

/** The runtime's own executable (argv0 may be a symlink standing for a role: see main.ts). */
export function runtimeExecutable(): string {
  return process.execPath;
}

/**
 * Where ranks find the runtime on every agent of a gang. mpirun gives every rank the SAME command
 * line, but each task's sandbox path differs per agent, so each task puts its runtime at a path
 * that only depends on the runtime's content: `<tmp>/msched-runtime-<uid>/<build id>/`. Content
 * addressed, so tasks of one runtime share it and another runtime never mixes in.
 */
export function sharedRuntimeDir(buildId: string): string {
  const uid = process.getuid?.() ?? 0;
  return join(tmpdir(), `msched-runtime-${uid}`, buildId);
}

function writeOnce(path: string, write: (tmp: string) => void, size: number): void {
  if (existsSync(path) && statSync(path).size === size) return;
  const tmp = `${path}.${process.pid}.${Date.now()}.tmp`;
  write(tmp);
  chmodSync(tmp, 0o755);
  // rename is atomic: a concurrent task sees the old file or the whole new one.
  renameSync(tmp, path);
}

export interface SharedRuntime {
  /** The runtime executable at the shared path. */
  readonly task: string;
  /** The native rank wrapper (and remote shell) at the shared path. */
  readonly rankExec: string;
  /** The MPICH yield shim at the shared path (native/mpi-yield.c). */
  readonly mpiYieldShim: string;
}

/** The build id embedded in this runtime, undefined outside one. */
export function embeddedBuildId(): string | undefined {
  const s = sea();
  return s ? Buffer.from(s.getAsset(ASSET.buildId)).toString('utf8').trim() : undefined;
}

/** Puts this runtime and its rank wrapper at the shared path (once per agent and runtime). */
export function materializeSharedRuntime(): SharedRuntime {
  const s = sea();
  if (!s) throw new Error('not running as the msched-task runtime');
  const dir = sharedRuntimeDir(embeddedBuildId()!);
  mkdirSync(dir, { recursive: true, mode: 0o755 });
  const task = join(dir, 'msched-task');
  const self = runtimeExecutable();
  writeOnce(task, (tmp) => {
    try {
      linkSync(self, tmp);
    } catch {
      copyFileSync(self, tmp);
    }
  }, statSync(self).size);
  const rankExec = join(dir, ASSET.rankExec);
  const wrapper = Buffer.from(s.getAsset(ASSET.rankExec));
  writeOnce(rankExec, (tmp) => writeFileSync(tmp, wrapper), wrapper.length);
  const mpiYieldShim = join(dir, ASSET.mpiYieldShim);
  const shim = Buffer.from(s.getAsset(ASSET.mpiYieldShim));
  writeOnce(mpiYieldShim, (tmp) => writeFileSync(tmp, shim), shim.length);
  return { task, rankExec, mpiYieldShim };
}
