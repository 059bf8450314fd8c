import assert from 'node:assert/strict';
import { ChildProcess, spawn } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { RawScheduler, commandTask } from '../../helpers/mesos-raw';
import { eventually } from '../../helpers/eventually';
import { pidAlive, pidsFrom, sandboxOf } from './fixture';

const CLI = resolve(__dirname, '../../../../packages/mesos-local/dist/cli.js');

function run(args: string[]): { child: ChildProcess; out: () => string } {
  const child = spawn(process.execPath, [CLI, ...args], { stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '';
  child.stdout!.on('data', (d: Buffer) => { out += d.toString(); });
  child.stderr!.on('data', (d: Buffer) => { out += d.toString(); });
  return { child, out: () => out };
}

async function stop(child: ChildProcess | undefined): Promise<void> {
  if (!child || child.exitCode !== null || child.signalCode !== null) return;
  const exited = new Promise((r) => child.once('exit', r));
  child.kill('SIGTERM');
  const timer = setTimeout(() => child.kill('SIGKILL'), 10_000);
  await exited;
  clearTimeout(timer);
}

/**
 * Issue 14, found by the chaos run: an agent process killed -9 leaves its task processes running
 * (as a real agent host does: executors outlive the agent), and the agent that starts in its place
 * under a new id knew nothing of them, so they ran on as orphans while their gang was retried
 * elsewhere. A real Mesos agent recovers its containers on restart and destroys the orphans it
 * cannot recover; the local agent, which does not recover, must destroy every container its
 * predecessor left in its work dir before it registers, and collect their sandboxes after the GC delay.
 */
describe('mesos-local: an agent restarted after a kill -9 destroys the containers its predecessor left', function () {
  this.timeout(120_000);
  let workDir: string;
  let master: ReturnType<typeof run> | undefined;
  let agents: Array<ReturnType<typeof run>> = [];

  beforeEach(() => {
    workDir = mkdtempSync(join(tmpdir(), 'mesos-local-restart-'));
  });

  afterEach(async () => {
    for (const a of agents) await stop(a.child);
    await stop(master?.child);
    agents = [];
    rmSync(workDir, { recursive: true, force: true });
  });

  it('leaves the old task running while the agent is down, and kills it when the agent comes back', async () => {
    master = run(['--agents', '0', '--port', '0', '--work-dir', join(workDir, 'master'), '--allocation-interval-ms', '50', '--log-level', 'warn']);
    const url = await eventually('the master URL on stdout', () => /master (http:\/\/[\d.]+:\d+)/.exec(master!.out())?.[1], 20_000);
    const agentArgs = ['agent', '--master', url, '--hostname', 'agent1', '--cpus', '1', '--mem', '512', '--ports', '4', '--work-dir', join(workDir, 'agents'), '--sandbox-gc-delay-ms', '1000'];
    const first = run(agentArgs);
    agents.push(first);
    await eventually('the agent to register', () => (/registered as/.test(first.out()) ? true : undefined), 30_000);

    const s = await RawScheduler.subscribe(url, { failoverTimeout: 600 });
    let pids: number[] = [];
    try {
      const offer = await s.nextOffer();
      const taskId = `orphan-${randomUUID().slice(0, 8)}`;
      await s.launch(offer, [commandTask(offer, taskId, { value: 'echo $$ > pids; sleep 600 & echo $! >> pids; wait' })]);
      await s.waitState(taskId, 'TASK_RUNNING');
      const sandbox = await sandboxOf(url, s.frameworkId, taskId);
      pids = await pidsFrom(url, `${sandbox}/pids`, 2);

      first.child.kill('SIGKILL');
      await new Promise((r) => first.child.once('exit', r));
      assert.deepEqual(pids.filter((p) => !pidAlive(p)), [], 'the task outlives its agent process, as executors do');

      const second = run(agentArgs);
      agents.push(second);
      await eventually('the restarted agent to register', () => (/registered as/.test(second.out()) ? true : undefined), 30_000);
      await eventually('the old task\'s processes to be gone', () => (pids.every((p) => !pidAlive(p)) ? true : undefined), 15_000);
      await eventually('the old agent\'s sandboxes to be garbage-collected', () => (existsSync(sandbox) ? undefined : true), 15_000);
    } finally {
      s.close();
      // A failing run must not leave its sleeper behind.
      for (const p of pids.filter(pidAlive)) process.kill(p, 'SIGKILL');
    }
  });
});
