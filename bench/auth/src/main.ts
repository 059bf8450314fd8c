import { ChildProcess, spawn } from 'node:child_process';
import { randomBytes, randomUUID } from 'node:crypto';
import { cpus } from 'node:os';
import { resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { Client } from 'pg';
import { AuthzToken, connectMetaScheduler, exampleExperiment, MetaSchedulerConnection } from '@msched/airavata-thrift';
import { createOidcAuthorizer } from '@msched/api';
import { loadConfig } from '@msched/config';
import { openDatabase } from '@msched/db';
import { OidcIssuer, passwordLogin } from '@msched/local-oidc';
import { freePort, portOpen } from '@msched/devstack';

/**
 * bench/auth: what Keycloak token checks (MSCHED_API_AUTH_MODE=oidc) add to a launch. In one run,
 * three API processes over the same real PostgreSQL database take launches interleaved launch by
 * launch (the order rotating, so a change of load on the shared machine hits all alike): one with
 * oidc against a local Keycloak-shaped issuer, one with no token check, and a second with no token
 * check as a control, whose difference from the first is the noise floor of the run. What oidc adds
 * is the median of the paired differences (oidc minus none, step by step). Then the authorizer
 * alone, in process, with its identity cache (a token reused, as Airavata reuses a user's token)
 * and without (every call verifies RS256).
 *
 *   npm run bench:auth -- [--rounds 10] [--per-round 200] [--clients 1]   (rounds x per-round steps)
 */
const ROOT = resolve(__dirname, '../../..');
const { values: args } = parseArgs({ options: {
  rounds: { type: 'string', default: '10' }, 'per-round': { type: 'string', default: '200' }, clients: { type: 'string', default: '1' },
} });
const ROUNDS = Number(args.rounds);
const PER_ROUND = Number(args['per-round']);
const CLIENTS = Number(args.clients);

function percentile(sorted: readonly number[], p: number): number {
  return sorted[Math.max(0, Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1))];
}
const stats = (xs: number[]) => {
  const s = [...xs].sort((a, b) => a - b);
  return { n: s.length, p50: percentile(s, 50), p99: percentile(s, 99) };
};

async function startApi(env: NodeJS.ProcessEnv): Promise<{ child: ChildProcess; port: number }> {
  const port = await freePort();
  const child = spawn(process.execPath, [resolve(ROOT, 'services/api/dist/main.js')], { env: { ...env, MSCHED_API_PORT: String(port) }, stdio: ['ignore', 'ignore', 'inherit'] });
  for (let i = 0; i < 400; i++) {
    if (child.exitCode !== null) throw new Error('an API process exited during start-up');
    if (await portOpen(port)) return { child, port };
    await new Promise((r) => setTimeout(r, 50));
  }
  throw new Error(`an API process did not listen on ${port}`);
}

/** `total` launches over `clients` loops, each waiting for its previous call; latencies in ms. */
async function launches(conns: MetaSchedulerConnection[], token: AuthzToken, total: number): Promise<number[]> {
  const out: number[] = [];
  let next = 0;
  await Promise.all(conns.map(async (c) => {
    while (next++ < total) {
      const exp = exampleExperiment({ experimentId: `Exp_bench_${randomUUID()}`, userName: 'alice' });
      const t0 = process.hrtime.bigint();
      await c.client.launchExperiment(token, exp);
      out.push(Number(process.hrtime.bigint() - t0) / 1e6);
    }
  }));
  return out;
}

/** Median µs of `n` calls of the authorizer alone. */
async function authorizerMicros(authorize: ReturnType<typeof createOidcAuthorizer>, token: AuthzToken, n: number): Promise<number[]> {
  const out: number[] = [];
  for (let i = 0; i < n; i++) {
    const t0 = process.hrtime.bigint();
    await authorize(token);
    out.push(Number(process.hrtime.bigint() - t0) / 1e3);
  }
  return out;
}

async function main(): Promise<void> {
  const run = `bench_auth_${Date.now().toString(36)}${randomBytes(2).toString('hex')}`;
  const base = loadConfig({ ...process.env, MSCHED_API_AUTH_MODE: 'none' });
  const adminUrl = base.database.url.replace(/\/[^/?]*(\?|$)/, '/postgres$1');
  const dbUrl = adminUrl.replace(/\/postgres(\?|$)/, `/msched_${run}$1`);
  const admin = new Client({ connectionString: adminUrl });
  await admin.connect();
  await admin.query(`CREATE DATABASE "msched_${run}"`);
  const idp = new OidcIssuer();
  await idp.start();
  await idp.addRealm('bench');
  idp.addUser('bench', 'alice', 'alice-pw');
  const common = {
    ...process.env, MSCHED_ENV: 'test', MSCHED_DATABASE_URL: dbUrl, MSCHED_LOG_LEVEL: 'warn', MSCHED_API_HEALTH_PORT: '0',
    MSCHED_API_RUN_RELAY: 'false', MSCHED_KAFKA_TOPIC_PREFIX: `msched.${run}.`,
  };
  const oidcEnv = { ...common, MSCHED_API_AUTH_MODE: 'oidc', MSCHED_API_OIDC_URL: idp.baseUrl, MSCHED_API_OIDC_DEFAULT_REALM: 'bench' };
  const ds = await openDatabase(loadConfig(common).database, { migrate: true, applicationName: 'msched-bench-auth' });
  const procs: ChildProcess[] = [];
  const conns: MetaSchedulerConnection[] = [];
  try {
    const off = await startApi({ ...common, MSCHED_API_AUTH_MODE: 'none' });
    procs.push(off.child);
    const control = await startApi({ ...common, MSCHED_API_AUTH_MODE: 'none' });
    procs.push(control.child);
    const on = await startApi(oidcEnv);
    procs.push(on.child);
    const connect = async (port: number) => Promise.all(Array.from({ length: CLIENTS }, async () => {
      const c = await connectMetaScheduler({ host: '127.0.0.1', port });
      conns.push(c);
      return c;
    }));
    const offConns = await connect(off.port);
    const onConns = await connect(on.port);
    const controlConns = await connect(control.port);
    // Logged in as a portal would, then a token of the same shape that outlives the run (Keycloak's 5 min would not).
    await passwordLogin(`${idp.issuer('bench')}/protocol/openid-connect/token`, 'pga', 'alice', 'alice-pw');
    const token = new AuthzToken({ accessToken: await idp.token('bench', 'alice', { expiresIn: 3600 }), claimsMap: { gatewayID: 'test-gateway', userName: 'alice' } });
    process.stderr.write(`bench:auth: ${ROUNDS} x ${PER_ROUND} interleaved steps of one launch per client in each of 3 processes, ${CLIENTS} client(s) each, ${cpus().length} cpus\n`);
    await launches(offConns, token, 100);
    await launches(onConns, token, 100);
    await launches(controlConns, token, 100);
    const offLat: number[] = [];
    const onLat: number[] = [];
    const controlLat: number[] = [];
    // Launches interleave step by step (one per client in each process, the order rotating), so a
    // change of load on the shared machine hits all three alike; each step gives paired differences.
    const pairedOidc: number[] = [];
    const pairedControl: number[] = [];
    const modes = [[offConns, offLat], [onConns, onLat], [controlConns, controlLat]] as const;
    const mean = (xs: number[]) => xs.reduce((x, y) => x + y, 0) / xs.length;
    for (let step = 0; step < ROUNDS * PER_ROUND; step++) {
      const m = new Map<number, number>();
      for (let k = 0; k < modes.length; k++) {
        const i = (step + k) % modes.length;
        const [cs, acc] = modes[i];
        const lat = await launches(cs, token, cs.length);
        acc.push(...lat);
        m.set(i, mean(lat));
      }
      pairedOidc.push(m.get(1)! - m.get(0)!);
      pairedControl.push(m.get(2)! - m.get(0)!);
    }
    const a = stats(offLat);
    const b = stats(onLat);
    const c = stats(controlLat);
    const median = (xs: number[]) => stats(xs).p50;
    const added = median(pairedOidc);

    // The authorizer alone, in this process (no Thrift, no database).
    const oidcCfg = loadConfig(oidcEnv).api.oidc;
    const cached = await authorizerMicros(createOidcAuthorizer(oidcCfg), token, 20000);
    const uncached = await authorizerMicros(createOidcAuthorizer({ ...oidcCfg, cacheSeconds: 0 }), token, 2000);
    const hit = stats(cached.slice(100));
    const miss = stats(uncached.slice(100));

    const row = (name: string, s: { n: number; p50: number; p99: number }, unit: string) => `${name.padEnd(42)} ${String(s.n).padStart(6)}  p50 ${s.p50.toFixed(3).padStart(8)} ${unit}  p99 ${s.p99.toFixed(3).padStart(8)} ${unit}`;
    process.stdout.write([
      '',
      row('launchExperiment, no token check (none)', a, 'ms'),
      row('launchExperiment, Keycloak token (oidc)', b, 'ms'),
      row('launchExperiment, none again (control)', c, 'ms'),
      row('authorizer alone, token cached', hit, 'µs'),
      row('authorizer alone, every call verifies', miss, 'µs'),
      '',
      `oidc adds to a launch, p50:           ${(b.p50 - a.p50).toFixed(3)} ms (ratio ${(b.p50 / a.p50).toFixed(3)})`,
      `oidc adds to a launch, p99:           ${(b.p99 - a.p99).toFixed(3)} ms (ratio ${(b.p99 / a.p99).toFixed(3)})`,
      `control (none vs none), p50:          ${(c.p50 - a.p50).toFixed(3)} ms: the noise floor of this run`,
      `median of paired differences:         oidc ${added.toFixed(3)} ms, control ${median(pairedControl).toFixed(3)} ms (${pairedOidc.length} steps)`,
      `aim (adds <= 0.2 ms p50, paired):     ${added <= 0.2 ? 'met' : 'NOT met'}`,
      '',
    ].join('\n'));
  } finally {
    await Promise.all(conns.map((c) => c.close().catch(() => undefined)));
    for (const p of procs) {
      const exited = new Promise((r) => p.once('exit', r));
      p.kill('SIGTERM');
      await exited;
    }
    await ds.destroy();
    await idp.stop();
    await admin.query(`DROP DATABASE IF EXISTS "msched_${run}" WITH (FORCE)`);
    await admin.end();
  }
}

main().catch((e) => {
  process.stderr.write(`bench failed: ${(e as Error)?.stack ?? String(e)}\n`);
  process.exit(1);
});
