import assert from 'node:assert/strict';
import { spawn, type ChildProcess } from 'node:child_process';
import { endTagged, taggedPids, TAG_VARIABLE } from '@msched/mpi';

/**
 * The cleanup net under every path of a gang: processes are found by the tag in their environment,
 * whatever their process group or parent, and SIGKILL follows when SIGTERM is ignored.
 */
describe('mpi: ending tagged processes (real processes)', () => {
  const tag = `/proc-tag-test/${process.pid}/${Date.now()}`;
  const children: ChildProcess[] = [];

  function start(childTag: string, ignoreTerm: boolean): ChildProcess {
    const script = ignoreTerm ? "process.on('SIGTERM', () => {}); setInterval(() => {}, 1000); process.stdout.write('up\\n')" : "setInterval(() => {}, 1000); process.stdout.write('up\\n')";
    // detached: its own process group, like the ranks MPI daemons start.
    const child = spawn(process.execPath, ['-e', script], { env: { ...process.env, [TAG_VARIABLE]: childTag }, detached: true, stdio: ['ignore', 'pipe', 'ignore'] });
    children.push(child);
    return child;
  }

  const up = (c: ChildProcess) => new Promise<void>((resolve) => c.stdout!.once('data', () => resolve()));
  const gone = (c: ChildProcess) => new Promise<void>((resolve) => (c.exitCode !== null || c.signalCode !== null ? resolve() : c.once('exit', () => resolve())));

  afterEach(() => {
    for (const c of children.splice(0)) if (c.exitCode === null && c.signalCode === null) c.kill('SIGKILL');
  });

  it('finds processes by their exact tag only', async () => {
    const mine = start(`${tag}/1`, false);
    const other = start(`${tag}/10`, false);
    await Promise.all([up(mine), up(other)]);
    assert.deepEqual(taggedPids(`${tag}/1`), [mine.pid]);
    assert.deepEqual(taggedPids(`${tag}/10`), [other.pid]);
    assert.deepEqual(taggedPids(`${tag}/2`), []);
  });

  it('ends every tagged process, escalating to SIGKILL for one that ignores SIGTERM', async () => {
    const polite = start(`${tag}/3`, false);
    const stubborn = start(`${tag}/3`, true);
    const bystander = start(`${tag}/4`, false);
    await Promise.all([up(polite), up(stubborn), up(bystander)]);
    assert.equal(await endTagged(`${tag}/3`, 300), 2);
    await Promise.all([gone(polite), gone(stubborn)]);
    assert.equal(polite.signalCode, 'SIGTERM');
    assert.equal(stubborn.signalCode, 'SIGKILL');
    assert.deepEqual(taggedPids(`${tag}/3`), []);
    assert.equal(bystander.exitCode, null, 'another task\'s process must survive');
    assert.equal(bystander.signalCode, null);
  });
});
