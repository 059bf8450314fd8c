import { createReadStream } from 'node:fs';
import { open, readdir, realpath, stat } from 'node:fs/promises';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { basename, join, sep } from 'node:path';
import { json, methodNotAllowed, text } from './respond';

/** Largest `length` one /files/read returns (Mesos' default page is 16 MB too). */
const MAX_READ = 16 * 1024 * 1024;

/**
 * Mesos' files API (`/files/read`, `/files/browse`, `/files/download`), served by the master for
 * every agent of the local cluster: paths are absolute sandbox paths (as /master/state gives them)
 * and must lie inside a registered agent's work dir.
 */
export async function handleFiles(kind: 'read' | 'browse' | 'download', url: URL, roots: readonly string[], req: IncomingMessage, res: ServerResponse): Promise<void> {
  if (req.method !== 'GET' && req.method !== 'HEAD') return methodNotAllowed(res, ['GET'], req.method);
  const raw = url.searchParams.get('path');
  if (!raw) return text(res, 400, "Expecting 'path' query parameter");
  const resolved = await resolveInside(raw, roots);
  if (!resolved) return text(res, 404, 'Path not found or not inside an agent work dir');
  const st = await stat(resolved);

  if (kind === 'browse') {
    if (!st.isDirectory()) return text(res, 400, `'${raw}' is not a directory`);
    const names = (await readdir(resolved)).sort();
    const entries = await Promise.all(names.map(async (name) => {
      const p = join(resolved, name);
      const s = await stat(p).catch(() => null);
      return s && { path: join(raw, name), nlink: s.nlink, size: s.size, mtime: Math.floor(s.mtimeMs / 1000), mode: modeString(s.mode, s.isDirectory()), uid: String(s.uid), gid: String(s.gid) };
    }));
    return json(res, 200, entries.filter(Boolean));
  }
  if (st.isDirectory()) return text(res, 400, 'Cannot read a directory');
  if (kind === 'download') {
    res.writeHead(200, { 'Content-Type': 'application/octet-stream', 'Content-Length': String(st.size), 'Content-Disposition': `attachment; filename="${basename(resolved)}"` });
    createReadStream(resolved).pipe(res);
    return;
  }
  const offsetText = url.searchParams.get('offset');
  const lengthText = url.searchParams.get('length');
  const offset = offsetText === null ? 0 : Number(offsetText);
  const length = lengthText === null ? MAX_READ : Number(lengthText);
  if (!Number.isInteger(offset)) return text(res, 400, `Failed to parse offset: '${offsetText}'`);
  if (!Number.isInteger(length) || length < 0) return text(res, 400, `Failed to parse length: '${lengthText}'`);
  // A negative offset asks for the file's size only, as Mesos' files API does.
  if (offset < 0) return json(res, 200, { data: '', offset: st.size });
  if (offset > st.size) return json(res, 200, { data: '', offset });
  const want = Math.min(length, MAX_READ, st.size - offset);
  const fh = await open(resolved, 'r');
  try {
    const buf = Buffer.alloc(want);
    const { bytesRead } = await fh.read(buf, 0, want, offset);
    return json(res, 200, { data: buf.subarray(0, bytesRead).toString('utf8'), offset });
  } finally {
    await fh.close();
  }
}

/** The real path, only when it exists and lies within one of the roots (symlinks resolved). */
async function resolveInside(path: string, roots: readonly string[]): Promise<string | null> {
  if (!path.startsWith('/')) return null;
  const real = await realpath(path).catch(() => null);
  if (!real) return null;
  for (const root of roots) {
    const r = await realpath(root).catch(() => null);
    if (r && (real === r || real.startsWith(r + sep))) return real;
  }
  return null;
}

function modeString(mode: number, dir: boolean): string {
  const bits = 'rwxrwxrwx';
  let out = dir ? 'd' : '-';
  for (let i = 0; i < 9; i++) out += mode & (1 << (8 - i)) ? bits[i] : '-';
  return out;
}
