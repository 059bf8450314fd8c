import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { LocalCluster } from '@msched/mesos-local';
import { RawScheduler, commandTask, getJson, httpRequest, Json } from '../../helpers/mesos-raw';
import { eventually } from '../../helpers/eventually';
import { pidAlive, pidsFrom, readSandboxFile, sandboxOf, startTestCluster } from './fixture';

/** Tasks of the local cluster are real processes: sandboxes, environment, fetched URIs, kills, groups. */
describe('mesos-local: tasks run as real processes (integration)', function () {
  let cluster: LocalCluster;
  let s: RawScheduler;
  let files: string;
  let web: Server;
  let webUrl: string;

  before(async () => {
    cluster = await startTestCluster();
    files = mkdtempSync(join(tmpdir(), 'mesos-local-uris-'));
    mkdirSync(join(files, 'pkg', 'data'), { recursive: true });
    writeFileSync(join(files, 'pkg', 'data', 'hello.txt'), 'hello from a tarball\n');
    writeFileSync(join(files, 'pkg', 'run.sh'), '#!/bin/sh\necho ran-from-tarball\n', { mode: 0o755 });
    execFileSync('tar', ['-C', join(files, 'pkg'), '-czf', join(files, 'bundle.tar.gz'), 'data', 'run.sh']);
    mkdirSync(join(files, 'zipped'));
    writeFileSync(join(files, 'zipped', 'z.txt'), 'hello from a zip\n');
    execFileSync('zip', ['-q', '-r', join(files, 'bundle.zip'), 'zipped'], { cwd: files });
    writeFileSync(join(files, 'plain.txt'), 'plain file\n');
    writeFileSync(join(files, 'tool.sh'), '#!/bin/sh\necho tool-ran\n');
    web = createServer((req, res) => {
      if (req.url === '/over-http.txt') res.end('fetched over http\n');
      else {
        res.statusCode = 404;
        res.end();
      }
    });
    await new Promise<void>((r) => web.listen(0, '127.0.0.1', () => r()));
    webUrl = `http://127.0.0.1:${(web.address() as AddressInfo).port}`;
  });

  beforeEach(async () => {
    s = await RawScheduler.subscribe(cluster.masterUrl, { taskKillingState: false });
  });

  afterEach(async () => {
    await s.call('TEARDOWN').catch(() => undefined);
    s.close();
  });

  after(async () => {
    await cluster?.stop();
    web?.close();
    rmSync(files, { recursive: true, force: true });
  });

  const id = (p: string) => `${p}-${randomUUID().slice(0, 8)}`;

  it('runs a shell command in its sandbox with the Mesos environment; stdout and stderr are files there, read over /files', async () => {
    const offer = await s.nextOffer();
    const taskId = id('env');
    const script = 'echo "out $MESOS_TASK_ID"; echo "err line" >&2; '
      + 'printf "%s\\n" "$MESOS_SANDBOX" "$MESOS_DIRECTORY" "$MESOS_AGENT_ID" "$MESOS_SLAVE_ID" "$MESOS_FRAMEWORK_ID" "$MESOS_EXECUTOR_ID" "$MESOS_HOSTNAME" "$PWD" "$RANK" > env.txt';
    await s.launch(offer, [commandTask(offer, taskId, { value: script, environment: { variables: [{ name: 'RANK', value: '7' }] } })]);
    await s.waitState(taskId, 'TASK_FINISHED');
    const dir = await sandboxOf(cluster.masterUrl, s.frameworkId, taskId);
    assert.match(dir, new RegExp(`/slaves/${offer.agent_id.value}/frameworks/${s.frameworkId}/executors/${taskId}/runs/[0-9a-f-]+$`));
    assert.equal(await readSandboxFile(cluster.masterUrl, `${dir}/stdout`), `out ${taskId}\n`);
    assert.equal(await readSandboxFile(cluster.masterUrl, `${dir}/stderr`), 'err line\n');
    const [sandbox, directory, agentId, slaveId, fwId, execId, host, pwd, rank] = (await readSandboxFile(cluster.masterUrl, `${dir}/env.txt`)).trim().split('\n');
    assert.deepEqual({ sandbox, directory, agentId, slaveId, fwId, execId, host, pwd, rank }, {
      sandbox: dir, directory: dir, agentId: offer.agent_id.value, slaveId: offer.agent_id.value, fwId: s.frameworkId, execId: taskId, host: offer.hostname, pwd: dir, rank: '7',
    });
    // The files API: the size with offset -1, a listing with browse, nothing outside agent work dirs.
    const size = JSON.parse((await httpRequest('GET', `${cluster.masterUrl}/files/read?path=${encodeURIComponent(`${dir}/stdout`)}&offset=-1`)).body);
    assert.equal(size.offset, Buffer.byteLength(`out ${taskId}\n`));
    const listing = await getJson(`${cluster.masterUrl}/files/browse?path=${encodeURIComponent(dir)}`);
    assert.deepEqual(listing.map((e: Json) => e.path.split('/').pop()).sort(), ['env.txt', 'stderr', 'stdout']);
    const download = await httpRequest('GET', `${cluster.masterUrl}/files/download?path=${encodeURIComponent(`${dir}/stderr`)}`);
    assert.equal(download.status, 200);
    assert.equal(download.body, 'err line\n');
    assert.equal((await httpRequest('GET', `${cluster.masterUrl}/files/read?path=/etc/passwd&offset=0`)).status, 404);
    assert.equal((await httpRequest('GET', `${cluster.masterUrl}/files/read?path=${encodeURIComponent(`${dir}/../../../../../../../../../etc/passwd`)}`)).status, 404);
  });

  it('runs the argv form without a shell: value is the executable, arguments the whole argv', async () => {
    const offer = await s.nextOffer();
    const echo = id('argv');
    await s.launch(offer, [commandTask(offer, echo, { shell: false, value: '/bin/echo', arguments: ['echo', '$HOME', ';', 'ls', '*'] })], { refuse_seconds: 0 });
    await s.waitState(echo, 'TASK_FINISHED');
    assert.equal(await readSandboxFile(cluster.masterUrl, `${await sandboxOf(cluster.masterUrl, s.frameworkId, echo)}/stdout`), '$HOME ; ls *\n');
    const offer2 = await s.nextOffer();
    const named = id('argv0');
    await s.launch(offer2, [commandTask(offer2, named, { shell: false, value: '/bin/sh', arguments: ['custom-argv0', '-c', 'echo $0'] })], { refuse_seconds: 0 });
    await s.waitState(named, 'TASK_FINISHED');
    assert.equal(await readSandboxFile(cluster.masterUrl, `${await sandboxOf(cluster.masterUrl, s.frameworkId, named)}/stdout`), 'custom-argv0\n');
    const offer3 = await s.nextOffer();
    const missing = id('enoent');
    await s.launch(offer3, [commandTask(offer3, missing, { shell: false, value: '/no/such/program', arguments: ['x'] })]);
    const failed = await s.waitState(missing, 'TASK_FAILED');
    assert.match(failed.update.status.message, /ENOENT/);
  });

  it('fetches URIs into the sandbox: file://, absolute paths, http, tar.gz and zip extracted, executable, output_file', async () => {
    const offer = await s.nextOffer();
    const taskId = id('uris');
    await s.launch(offer, [commandTask(offer, taskId, {
      value: './run.sh && cat data/hello.txt zipped/z.txt renamed.txt over-http.txt && ./tool.sh && test ! -e bundle.tar.gz.dir',
      uris: [
        { value: `file://${join(files, 'bundle.tar.gz')}` },
        { value: join(files, 'bundle.zip'), extract: true },
        { value: join(files, 'plain.txt'), output_file: 'renamed.txt' },
        { value: `${webUrl}/over-http.txt` },
        { value: join(files, 'tool.sh'), executable: true },
      ],
    })]);
    await s.waitState(taskId, 'TASK_FINISHED');
    const out = await readSandboxFile(cluster.masterUrl, `${await sandboxOf(cluster.masterUrl, s.frameworkId, taskId)}/stdout`);
    assert.equal(out, 'ran-from-tarball\nhello from a tarball\nhello from a zip\nplain file\nfetched over http\ntool-ran\n');
  });

  it('fails the task from the agent when a URI cannot be fetched', async () => {
    const offer = await s.nextOffer();
    const taskId = id('nofetch');
    await s.launch(offer, [commandTask(offer, taskId, { value: 'true', uris: [{ value: `${webUrl}/missing.tgz` }] })]);
    const failed = await s.waitState(taskId, 'TASK_FAILED');
    assert.equal(failed.update.status.source, 'SOURCE_AGENT');
    assert.equal(failed.update.status.reason, 'REASON_CONTAINER_LAUNCH_FAILED');
    assert.match(failed.update.status.message, /HTTP 404/);
  });

  it('refuses a task that asks for an image, from the agent, saying why', async () => {
    const offer = await s.nextOffer();
    const taskId = id('image');
    const container = { type: 'DOCKER', docker: { image: 'registry.example.org/msched/task-openmpi:1', network: 'HOST' } };
    await s.launch(offer, [commandTask(offer, taskId, { value: 'touch ran' }, {}, { container })]);
    const failed = await s.waitState(taskId, 'TASK_FAILED');
    assert.equal(failed.update.status.source, 'SOURCE_AGENT');
    assert.equal(failed.update.status.reason, 'REASON_CONTAINER_LAUNCH_FAILED');
    assert.match(failed.update.status.message, /the local cluster has no Docker containerizer: task .* asks for image "registry\.example\.org\/msched\/task-openmpi:1"/);
    assert.match(failed.update.status.message, /drop "container" from the application's catalogue entry/);
  });

  it('KILL leaves no process: the task, its children and a child that left the process group are gone', async () => {
    const offer = await s.nextOffer();
    const taskId = id('tree');
    await s.launch(offer, [commandTask(offer, taskId, { value: 'echo $$ > pids; sleep 600 & echo $! >> pids; setsid sleep 600 & echo $! >> pids; wait' })]);
    await s.waitState(taskId, 'TASK_RUNNING');
    const dir = await sandboxOf(cluster.masterUrl, s.frameworkId, taskId);
    const pids = await pidsFrom(cluster.masterUrl, `${dir}/pids`, 3);
    assert.ok(pids.every(pidAlive), 'the whole tree runs before the kill');
    await s.mustCall('KILL', { task_id: { value: taskId }, agent_id: offer.agent_id });
    const killed = await s.waitState(taskId, 'TASK_KILLED');
    assert.match(killed.update.status.message, /Terminated/);
    assert.deepEqual(pids.filter(pidAlive), [], 'no process of the task survives the kill');
  });

  it('honours the KillPolicy grace period: SIGTERM first, SIGKILL only after the grace period', async () => {
    const offer = await s.nextOffer();
    const taskId = id('grace');
    await s.launch(offer, [commandTask(offer, taskId, { value: 'trap "echo got-term >> trap.txt" TERM; echo $$ > pids; while true; do sleep 0.05; done' }, {}, {
      kill_policy: { grace_period: { nanoseconds: 400_000_000 } },
    })]);
    await s.waitState(taskId, 'TASK_RUNNING');
    const dir = await sandboxOf(cluster.masterUrl, s.frameworkId, taskId);
    const [pid] = await pidsFrom(cluster.masterUrl, `${dir}/pids`, 1);
    const asked = Date.now();
    await s.mustCall('KILL', { task_id: { value: taskId }, agent_id: offer.agent_id });
    const killed = await s.waitState(taskId, 'TASK_KILLED');
    assert.ok(Date.now() - asked >= 400, 'not killed before the grace period ended');
    assert.match(killed.update.status.message, /Killed/, 'it ignored SIGTERM, so SIGKILL ended it');
    assert.match(await readSandboxFile(cluster.masterUrl, `${dir}/trap.txt`), /got-term/);
    assert.equal(pidAlive(pid), false);
  });

  it('reaps what a finished command left running in the background', async () => {
    const offer = await s.nextOffer();
    const taskId = id('bg');
    await s.launch(offer, [commandTask(offer, taskId, { value: 'sleep 600 & echo $! > pids; exit 0' })]);
    await s.waitState(taskId, 'TASK_FINISHED');
    const [pid] = await pidsFrom(cluster.masterUrl, `${await sandboxOf(cluster.masterUrl, s.frameworkId, taskId)}/pids`, 1);
    assert.equal(pidAlive(pid), false);
  });

  it('a task group runs in nested sandboxes on one agent and dies together when one task fails', async () => {
    const offer = await s.nextOffer();
    const g = randomUUID().slice(0, 8);
    const [ok, bad] = [`grp-${g}-ok`, `grp-${g}-bad`];
    await s.call('ACCEPT', {
      offer_ids: [offer.id],
      operations: [{
        type: 'LAUNCH_GROUP',
        launch_group: {
          executor: { type: 'DEFAULT', executor_id: { value: `ex-${g}` } },
          task_group: {
            tasks: [
              commandTask(offer, ok, { value: 'echo $$ > pids; echo "$MESOS_SANDBOX" > where; sleep 600' }),
              commandTask(offer, bad, { value: 'until [ -s ../' + ok + '/where ]; do sleep 0.02; done; exit 4' }),
            ],
          },
        },
      }],
    });
    const failed = await s.waitState(bad, 'TASK_FAILED');
    assert.match(failed.update.status.message, /status 4/);
    await s.waitState(ok, 'TASK_KILLED');
    const dir = await sandboxOf(cluster.masterUrl, s.frameworkId, ok);
    assert.match(dir, new RegExp(`/executors/ex-${g}/runs/[0-9a-f-]+/tasks/${ok}$`));
    assert.equal((await readSandboxFile(cluster.masterUrl, `${dir}/where`)).trim(), dir);
    const [pid] = await pidsFrom(cluster.masterUrl, `${dir}/pids`, 1);
    assert.equal(pidAlive(pid), false);
    const failure = await s.stream.nextOfType('FAILURE');
    assert.deepEqual(failure.failure, { agent_id: offer.agent_id, executor_id: { value: `ex-${g}` }, status: 256 });
  });

  it('gives each agent its own block of ports, free on this machine', async () => {
    const ranges = cluster.agents.map((a) => a.ports);
    for (let i = 0; i < ranges.length; i++) {
      for (let j = i + 1; j < ranges.length; j++) assert.ok(ranges[i].end < ranges[j].begin || ranges[j].end < ranges[i].begin, 'agents never share a port');
    }
    // A task binds its offered port: it is really free.
    const offer = await s.nextOffer();
    const port = offer.resources.find((r: Json) => r.name === 'ports').ranges.range[0].begin;
    const taskId = id('bind');
    await s.launch(offer, [commandTask(offer, taskId, {
      shell: false, value: process.execPath, arguments: ['node', '-e', `require('net').createServer().listen(${port}, '0.0.0.0', function () { console.log('bound ' + this.address().port); this.close(); })`],
    }, {}, { resources: [{ name: 'cpus', type: 'SCALAR', scalar: { value: 0.1 } }, { name: 'mem', type: 'SCALAR', scalar: { value: 32 } }, { name: 'ports', type: 'RANGES', ranges: { range: [{ begin: port, end: port }] } }] })]);
    await s.waitState(taskId, 'TASK_FINISHED');
    assert.equal(await readSandboxFile(cluster.masterUrl, `${await sandboxOf(cluster.masterUrl, s.frameworkId, taskId)}/stdout`), `bound ${port}\n`);
  });

  it('stopping the cluster leaves no task process behind', async () => {
    const own = await startTestCluster({ agents: 1 });
    const fw = await RawScheduler.subscribe(own.masterUrl);
    try {
      const offer = await fw.nextOffer();
      const taskId = id('orphan');
      await fw.launch(offer, [commandTask(offer, taskId, { value: 'echo $$ > pids; sleep 600 & echo $! >> pids; wait' })]);
      await fw.waitState(taskId, 'TASK_RUNNING');
      const pids = await pidsFrom(own.masterUrl, `${await sandboxOf(own.masterUrl, fw.frameworkId, taskId)}/pids`, 2);
      assert.ok(pids.every(pidAlive));
      await own.stop();
      await eventually('the task processes to be gone', () => (pids.some(pidAlive) ? undefined : true), 5000);
    } finally {
      fw.close();
      await own.stop();
    }
  });
});
