import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readlinkSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { nodeFreeEnvironment } from '@msched/mesos-local';

/** The environment of the local agents' tasks when they must behave like agents with nothing of ours. */
describe('mesos-local: task environment without node', () => {
  let dir: string;
  before(() => { dir = mkdtempSync(join(tmpdir(), 'msched-nodefree-')); });
  after(() => rmSync(dir, { recursive: true, force: true }));

  it('keeps every program of PATH except node and npm, and drops node\'s and npm\'s variables', async () => {
    const env = await nodeFreeEnvironment(join(dir, 'bin'), { PATH: process.env.PATH, HOME: '/h', NODE_OPTIONS: '--x', npm_node_execpath: '/usr/bin/node', NODE_PATH: '/m' });
    assert.equal(env.PATH, join(dir, 'bin'));
    assert.deepEqual(Object.keys(env).sort(), ['HOME', 'PATH']);
    for (const gone of ['node', 'nodejs', 'npm', 'npx']) assert.equal(existsSync(join(dir, 'bin', gone)), false, gone);
    assert.ok(existsSync(join(dir, 'bin', 'tar')) && readlinkSync(join(dir, 'bin', 'tar')).endsWith('/tar'));
    // A positive control: the machine does have node, and the new PATH hides it.
    const found = (program: string, PATH?: string) => spawnSync('/usr/bin/env', [program, '--version'], { env: { PATH }, stdio: 'ignore' }).status === 0;
    assert.equal(found('node', process.env.PATH), true);
    assert.equal(found('node', env.PATH), false);
    assert.equal(found('mpirun.openmpi', env.PATH), true, 'MPI stays reachable');
  });
});
