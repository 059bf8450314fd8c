import assert from 'node:assert/strict';
import { agentSpecs, parseAgentCli, parseCli, specResources } from '@msched/mesos-local/dist/internals';

describe('mesos-local command line', () => {
  it('reads the cluster options, with --flag value and --flag=value', () => {
    const c = parseCli(['--agents', '3', '--port=25050', '--zk', 'zk://127.0.0.1:22181/mesos', '--work-dir', '/tmp/w', '--cpus', '8', '--mem', '8192', '--disk', '100',
      '--ports', '31000-31299', '--attributes', 'rack:r%i', '--allocation-interval-ms', '100', '--heartbeat-seconds', '2', '--update-retry-ms', '500', '--kill-grace-ms', '1000', '--log-level', 'debug']);
    assert.equal(c.kind, 'cluster');
    if (c.kind !== 'cluster') return;
    assert.deepEqual(c.options, {
      agents: 3, port: 25050, zk: 'zk://127.0.0.1:22181/mesos', workDir: '/tmp/w', cpus: 8, mem: 8192, disk: 100, ports: { begin: 31000, end: 31299 }, attributes: 'rack:r%i',
      timing: { allocationIntervalMs: 100, heartbeatIntervalSeconds: 2 }, statusUpdateRetry: { baseMs: 500, maxMs: 600000 }, defaultKillGraceMs: 1000,
    });
    assert.equal(c.logLevel, 'debug');
    const counted = parseCli(['--ports', '8']);
    assert.ok(counted.kind === 'cluster' && counted.options.ports === 8);
  });

  it('gives tasks a PATH without node and sizes the fetcher cache', () => {
    const c = parseCli(['--tasks-without-node', '--fetcher-cache-mb', '512']);
    assert.ok(c.kind === 'cluster');
    if (c.kind !== 'cluster') return;
    assert.equal(c.options.tasksWithoutNode, true);
    assert.equal(c.options.fetcherCacheBytes, 512 * 1024 * 1024);
    assert.throws(() => parseCli(['--fetcher-cache-mb', 'lots']), /--fetcher-cache-mb needs a number/);
  });

  it('reads `agent` options: an added agent may hide node from its tasks and size its fetcher cache; unknown flags are refused', () => {
    const base = ['--master', 'zk://h:1/mesos', '--hostname', 'lease-1', '--work-dir', '/w'];
    assert.deepEqual(parseAgentCli([...base, '--cpus', '2', '--mem', '1024', '--tasks-without-node', '--fetcher-cache-mb', '64', '--sandbox-gc-delay-ms', '0']), {
      master: 'zk://h:1/mesos', hostname: 'lease-1', workDir: '/w', cpus: 2, mem: 1024, disk: 10240, ports: 100, attributes: '',
      sandboxGcDelayMs: 0, tasksWithoutNode: true, fetcherCacheBytes: 64 * 1024 * 1024,
    });
    assert.equal(parseAgentCli(base)!.tasksWithoutNode, false);
    assert.equal(parseAgentCli(['--help']), null);
    assert.throws(() => parseAgentCli([...base, '--tasks-without-nodes', 'x']), /unknown argument --tasks-without-nodes/);
    assert.throws(() => parseAgentCli(['--master', 'zk://h:1/mesos']), /--master, --hostname and --work-dir are required/);
    assert.throws(() => parseAgentCli([...base, '--cpus']), /--cpus needs a value/);
    assert.throws(() => parseAgentCli([...base, '--mem', 'lots']), /--mem needs a number/);
  });

  it('runs a standby as one master without agents that keeps the registry', () => {
    const c = parseCli(['--standby', '--zk', 'zk://h:1/mesos', '--port', '25051']);
    assert.ok(c.kind === 'cluster' && c.standby && c.options.standby === true && c.options.resetRegistry === false);
  });

  it('refuses what it cannot use, naming the flag', () => {
    assert.throws(() => parseCli(['--agents', 'many']), /--agents needs a number/);
    assert.throws(() => parseCli(['--standby']), /--standby needs --zk/);
    assert.throws(() => parseCli(['--masters', '2']), /--masters > 1 needs --zk/);
    assert.throws(() => parseCli(['--log-level', 'loud']), /--log-level must be/);
    assert.throws(() => parseCli(['--what']), /unknown option --what/);
    assert.throws(() => parseCli(['probe']), /probe needs a master URL/);
    assert.deepEqual(parseCli(['probe', 'http://x:1']), { kind: 'probe', url: 'http://x:1' });
    assert.deepEqual(parseCli(['--help']), { kind: 'help' });
  });

  it('gives agents host names agent1.., the defaults, their port block and numbered attributes', () => {
    const specs = agentSpecs(2, { cpus: 4, mem: 4096, disk: 10, attributes: 'rack:r%i' }, [{ begin: 1, end: 2 }, { begin: 3, end: 4 }], [undefined, { cpus: 1, hostname: 'big' }]);
    assert.deepEqual(specs.map((s) => [s.hostname, s.cpus, s.ports.begin, s.attributes[0].text?.value]), [['agent1', 4, 1, 'r1'], ['big', 1, 3, 'r2']]);
    assert.deepEqual(specResources(specs[0]).map((r) => r.name), ['cpus', 'mem', 'disk', 'ports']);
  });
});
