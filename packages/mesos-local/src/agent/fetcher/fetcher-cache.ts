import { createHash } from 'node:crypto';
import { createWriteStream } from 'node:fs';
import { copyFile, link, mkdir, rename, rm, stat } from 'node:fs/promises';
import { join, resolve, sep } from 'node:path';
import { Readable, Transform } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import type { CommandUri } from '../../protocol/mesos-types';
import { download, FetchError, fetchedName, finishFetched } from '../fetcher';

/** What the cache did, as Mesos' fetcher metrics count it. */
export interface FetcherCounters {
  /** `cache: true` URIs served from the cache. */
  hits: number;
  /** `cache: true` URIs downloaded into the cache. */
  misses: number;
  /** `cache: true` URIs fetched past the cache (no Content-Length, or bigger than the whole cache). */
  bypassed: number;
  /** Entries removed to keep within the size bound. */
  evictions: number;
  /** Every fetch that failed. */
  failures: number;
  /** Bytes held in the cache now. */
  cachedBytes: number;
}

interface Entry {
  readonly path: string;
  readonly size: number;
  lastUsed: number;
}

export interface FetcherCacheOptions {
  /** Where cached files live (Mesos' --fetcher_cache_dir); cleared when the cache is created. */
  readonly dir: string;
  /** Size bound in bytes (Mesos' --fetcher_cache_size, default 2 GB); 0 disables the cache. */
  readonly maxBytes: number;
}

/**
 * The agent's fetcher with Mesos' cache semantics: a `cache: true` http(s) URI is downloaded once
 * per agent and copied into every later sandbox. Entries are keyed by URI and never refreshed (a
 * new content needs a new URI); a download without Content-Length bypasses the cache, and one whose
 * body does not match its Content-Length fails. Least recently used entries go first.
 */
export class FetcherCache {
  readonly counters: FetcherCounters = { hits: 0, misses: 0, bypassed: 0, evictions: 0, failures: 0, cachedBytes: 0 };
  private readonly entries = new Map<string, Entry>();
  /** One download per URI at a time: concurrent tasks wait for it instead of racing. */
  private readonly inFlight = new Map<string, Promise<Entry | null>>();
  private ready?: Promise<void>;
  /** Use order (not wall time: two uses in one millisecond must still be ordered). */
  private useClock = 0;

  constructor(private readonly o: FetcherCacheOptions) {}

  /** Fetches every URI into the sandbox (Mesos: all before the task starts; the first failure fails it). */
  async fetchAll(uris: readonly CommandUri[], sandbox: string): Promise<void> {
    for (const uri of uris) {
      try {
        await this.fetchOne(uri, sandbox);
      } catch (e) {
        this.counters.failures++;
        throw e instanceof FetchError ? e : new FetchError(uri.value, (e as Error).message);
      }
    }
  }

  private async fetchOne(uri: CommandUri, sandbox: string): Promise<void> {
    const name = fetchedName(uri);
    const dest = resolve(sandbox, name);
    if (!dest.startsWith(resolve(sandbox) + sep)) throw new FetchError(uri.value, `output_file '${name}' would leave the sandbox`);
    if (uri.cache && this.o.maxBytes > 0 && /^https?:\/\//i.test(uri.value)) {
      const entry = await this.cached(uri.value, dest);
      // A hard link instead of Mesos' copy: the runtime is ~90 MB and tasks only read it.
      if (entry) await link(entry.path, dest).catch(() => copyFile(entry.path, dest));
    } else {
      await download(uri.value, dest);
    }
    await finishFetched(uri, dest, sandbox);
  }

  /** The cache entry of a URI (downloading it on a miss), or null when it went straight to dest. */
  private async cached(value: string, dest: string): Promise<Entry | null> {
    const hit = this.entries.get(value);
    if (hit) {
      this.counters.hits++;
      hit.lastUsed = ++this.useClock;
      return hit;
    }
    let pending = this.inFlight.get(value);
    if (pending) {
      const entry = await pending;
      if (entry) {
        this.counters.hits++;
        return entry;
      }
      // The first one bypassed the cache: this task downloads its own copy.
      this.counters.bypassed++;
      await download(value, dest);
      return null;
    }
    pending = this.fill(value, dest);
    this.inFlight.set(value, pending);
    try {
      return await pending;
    } finally {
      this.inFlight.delete(value);
    }
  }

  private async fill(value: string, dest: string): Promise<Entry | null> {
    this.ready ??= rm(this.o.dir, { recursive: true, force: true }).then(() => mkdir(this.o.dir, { recursive: true })).then(() => undefined);
    await this.ready;
    let res: Response;
    try {
      res = await fetch(value, { redirect: 'follow' });
    } catch (e) {
      throw new FetchError(value, `download failed: ${(e as Error).message}`);
    }
    if (!res.ok || !res.body) {
      await res.body?.cancel().catch(() => undefined);
      throw new FetchError(value, `download failed with HTTP ${res.status}`);
    }
    const header = res.headers.get('content-length');
    const length = header !== null && /^\d+$/.test(header) ? Number(header) : undefined;
    if (length === undefined || length > this.o.maxBytes) {
      this.counters.bypassed++;
      await pipeline(Readable.fromWeb(res.body as import('node:stream/web').ReadableStream), createWriteStream(dest));
      return null;
    }
    this.counters.misses++;
    await this.makeRoom(length);
    const path = join(this.o.dir, createHash('sha256').update(value).digest('hex'));
    const tmp = `${path}.part`;
    let got = 0;
    const count = new Transform({ transform(chunk: Buffer, _e, done) { got += chunk.length; done(null, chunk); } });
    try {
      await pipeline(Readable.fromWeb(res.body as import('node:stream/web').ReadableStream), count, createWriteStream(tmp));
    } catch (e) {
      await rm(tmp, { force: true });
      throw new FetchError(value, `download failed: ${(e as Error).message}`);
    }
    if (got !== length) {
      await rm(tmp, { force: true });
      throw new FetchError(value, `download ended after ${got} of the ${length} bytes its Content-Length announced`);
    }
    await rename(tmp, path);
    const entry: Entry = { path, size: (await stat(path)).size, lastUsed: ++this.useClock };
    this.entries.set(value, entry);
    this.counters.cachedBytes += entry.size;
    return entry;
  }

  private async makeRoom(bytes: number): Promise<void> {
    const byAge = [...this.entries].sort((a, b) => a[1].lastUsed - b[1].lastUsed);
    while (this.counters.cachedBytes + bytes > this.o.maxBytes && byAge.length > 0) {
      const [uri, old] = byAge.shift()!;
      this.entries.delete(uri);
      this.counters.cachedBytes -= old.size;
      this.counters.evictions++;
      await rm(old.path, { force: true });
    }
  }
}

/** Mesos' default --fetcher_cache_size. */
export const DEFAULT_FETCHER_CACHE_BYTES = 2 * 1024 * 1024 * 1024;
