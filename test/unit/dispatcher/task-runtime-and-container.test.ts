import assert from 'node:assert/strict';
import { loadConfig } from '@msched/config';
import type { AgentLaunch } from '@msched/gang';
import type { GangSpec } from '@msched/model';
import { buildGangTasks, containerInfoOf, taskRunner } from '@msched/dispatcher';
import { parseCatalogue, CatalogueError, resolveGang } from '@msched/provisioner';

/**
 * Mesos' ContainerInfo as mesos.proto (v1) defines the parts we use: every field name and enum value
 * the dispatcher may send. Anything else in our JSON would be dropped or refused by a real master.
 */
const SHAPE: Record<string, Record<string, string | readonly string[]>> = {
  ContainerInfo: { type: ['DOCKER', 'MESOS'], docker: 'DockerInfo', mesos: 'MesosInfo' },
  DockerInfo: { image: 'string', network: ['HOST', 'BRIDGE', 'NONE', 'USER'], force_pull_image: 'boolean' },
  MesosInfo: { image: 'Image' },
  Image: { type: ['APPC', 'DOCKER'], docker: 'ImageDocker' },
  ImageDocker: { name: 'string' },
};
const REQUIRED: Record<string, readonly string[]> = { ContainerInfo: ['type'], DockerInfo: ['image'], Image: ['type'], ImageDocker: ['name'] };

function checkShape(value: unknown, message: string, at = message): void {
  assert.equal(typeof value, 'object', `${at} is an object`);
  const fields = SHAPE[message];
  for (const k of REQUIRED[message] ?? []) assert.ok(k in (value as object), `${at}.${k} is required`);
  for (const [k, v] of Object.entries(value as Record<string, unknown>)) {
    const kind = fields[k];
    assert.ok(kind !== undefined, `${at}.${k} is not a field of ${message}`);
    if (Array.isArray(kind)) assert.ok(kind.includes(v as string), `${at}.${k}=${JSON.stringify(v)} is not one of ${kind.join(', ')}`);
    else if (kind === 'string' || kind === 'boolean') assert.equal(typeof v, kind, `${at}.${k}`);
    else checkShape(v, kind as string, `${at}.${k}`);
  }
}

const cfg = loadConfig({ MSCHED_ZK_CONNECT: 'zk1:2181' });
const runtime = `http://d:9933/runtime/msched-task-${'b'.repeat(64)}`;
const agents: AgentLaunch[] = [
  { agentId: 'S1', hostname: 'agent1', offerIds: ['O1'], ranks: [0, 1], cpus: 2, mem: 512, disk: 0, ports: [31001], resources: [] },
  { agentId: 'S2', hostname: 'agent2', offerIds: ['O2'], ranks: [2, 3], cpus: 2, mem: 512, disk: 0, ports: [31005], resources: [] },
];
function spec(app: Partial<GangSpec['app']> = {}): GangSpec {
  return {
    jobId: 'JOB_1', processId: 'P1', experimentId: 'E1', gatewayId: 'gw', attempt: 1, ranks: 4, cpusPerRank: 1, memMbPerRank: 256, wallTimeSeconds: 120, role: 'mpi',
    app: { executable: '/opt/app/solver', args: [], env: {}, mpi: 'openmpi', uris: [{ value: 'http://repo/input.tgz', extract: true }], ...app },
  };
}
const build = (s: GangSpec) => buildGangTasks({ id: 'JOB_1', processId: 'P1', experimentId: 'E1', gatewayId: 'gw', attempt: 1 }, s, agents, {
  gang: { zookeeper: cfg.zookeeper, mpi: cfg.mpi }, runner: { uri: runtime }, killGraceMs: 5000,
});

describe('dispatcher: tasks carry the runtime URI, and a container when the application has one', () => {
  it('every task fetches the runtime first (cached, executable), then the inputs', () => {
    for (const t of build(spec())) {
      assert.deepEqual(t.info.command!.uris, [
        { value: runtime, executable: true, extract: false, cache: true, output_file: 'msched-task' },
        { value: 'http://repo/input.tgz', extract: true },
      ]);
      assert.equal(t.info.command!.value, './msched-task');
      assert.equal(t.info.container, undefined);
    }
  });

  it('Docker containerizer: ContainerInfo{DOCKER, docker{image, network HOST}} in Mesos\' shape', () => {
    const tasks = build(spec({ container: { type: 'docker', image: 'registry.example.org/msched/task-openmpi:1', forcePullImage: true } }));
    for (const t of tasks) {
      assert.deepEqual(t.info.container, { type: 'DOCKER', docker: { image: 'registry.example.org/msched/task-openmpi:1', network: 'HOST', force_pull_image: true } });
      checkShape(t.info.container, 'ContainerInfo');
      assert.equal(t.info.command!.uris![0].value, runtime, 'the runtime is still fetched into the sandbox');
    }
  });

  it('Mesos containerizer: ContainerInfo{MESOS, mesos{image{DOCKER, docker{name}}}} in Mesos\' shape', () => {
    const info = containerInfoOf({ type: 'mesos', image: 'msched/task-mpich:1' });
    assert.deepEqual(info, { type: 'MESOS', mesos: { image: { type: 'DOCKER', docker: { name: 'msched/task-mpich:1' } } } });
    checkShape(info, 'ContainerInfo');
  });

  it('the shape check itself refuses a wrong field (positive control)', () => {
    assert.throws(() => checkShape({ type: 'DOCKER', docker: { image: 'x', net: 'HOST' } }, 'ContainerInfo'), /net is not a field of DockerInfo/);
    assert.throws(() => checkShape({ type: 'DOCKER', docker: { image: 'x', network: 'host' } }, 'ContainerInfo'), /not one of/);
  });

  it('the catalogue takes a container per application and names every problem', () => {
    const cat = parseCatalogue({ applications: { sim: { executable: '/opt/sim', mpi: 'openmpi', container: { type: 'docker', image: 'msched/task:1' } } } });
    assert.deepEqual(cat.get('sim')!.container, { type: 'docker', image: 'msched/task:1' });
    assert.throws(() => parseCatalogue({ applications: { sim: { executable: '/opt/sim', container: { type: 'rkt', image: '', extra: 1 } } } }), (e: unknown) => {
      assert.ok(e instanceof CatalogueError);
      assert.match(e.message, /container\.type must be "docker"/);
      assert.match(e.message, /container\.image must be a Docker image reference/);
      assert.match(e.message, /container\.extra is not a container setting/);
      return true;
    });
  });

  it('a queue may give the image of its applications; an application\'s own wins', () => {
    const cat = parseCatalogue({
      applications: { plain: { executable: '/opt/plain', mpi: 'openmpi' }, own: { executable: '/opt/own', mpi: 'openmpi', container: { type: 'mesos', image: 'own:1' } } },
      queues: { gpu: { container: { type: 'docker', image: 'site/task-openmpi:2' } } },
    });
    const launch = (app: string, queueName: string) => resolveGang({
      experimentId: 'E', processId: 'P', jobId: 'J', taskId: 'T', attempt: 1, gatewayId: 'g', userName: 'u', applicationDeploymentId: app,
      scheduling: { totalCPUCount: 2, nodeCount: 1, queueName, wallTimeLimit: 5 }, inputs: [], outputs: [],
    }, cat, { queueRoles: { gpu: 'mpi', normal: 'mpi' }, defaultRole: 'mpi', defaultMemMbPerRank: 128, defaultWallTimeMinutes: 10 });
    assert.deepEqual(launch('plain', 'gpu').app.container, { type: 'docker', image: 'site/task-openmpi:2' });
    assert.equal(launch('plain', 'normal').app.container, undefined);
    assert.deepEqual(launch('own', 'gpu').app.container, { type: 'mesos', image: 'own:1' });
    assert.throws(() => parseCatalogue({ applications: {}, queues: { gpu: { image: 'x' } } }), /queues\["gpu"\] must be \{"container"/);
  });

  it('without a runtime to fetch, a launch says what to do', () => {
    assert.throws(() => taskRunner(cfg), /npm run build:runtime .* or set MSCHED_RUNTIME_URI/);
    assert.deepEqual(taskRunner({ ...cfg, runtime: { ...cfg.runtime, uri: runtime } }), { uri: runtime });
  });
});
