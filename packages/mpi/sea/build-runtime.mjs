#!/usr/bin/env node
// Builds the task runtime: packages/mpi's task programs bundled by esbuild into one CommonJS file,
// embedded with the native rank wrapper into a Node single executable application made from THIS
// machine's node binary. Writes dist/runtime/msched-task-<sha256>, its .tgz and manifest.json, and
// prints the glibc floor. Skips the ~100 MB copy when the manifest says nothing changed.
// Run after `npm run build` (it bundles packages/mpi/dist, compiled by tsc). No shell anywhere.
import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { copyFileSync, existsSync, mkdirSync, readdirSync, readFileSync, renameSync, rmSync, statSync, writeFileSync, chmodSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const here = dirname(fileURLToPath(import.meta.url));
const root = resolve(here, '../../..');
const mpiDist = resolve(here, '../dist');
const out = join(root, 'dist', 'runtime');
const work = join(out, 'work');
const require = createRequire(import.meta.url);
const FUSE = 'NODE_SEA_FUSE_fce680ab2cc467b6e072b8b5df1996b2';

function fail(message) {
  process.stderr.write(`build:runtime: ${message}\n`);
  process.exit(1);
}

function run(file, args) {
  const r = spawnSync(file, args, { stdio: ['ignore', 'inherit', 'inherit'] });
  if (r.error) fail(`${file} could not run: ${r.error.message}`);
  if (r.status !== 0) fail(`${file} ${args.join(' ')} exited with ${r.status ?? r.signal}`);
}

const sha256 = (buf) => createHash('sha256').update(buf).digest('hex');

/** The highest GLIBC_x.y / GLIBCXX_3.4.z a binary asks for: the oldest system it runs on. */
function glibcFloor(buf) {
  const text = buf.toString('latin1');
  const newer = (a, b) => {
    for (let i = 0; i < Math.max(a.length, b.length); i++) if ((a[i] ?? 0) !== (b[i] ?? 0)) return (a[i] ?? 0) > (b[i] ?? 0);
    return false;
  };
  const max = (re) => {
    let best;
    for (const m of text.matchAll(re)) {
      const v = m[1].split('.').map(Number);
      if (!best || newer(v, best)) best = v;
    }
    return best?.join('.');
  };
  return { glibc: max(/GLIBC_(\d+\.\d+(?:\.\d+)?)\0/g), glibcxx: max(/GLIBCXX_(\d+\.\d+(?:\.\d+)?)\0/g) };
}

const entry = join(mpiDist, 'runtime', 'main.js');
const rankExec = join(mpiDist, 'msched-rank-exec');
const mpiYieldShim = join(mpiDist, 'msched-mpi-yield.so');
if (!existsSync(entry)) fail(`${entry} is missing: run npm run build first`);
for (const f of [rankExec, mpiYieldShim]) if (!existsSync(f)) fail(`${f} is missing: the native programs need a C compiler (packages/mpi/native/build.sh)`);
mkdirSync(work, { recursive: true });

// 1. One CommonJS file, the bundled packages' licence comments kept at its end. tsc's output is
//    CommonJS already, so esbuild wraps each module with its own `module` and the programs'
//    `require.main === module` checks stay false inside the bundle.
const esbuild = require('esbuild');
const bundle = join(work, 'bundle.js');
await esbuild.build({ entryPoints: [entry], bundle: true, platform: 'node', format: 'cjs', target: 'node20', outfile: bundle, logLevel: 'warning', legalComments: 'eof' });

const node = process.execPath;
const nodeStat = statSync(node);
const buildId = sha256(Buffer.concat([readFileSync(bundle), readFileSync(rankExec), readFileSync(mpiYieldShim), Buffer.from(`${node}:${nodeStat.size}:${nodeStat.mtimeMs}:${process.version}`)])).slice(0, 16);
const manifestPath = join(out, 'manifest.json');
const previous = existsSync(manifestPath) ? JSON.parse(readFileSync(manifestPath, 'utf8')) : undefined;
if (previous?.buildId === buildId && existsSync(join(out, previous.file)) && existsSync(join(out, previous.tgz))) {
  process.stdout.write(`build:runtime: up to date: dist/runtime/${previous.file} (${(previous.size / 1e6).toFixed(1)} MB, .tgz ${(previous.tgzSize / 1e6).toFixed(1)} MB), needs glibc >= ${previous.glibc}, libstdc++ GLIBCXX >= ${previous.glibcxx}\n`);
  process.exit(0);
}

// 2. The preparation blob: the bundle (with V8's code cache: it starts faster) and two assets.
writeFileSync(join(work, 'build-id'), buildId);
const blob = join(work, 'sea-prep.blob');
writeFileSync(join(work, 'sea-config.json'), JSON.stringify({
  main: bundle, output: blob, disableExperimentalSEAWarning: true, useCodeCache: true,
  assets: { 'msched-rank-exec': rankExec, 'msched-mpi-yield.so': mpiYieldShim, 'build-id': join(work, 'build-id') },
}));
run(node, ['--experimental-sea-config', join(work, 'sea-config.json')]);

// 3. A copy of this node, stripped BEFORE the injection (stripping after it breaks the binary).
const exe = join(work, 'msched-task');
rmSync(exe, { force: true });
copyFileSync(node, exe);
chmodSync(exe, 0o755);
if (spawnSync('strip', ['--version'], { stdio: 'ignore' }).status === 0) run('strip', [exe]);
else process.stderr.write('build:runtime: no strip: the runtime keeps node\'s symbols (larger)\n');
run(node, [require.resolve('postject/dist/cli.js'), exe, 'NODE_SEA_BLOB', blob, '--sentinel-fuse', FUSE]);

// 4. Content-addressed name, a .tgz of it, the manifest; older runtimes go.
const data = readFileSync(exe);
const hash = sha256(data);
const file = `msched-task-${hash}`;
for (const f of readdirSync(out)) if (f.startsWith('msched-task-')) rmSync(join(out, f), { force: true });
renameSync(exe, join(out, file));
mkdirSync(join(work, 'tgz'), { recursive: true });
copyFileSync(join(out, file), join(work, 'tgz', 'msched-task'));
chmodSync(join(work, 'tgz', 'msched-task'), 0o755);
const tgz = `${file}.tgz`;
run('tar', ['-C', join(work, 'tgz'), '-czf', join(out, tgz), 'msched-task']);
rmSync(join(work, 'tgz'), { recursive: true, force: true });
rmSync(blob, { force: true });
const floor = glibcFloor(data);
const wrapperFloor = glibcFloor(readFileSync(rankExec));
const manifest = {
  file, sha256: hash, size: data.length, tgz, tgzSize: statSync(join(out, tgz)).size, buildId,
  node: process.version, glibc: floor.glibc, glibcxx: floor.glibcxx, rankExecGlibc: wrapperFloor.glibc,
};
writeFileSync(manifestPath, `${JSON.stringify(manifest, null, 2)}\n`);
process.stdout.write(`build:runtime: dist/runtime/${file} (${(manifest.size / 1e6).toFixed(1)} MB, .tgz ${(manifest.tgzSize / 1e6).toFixed(1)} MB, node ${process.version})\n`);
process.stdout.write(`build:runtime: glibc floor: GLIBC ${floor.glibc}, GLIBCXX ${floor.glibcxx} (rank wrapper: GLIBC ${wrapperFloor.glibc})\n`);
