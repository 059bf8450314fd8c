import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, symlinkSync, copyFileSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { readRuntimeBuild, startRuntimeServer } from '@msched/dispatcher';

const RUNTIME_DIR = join(__dirname, '../../../../dist/runtime');

/**
 * The runtime npm run build:runtime made (npm run build makes it too): one file that runs the task
 * programs on a machine without node, in an empty environment, from a folder with nothing else.
 */
describe('mpi: the single executable runtime msched-task', function () {
  this.timeout(60_000);
  let dir: string;
  let exe: string;

  before(() => {
    const build = readRuntimeBuild(RUNTIME_DIR);
    dir = mkdtempSync(join(tmpdir(), 'msched-sea-'));
    // Alone in an empty folder, as the fetcher leaves it in a sandbox.
    exe = join(dir, 'msched-task');
    copyFileSync(build.path, exe);
  });

  after(() => rmSync(dir, { recursive: true, force: true }));

  const run = (file: string, args: string[], env: Record<string, string> = {}) =>
    spawnSync('/usr/bin/env', ['-i', ...Object.entries(env).map(([k, v]) => `${k}=${v}`), file, ...args], { cwd: dir, encoding: 'utf8', timeout: 30_000 });

  it('is named by its content\'s sha256, with a .tgz and a glibc floor in its manifest', () => {
    const m = JSON.parse(readFileSync(join(RUNTIME_DIR, 'manifest.json'), 'utf8'));
    assert.match(m.file, /^msched-task-[0-9a-f]{64}$/);
    const sum = spawnSync('sha256sum', [join(RUNTIME_DIR, m.file)], { encoding: 'utf8' }).stdout.split(' ')[0];
    assert.equal(sum, m.sha256);
    assert.ok(statSync(join(RUNTIME_DIR, m.tgz)).size <= 40 * 1024 * 1024, 'at most 40 MB compressed');
    assert.match(m.glibc, /^2\.\d+$/);
  });

  it('runs under env -i (no PATH, no node, no node_modules) and says which build it is', () => {
    const r = run(exe, ['version']);
    assert.equal(r.status, 0, r.stderr);
    assert.match(r.stdout, /^msched-task [0-9a-f]{16} node v\d+\./);
  });

  it('runs where node and the checkout do not exist at all (a private mount namespace hides them; skipped where unshare is not allowed)', function () {
    if (spawnSync('unshare', ['-m', 'true']).status !== 0) this.skip();
    const checkout = join(__dirname, '../../../..');
    const nodes = ['/usr/bin/node', '/usr/local/bin/node', process.execPath].filter((p, i, all) => existsSync(p) && all.indexOf(p) === i);
    // Inside: every node binary is /dev/null, the checkout an empty folder; then the positive
    // control (node no longer runs) and the runtime, in an empty environment.
    const script = [
      ...nodes.map((n) => `mount --bind /dev/null ${n}`),
      `mount -t tmpfs none ${checkout}`,
      `if ${nodes[0]} --version >/dev/null 2>&1; then echo node-still-runs; exit 3; fi`,
      `test -z "$(ls -A ${checkout})" || { echo checkout-visible; exit 4; }`,
      `exec /usr/bin/env -i ${exe} version`,
    ].join(' && ');
    const r = spawnSync('unshare', ['-m', '--propagation', 'private', 'sh', '-c', script], { cwd: dir, encoding: 'utf8', timeout: 30_000 });
    assert.equal(r.status, 0, `${r.stdout}${r.stderr}`);
    assert.match(r.stdout, /^msched-task [0-9a-f]{16} node v\d+\./);
  });

  it('plays the gang task: with no environment it reports the missing settings as a result line (config, 78)', () => {
    const r = run(exe, ['gang-task']);
    assert.equal(r.status, 78, r.stderr);
    assert.match(r.stderr, /MSCHED_GANG_RESULT .*"reason":"config"/);
  });

  it('plays the MPI remote shell when started as msched-remote-shell (mpirun gives it one path, no arguments)', () => {
    const relay = join(dir, 'msched-remote-shell');
    symlinkSync(exe, relay);
    const r = run(relay, ['-x', 'agent9', 'orted', '--daemonize']);
    assert.equal(r.status, 255, 'ssh\'s "could not connect"');
    assert.match(r.stderr, /^msched-remote-shell: /m);
  });

  it('refuses an unknown role', () => {
    const r = run(exe, ['bogus']);
    assert.equal(r.status, 64);
    assert.match(r.stderr, /unknown role "bogus"/);
  });

  it('is served with its Content-Length at its content-addressed path; anything else is 404', async () => {
    const build = readRuntimeBuild(RUNTIME_DIR);
    const server = await startRuntimeServer(build, '127.0.0.1', 0);
    try {
      const url = `http://127.0.0.1:${server.port}`;
      assert.equal(server.path, `/runtime/${build.file}`);
      const head = await fetch(`${url}${server.path}`, { method: 'HEAD' });
      assert.equal(head.status, 200);
      assert.equal(head.headers.get('content-length'), String(build.size));
      const got = Buffer.from(await (await fetch(`${url}${server.path}`)).arrayBuffer());
      assert.equal(got.length, build.size);
      assert.equal((await fetch(`${url}/runtime/msched-task-${'0'.repeat(64)}`)).status, 404);
    } finally {
      await server.close();
    }
  });
});
