import { createWriteStream } from 'node:fs';
import { mkdir, rename, rm } from 'node:fs/promises';
import { dirname } from 'node:path';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';

/**
 * Reads files out of Mesos task sandboxes through the files API (`GET /files/download?path=...`),
 * trying the agent that ran the task first (where Mesos serves sandboxes), then the master.
 */
export class SandboxFileError extends Error {
  constructor(message: string, readonly retriable: boolean) {
    super(message);
    this.name = 'SandboxFileError';
  }
}

/** Downloads one sandbox file to `dest` (atomically: a temp file renamed). false when no endpoint has it. */
export async function downloadSandboxFile(bases: readonly string[], path: string, dest: string, timeoutMs = 30000): Promise<boolean> {
  const errors: string[] = [];
  for (const base of bases) {
    let res: Response;
    try {
      res = await fetch(`${base.replace(/\/$/, '')}/files/download?path=${encodeURIComponent(path)}`, { signal: AbortSignal.timeout(timeoutMs) });
    } catch (e) {
      errors.push(`${base}: ${(e as Error).message}`);
      continue;
    }
    if (res.status === 404) { await res.body?.cancel(); continue; }
    if (!res.ok || !res.body) {
      errors.push(`${base}: HTTP ${res.status}`);
      await res.body?.cancel();
      continue;
    }
    await mkdir(dirname(dest), { recursive: true });
    const tmp = `${dest}.part-${process.pid}`;
    try {
      await pipeline(Readable.fromWeb(res.body as import('node:stream/web').ReadableStream), createWriteStream(tmp));
      await rename(tmp, dest);
    } catch (e) {
      await rm(tmp, { force: true });
      throw new SandboxFileError(`copying ${path} from ${base} failed: ${(e as Error).message}`, true);
    }
    return true;
  }
  if (errors.length === bases.length && errors.length > 0) throw new SandboxFileError(`no files endpoint answered for ${path}: ${errors.join('; ')}`, true);
  return false;
}
