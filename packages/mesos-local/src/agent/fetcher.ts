import { spawn } from 'node:child_process';
import { createReadStream, createWriteStream } from 'node:fs';
import { chmod, copyFile, stat } from 'node:fs/promises';
import { basename, resolve, sep } from 'node:path';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { fileURLToPath } from 'node:url';
import { createGunzip } from 'node:zlib';
import type { CommandUri } from '../protocol/mesos-types';

export class FetchError extends Error {
  constructor(readonly uri: string, message: string) {
    super(`${uri}: ${message}`);
    this.name = 'FetchError';
  }
}

/** What the Mesos fetcher extracts when `extract` is true (its default). */
export function archiveKind(name: string): 'tar' | 'zip' | 'gz' | null {
  if (/\.(tar|tar\.gz|tgz|tar\.bz2|tbz2|tar\.xz|txz)$/i.test(name)) return 'tar';
  if (/\.zip$/i.test(name)) return 'zip';
  if (/\.gz$/i.test(name)) return 'gz';
  return null;
}

/** The file name a URI lands under in the sandbox. */
export function fetchedName(uri: CommandUri): string {
  if (uri.output_file) return uri.output_file;
  const path = /^[a-z][a-z0-9+.-]*:\/\//i.test(uri.value) ? new URL(uri.value).pathname : uri.value;
  return basename(decodeURIComponent(path)) || 'download';
}

/**
 * Fetches each URI into the sandbox like the Mesos fetcher: `http(s)://` downloaded, `file://` and
 * absolute paths copied; then `executable` sets mode 755, otherwise `extract` (default true)
 * unpacks tar/zip/gz archives in the sandbox. Archives are unpacked by tar/unzip run without a shell.
 */
export async function fetchUris(uris: readonly CommandUri[], sandbox: string): Promise<void> {
  for (const uri of uris) {
    const name = fetchedName(uri);
    const dest = resolve(sandbox, name);
    if (!dest.startsWith(resolve(sandbox) + sep)) throw new FetchError(uri.value, `output_file '${name}' would leave the sandbox`);
    await download(uri.value, dest);
    await finishFetched(uri, dest, sandbox);
  }
}

/** What Mesos does to a URI once in the sandbox: `executable` sets mode 755, else `extract` unpacks. */
export async function finishFetched(uri: CommandUri, dest: string, sandbox: string): Promise<void> {
  if (uri.executable) {
    await chmod(dest, 0o755);
    return;
  }
  const kind = uri.extract === false ? null : archiveKind(fetchedName(uri));
  if (kind === 'tar') await run(uri.value, 'tar', ['-C', sandbox, '-xf', dest]);
  else if (kind === 'zip') await run(uri.value, 'unzip', ['-o', '-q', dest, '-d', sandbox]);
  else if (kind === 'gz') await pipeline(createReadStream(dest), createGunzip(), createWriteStream(dest.replace(/\.gz$/i, ''))).catch((e) => {
    throw new FetchError(uri.value, `gunzip failed: ${(e as Error).message}`);
  });
}

export async function download(value: string, dest: string): Promise<void> {
  if (/^https?:\/\//i.test(value)) {
    let res: Response;
    try {
      res = await fetch(value, { redirect: 'follow' });
    } catch (e) {
      throw new FetchError(value, `download failed: ${(e as Error).message}`);
    }
    if (!res.ok || !res.body) throw new FetchError(value, `download failed with HTTP ${res.status}`);
    await pipeline(Readable.fromWeb(res.body as import('node:stream/web').ReadableStream), createWriteStream(dest));
    return;
  }
  let source: string;
  if (/^file:\/\//i.test(value)) source = fileURLToPath(value);
  else if (value.startsWith('/')) source = value;
  else throw new FetchError(value, 'unsupported URI: the local fetcher takes http(s)://, file:// and absolute paths');
  const st = await stat(source).catch(() => null);
  if (!st?.isFile()) throw new FetchError(value, `${source} is not a readable file`);
  await copyFile(source, dest);
}

function run(uri: string, file: string, args: string[]): Promise<void> {
  return new Promise((resolvePromise, reject) => {
    const child = spawn(file, args, { stdio: ['ignore', 'ignore', 'pipe'] });
    let err = '';
    child.stderr.on('data', (d: Buffer) => {
      err += d.toString();
    });
    child.on('error', (e) => reject(new FetchError(uri, `${file} could not run: ${e.message}`)));
    child.on('close', (code) => (code === 0 ? resolvePromise() : reject(new FetchError(uri, `${file} exited with status ${code}: ${err.trim().slice(0, 500)}`))));
  });
}

