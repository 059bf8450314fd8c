import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ConfigError, listSettings, loadConfig, renderConfigDocs } from '@msched/config';

function problemsOf(env: Record<string, string>): string[] {
  try {
    loadConfig(env);
  } catch (e) {
    assert.ok(e instanceof ConfigError, `expected ConfigError, got ${e}`);
    return e.problems;
  }
  assert.fail('configuration was accepted');
}

describe('config', () => {
  it('applies documented defaults when nothing is set', () => {
    const cfg = loadConfig({});
    assert.equal(cfg.api.port, 9930);
    assert.equal(cfg.api.transport, 'buffered');
    assert.deepEqual(cfg.kafka.brokers, ['127.0.0.1:29092']);
    assert.equal(cfg.mesos.failoverTimeoutSeconds, 604800);
    assert.deepEqual(cfg.api.queueRoles, { normal: 'mpi', debug: 'mpi' });
  });

  it('reads typed values from the environment', () => {
    const cfg = loadConfig({ MSCHED_API_PORT: '8930', MSCHED_KAFKA_BROKERS: 'k1:9092, k2:9093', MSCHED_DATABASE_MIGRATE_ON_START: 'no', MSCHED_API_QUEUE_ROLES: 'batch=hpc' });
    assert.equal(cfg.api.port, 8930);
    assert.deepEqual(cfg.kafka.brokers, ['k1:9092', 'k2:9093']);
    assert.equal(cfg.database.runMigrations, false);
    assert.deepEqual(cfg.api.queueRoles, { batch: 'hpc' });
  });

  it('names the variable, the value and what is expected for a wrong value', () => {
    const [p] = problemsOf({ MSCHED_API_PORT: '70000' });
    assert.equal(p, 'MSCHED_API_PORT="70000" is invalid: expected a TCP port number between 1 and 65535');
  });

  it('reports every wrong value at once', () => {
    const problems = problemsOf({ MSCHED_API_PORT: 'abc', MSCHED_KAFKA_BROKERS: 'nohost', MSCHED_API_TRANSPORT: 'http', MSCHED_MESOS_MASTER: 'ftp://x' });
    assert.equal(problems.length, 4);
    assert.match(problems.join('\n'), /MSCHED_KAFKA_BROKERS="nohost" is invalid: expected a comma-separated list of host:port/);
    assert.match(problems.join('\n'), /MSCHED_API_TRANSPORT="http" is invalid: expected one of buffered, framed/);
    assert.match(problems.join('\n'), /MSCHED_MESOS_MASTER="ftp:\/\/x" is invalid: expected a URL with scheme zk or http or https/);
  });

  it('never echoes a secret value', () => {
    const [p] = problemsOf({ MSCHED_DATABASE_URL: 'mysql://u:hunter2@h/db' });
    assert.equal(p, 'MSCHED_DATABASE_URL=<redacted> is invalid: expected a URL with scheme postgres or postgresql');
    assert.doesNotMatch(p, /hunter2/);
  });

  it('reads an optional settings file, overridden by the environment', () => {
    const dir = mkdtempSync(join(tmpdir(), 'cfg-'));
    const file = join(dir, 'msched.env');
    writeFileSync(file, '# comment\nMSCHED_API_PORT=9000\nMSCHED_MESOS_ROLE="hpc"\n');
    const cfg = loadConfig({ MSCHED_CONFIG_FILE: file, MSCHED_MESOS_ROLE: 'gpu' });
    assert.equal(cfg.api.port, 9000);
    assert.equal(cfg.mesos.role, 'gpu');
    const json = join(dir, 'msched.json');
    writeFileSync(json, JSON.stringify({ MSCHED_API_PORT: 9001 }));
    assert.equal(loadConfig({ MSCHED_CONFIG_FILE: json }).api.port, 9001);
  });

  it('rejects unknown settings in the file and unreadable files', () => {
    const dir = mkdtempSync(join(tmpdir(), 'cfg-'));
    const file = join(dir, 'bad.env');
    writeFileSync(file, 'MSCHED_API_PROT=9000\n');
    assert.match(problemsOf({ MSCHED_CONFIG_FILE: file })[0], /MSCHED_API_PROT in MSCHED_CONFIG_FILE is not a known setting/);
    assert.match(problemsOf({ MSCHED_CONFIG_FILE: join(dir, 'missing.env') })[0], /cannot be read/);
  });

  it('is frozen so no module can change it behind the others', () => {
    const cfg = loadConfig({});
    assert.throws(() => { (cfg.api as { port: number }).port = 1; }, TypeError);
  });

  it('has one environment variable per setting', () => {
    const names = listSettings().map((s) => s.setting.env);
    assert.equal(new Set(names).size, names.length);
    assert.ok(names.every((n) => /^MSCHED_[A-Z0-9_]+$/.test(n)), names.join(','));
  });

  it('docs/configuration.md documents exactly the settings the code reads', () => {
    const doc = readFileSync(join(__dirname, '../../../../docs/configuration.md'), 'utf8');
    assert.equal(doc, renderConfigDocs(), 'docs/configuration.md is stale: run npm run docs:config');
  });
});

describe('config: scheduling (fair share and quotas)', () => {
  it('defaults to fair share with equal shares, a 7-day half-life and no quotas', () => {
    const s = loadConfig({}).scheduling;
    assert.equal(s.order, 'fair-share');
    assert.deepEqual(s.gatewayShares, {});
    assert.equal(s.halfLifeHours, 168);
    assert.deepEqual(s.maxRunningCores, {});
    assert.deepEqual(s.maxWaitingGangs, {});
  });

  it('reads shares and quotas per gateway', () => {
    const s = loadConfig({
      MSCHED_SCHEDULING_GATEWAY_SHARES: 'seagrid=2, ultrascan=0.5',
      MSCHED_SCHEDULING_MAX_RUNNING_CORES: 'seagrid=256',
      MSCHED_SCHEDULING_MAX_WAITING_GANGS: 'seagrid=500,ultrascan=10',
      MSCHED_SCHEDULING_ORDER: 'fifo',
    }).scheduling;
    assert.deepEqual(s.gatewayShares, { seagrid: 2, ultrascan: 0.5 });
    assert.deepEqual(s.maxRunningCores, { seagrid: 256 });
    assert.deepEqual(s.maxWaitingGangs, { seagrid: 500, ultrascan: 10 });
    assert.equal(s.order, 'fifo');
  });

  it('names the wrong pair of a share or a quota', () => {
    assert.deepEqual(problemsOf({ MSCHED_SCHEDULING_GATEWAY_SHARES: 'seagrid=2,ultrascan=0' }), [
      'MSCHED_SCHEDULING_GATEWAY_SHARES="seagrid=2,ultrascan=0" is invalid: expected comma-separated key=number pairs, each number > 0 (or empty); ultrascan=0: the weight must be a number > 0',
    ]);
    assert.deepEqual(problemsOf({ MSCHED_SCHEDULING_MAX_WAITING_GANGS: 'seagrid=ten' }), [
      'MSCHED_SCHEDULING_MAX_WAITING_GANGS="seagrid=ten" is invalid: expected comma-separated key=integer pairs, each integer >= 1 (or empty); seagrid=ten: the limit must be an integer >= 1',
    ]);
    assert.match(problemsOf({ MSCHED_SCHEDULING_MAX_RUNNING_CORES: 'seagrid=4,seagrid=8' })[0]!, /seagrid is given twice$/);
    assert.match(problemsOf({ MSCHED_SCHEDULING_MAX_RUNNING_CORES: 'seagrid' })[0]!, /"seagrid" is not key=value$/);
    assert.match(problemsOf({ MSCHED_SCHEDULING_HALF_LIFE_HOURS: '0' })[0]!, /^MSCHED_SCHEDULING_HALF_LIFE_HOURS="0" is invalid: expected a number > 0$/);
  });
});
