import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, statSync, writeFileSync, existsSync, mkdirSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { containerRefusal, FetcherCache } from '@msched/mesos-local/dist/internals';

/** The local agents' fetcher against a real HTTP server: what a Mesos agent's fetcher cache does. */
describe('mesos-local: the agent fetcher and its cache', () => {
  let server: Server;
  let base: string;
  let dir: string;
  const hits = new Map<string, number>();
  const files: Record<string, Buffer> = {};

  before(async () => {
    dir = mkdtempSync(join(tmpdir(), 'msched-fetcher-'));
    files['/tool'] = Buffer.from('#!/bin/sh\necho tool\n');
    files['/big'] = Buffer.alloc(3000, 1);
    files['/other'] = Buffer.alloc(800, 2);
    mkdirSync(join(dir, 'pack'));
    writeFileSync(join(dir, 'pack', 'inside.txt'), 'packed\n');
    execFileSync('tar', ['-C', join(dir, 'pack'), '-czf', join(dir, 'pack.tgz'), 'inside.txt']);
    files['/pack.tgz'] = readFileSync(join(dir, 'pack.tgz'));
    server = createServer((req, res) => {
      const path = req.url ?? '';
      hits.set(path, (hits.get(path) ?? 0) + 1);
      if (path === '/chunked') { res.writeHead(200); res.write('no '); res.end('length'); return; }
      if (path === '/short') { res.writeHead(200, { 'Content-Length': '100' }); res.write('only ten b', () => res.destroy()); return; }
      const body = files[path];
      if (!body) { res.writeHead(404).end(); return; }
      res.writeHead(200, { 'Content-Length': String(body.length) }).end(body);
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()));
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });

  after(() => {
    server?.close();
    rmSync(dir, { recursive: true, force: true });
  });

  const sandbox = (name: string) => {
    const p = join(dir, 'sandboxes', name);
    mkdirSync(p, { recursive: true });
    return p;
  };

  it('downloads a cache:true URI once, then serves it from the cache; executable and output_file honoured', async () => {
    const cache = new FetcherCache({ dir: join(dir, 'cache1'), maxBytes: 10_000 });
    const uri = { value: `${base}/tool`, executable: true, extract: false, cache: true, output_file: 'my-tool' };
    const a = sandbox('a');
    const b = sandbox('b');
    await cache.fetchAll([uri], a);
    await cache.fetchAll([uri], b);
    for (const s of [a, b]) {
      assert.equal(readFileSync(join(s, 'my-tool'), 'utf8'), '#!/bin/sh\necho tool\n');
      assert.equal(statSync(join(s, 'my-tool')).mode & 0o777, 0o755);
    }
    assert.equal(hits.get('/tool'), 1, 'downloaded once');
    assert.deepEqual({ ...cache.counters }, { hits: 1, misses: 1, bypassed: 0, evictions: 0, failures: 0, cachedBytes: files['/tool'].length });
  });

  it('without cache:true every task downloads; extract unpacks archives', async () => {
    const cache = new FetcherCache({ dir: join(dir, 'cache2'), maxBytes: 10_000 });
    const s = sandbox('c');
    await cache.fetchAll([{ value: `${base}/pack.tgz` }], s);
    await cache.fetchAll([{ value: `${base}/pack.tgz` }], sandbox('d'));
    assert.equal(readFileSync(join(s, 'inside.txt'), 'utf8'), 'packed\n');
    assert.equal(hits.get('/pack.tgz'), 2);
    assert.equal(cache.counters.hits + cache.counters.misses, 0);
    // extract: false keeps an archive as it came (the runtime's .tgz could be fetched this way).
    const kept = sandbox('c2');
    await cache.fetchAll([{ value: `${base}/pack.tgz`, extract: false }], kept);
    assert.deepEqual(readFileSync(join(kept, 'pack.tgz')), files['/pack.tgz']);
    assert.equal(existsSync(join(kept, 'inside.txt')), false);
  });

  it('keeps within its size bound (least recently used goes), and bypasses what does not fit or has no Content-Length', async () => {
    const cache = new FetcherCache({ dir: join(dir, 'cache3'), maxBytes: 1000 });
    await cache.fetchAll([{ value: `${base}/other`, cache: true }], sandbox('e'));
    await cache.fetchAll([{ value: `${base}/tool`, cache: true }], sandbox('f'));
    assert.equal(cache.counters.cachedBytes, 800 + files['/tool'].length);
    await cache.fetchAll([{ value: `${base}/big`, cache: true }], sandbox('g'));
    assert.equal(cache.counters.bypassed, 1, 'bigger than the whole cache');
    assert.equal(statSync(join(dir, 'sandboxes', 'g', 'big')).size, 3000);
    await cache.fetchAll([{ value: `${base}/chunked`, cache: true }], sandbox('h'));
    assert.equal(cache.counters.bypassed, 2, 'no Content-Length');
    assert.equal(readFileSync(join(dir, 'sandboxes', 'h', 'chunked'), 'utf8'), 'no length');
    files['/again'] = Buffer.alloc(900, 3);
    await cache.fetchAll([{ value: `${base}/again`, cache: true }], sandbox('i'));
    assert.equal(cache.counters.evictions, 1, 'the least recently used entry made room');
    assert.equal(cache.counters.cachedBytes, 900 + files['/tool'].length);
    const toolDownloads = hits.get('/tool');
    await cache.fetchAll([{ value: `${base}/tool`, cache: true }], sandbox('i2'));
    assert.equal(hits.get('/tool'), toolDownloads, 'the more recent entry stayed');
    await cache.fetchAll([{ value: `${base}/other`, cache: true }], sandbox('i3'));
    assert.equal(cache.counters.evictions, 2, 'the evicted one is downloaded again, evicting the next oldest');
  });

  it('fails a 404 and a body shorter than its Content-Length, caching neither', async () => {
    const cache = new FetcherCache({ dir: join(dir, 'cache4'), maxBytes: 10_000 });
    await assert.rejects(cache.fetchAll([{ value: `${base}/missing`, cache: true, executable: true }], sandbox('j')), (e: Error) => e.message.includes(`${base}/missing`) && /HTTP 404/.test(e.message));
    await assert.rejects(cache.fetchAll([{ value: `${base}/short`, cache: true }], sandbox('k')), (e: Error) => e.message.startsWith(`${base}/short: download`));
    assert.deepEqual({ hits: cache.counters.hits, misses: cache.counters.misses, failures: cache.counters.failures, cachedBytes: cache.counters.cachedBytes }, { hits: 0, misses: 1, failures: 2, cachedBytes: 0 });
    assert.equal(existsSync(join(dir, 'sandboxes', 'k', 'short')), false);
  });

  it('refuses container tasks with a reason (the local cluster runs plain processes)', () => {
    const task = (container?: Record<string, unknown>) => ({ name: 't', task_id: { value: 'T1' }, agent_id: { value: 'A' }, resources: [], ...(container ? { container } : {}) });
    assert.equal(containerRefusal(task()), undefined);
    assert.equal(containerRefusal(task({ type: 'MESOS' })), undefined);
    assert.match(containerRefusal(task({ type: 'DOCKER', docker: { image: 'msched/task:1', network: 'HOST' } }))!, /no Docker containerizer: task T1 asks for image "msched\/task:1"/);
    assert.match(containerRefusal(task({ type: 'MESOS', mesos: { image: { type: 'DOCKER', docker: { name: 'x' } } } }))!, /no image provisioner/);
  });
});
