import { lstat, open, readdir } from 'node:fs/promises';
import { basename, join } from 'node:path';

/** The last `maxBytes` of a file, decoded as UTF-8 (a cut multi-byte character becomes U+FFFD). */
export async function tailFile(path: string, maxBytes: number): Promise<{ text: string; truncated: boolean; size: number } | undefined> {
  let fh;
  try {
    fh = await open(path, 'r');
  } catch {
    return undefined;
  }
  try {
    const { size } = await fh.stat();
    const start = Math.max(0, size - maxBytes);
    const buf = Buffer.alloc(size - start);
    await fh.read(buf, 0, buf.length, start);
    return { text: buf.toString('utf8'), truncated: start > 0, size };
  } finally {
    await fh.close();
  }
}

export interface OutputFile { name: string; size: number }

/**
 * The plain files of a job's working directory (where its outputs are collected). Symbolic links
 * are left out: a job could leave one pointing anywhere on the console's machine.
 */
export async function listOutputs(dir: string): Promise<OutputFile[]> {
  let names: string[];
  try {
    names = await readdir(dir);
  } catch {
    return [];
  }
  const out: OutputFile[] = [];
  for (const name of names.sort()) {
    const s = await lstat(join(dir, name)).catch(() => undefined);
    if (s?.isFile()) out.push({ name, size: s.size });
  }
  return out;
}

/**
 * The path of output `name` in `dir`, or undefined when the name is not a plain file name of that
 * folder (no "..", no slashes): a link can never reach outside the job's working directory.
 */
export function outputPath(dir: string, name: string): string | undefined {
  if (name === '' || name === '.' || name === '..' || basename(name) !== name || name.includes('\0')) return undefined;
  return join(dir, name);
}
