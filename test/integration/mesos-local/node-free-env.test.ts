import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { chmodSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readlinkSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { nodeFreeEnvironment } from '@msched/mesos-local';

/** The environment of the local agents' tasks when they must behave like agents with nothing of ours. */
describe('mesos-local: task environment without node', () => {
  let dir: string;
  before(() => { dir = mkdtempSync(join(tmpdir(), 'msched-nodefree-')); });
  after(() => rmSync(dir, { recursive: true, force: true }));

  const program = (folder: string, name: string) => {
    mkdirSync(folder, { recursive: true });
    writeFileSync(join(folder, name), '#!/bin/sh\n');
    chmodSync(join(folder, name), 0o755);
  };

  it('keeps every program of PATH except node and npm, and drops node\'s and npm\'s variables', async () => {
    const env = await nodeFreeEnvironment(join(dir, 'bin'), { PATH: process.env.PATH, HOME: '/h', NODE_OPTIONS: '--x', npm_node_execpath: '/usr/bin/node', NODE_PATH: '/m' });
    assert.equal(env.PATH, join(dir, 'bin'));
    assert.deepEqual(Object.keys(env).sort(), ['HOME', 'PATH']);
    for (const gone of ['node', 'nodejs', 'npm', 'npx']) assert.equal(existsSync(join(dir, 'bin', gone)), false, gone);
    assert.ok(existsSync(join(dir, 'bin', 'tar')) && readlinkSync(join(dir, 'bin', 'tar')).endsWith('/tar'));
    // A positive control: the machine does have node, and the new PATH hides it.
    const found = (name: string, PATH?: string) => spawnSync('/usr/bin/env', [name, '--version'], { env: { PATH }, stdio: 'ignore' }).status === 0;
    assert.equal(found('node', process.env.PATH), true);
    assert.equal(found('node', env.PATH), false);
    assert.equal(found('mpirun.openmpi', env.PATH), true, 'MPI stays reachable');
  });

  it('leads nowhere into the checkout: no PATH folder in it or in a node_modules, no variable naming a path in it', async () => {
    // What npm run (npm test, npm run demo) gives the process that runs the agents.
    const checkout = join(dir, 'checkout');
    program(join(checkout, 'node_modules', '.bin'), 'mocha');
    program(join(checkout, 'scripts'), 'msched-tool');
    program(join(dir, 'elsewhere', 'node_modules', '.bin'), 'esbuild');
    program(join(dir, 'system'), 'mpirun-like');
    const PATH = [join(checkout, 'node_modules', '.bin'), join(checkout, 'scripts'), join(dir, 'elsewhere', 'node_modules', '.bin'), join(dir, 'system')].join(':');
    const env = await nodeFreeEnvironment(join(dir, 'bin2'), {
      PATH, HOME: '/h', INIT_CWD: checkout, PWD: checkout, OLDPWD: '/somewhere', MSCHED_STATE_DIR: join(checkout, '.state'),
      CLASSPATH: `/usr/share/java/a.jar:${join(checkout, 'lib')}`, DATA: join(dir, 'data'), URL: 'zk://127.0.0.1:2181/mesos',
    }, checkout);
    assert.deepEqual(readdirSync(join(dir, 'bin2')), ['mpirun-like']);
    assert.deepEqual(Object.keys(env).sort(), ['DATA', 'HOME', 'PATH', 'URL']);
    assert.equal(resolve(readlinkSync(join(dir, 'bin2', 'mpirun-like'))), join(dir, 'system', 'mpirun-like'));
  });
});
