import { existsSync, readFileSync, statSync } from 'node:fs';
import { join, resolve } from 'node:path';

/** What npm run build:runtime wrote (dist/runtime/manifest.json). */
export interface RuntimeBuild {
  /** msched-task-<sha256>: the name is the content's hash. */
  readonly file: string;
  readonly path: string;
  readonly size: number;
  readonly sha256: string;
  readonly glibc?: string;
}

/** This installation's dist/runtime (the dispatcher runs from services/dispatcher/dist/runtime/). */
export function defaultRuntimeDir(): string {
  return resolve(__dirname, '../../../../dist/runtime');
}

export class RuntimeBuildError extends Error {}

/** Reads and checks the build in `dir`; the error says how to make one. */
export function readRuntimeBuild(dir: string): RuntimeBuild {
  const manifestPath = join(dir, 'manifest.json');
  if (!existsSync(manifestPath)) throw new RuntimeBuildError(`no task runtime in ${dir} (no manifest.json): run npm run build:runtime, or set MSCHED_RUNTIME_URI to where an operator serves one`);
  let m: { file?: unknown; sha256?: unknown; glibc?: unknown };
  try {
    m = JSON.parse(readFileSync(manifestPath, 'utf8')) as typeof m;
  } catch (e) {
    throw new RuntimeBuildError(`${manifestPath} is not JSON: ${(e as Error).message}`);
  }
  if (typeof m.file !== 'string' || !/^msched-task-[0-9a-f]{64}$/.test(m.file) || typeof m.sha256 !== 'string' || m.file !== `msched-task-${m.sha256}`) {
    throw new RuntimeBuildError(`${manifestPath} does not name a runtime file msched-task-<sha256>: run npm run build:runtime again`);
  }
  const path = join(dir, m.file);
  if (!existsSync(path)) throw new RuntimeBuildError(`${path} (named by ${manifestPath}) is missing: run npm run build:runtime again`);
  return { file: m.file, path, size: statSync(path).size, sha256: m.sha256, ...(typeof m.glibc === 'string' ? { glibc: m.glibc } : {}) };
}
