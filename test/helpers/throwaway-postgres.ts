import { ChildProcess, execFileSync, spawn } from 'node:child_process';
import { chmodSync, chownSync, mkdtempSync, readdirSync, rmSync, writeFileSync, appendFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Client } from 'pg';
import { freePort } from '@msched/devstack';
import { eventually, GiveUp } from './eventually';

/**
 * A PostgreSQL server of a test's own (initdb into a temporary folder, on a free port), for tests
 * that need a server configured unlike the shared one: here TLS only (`hostssl`), with a certificate
 * of a test CA. Runs as the "postgres" user when started as root, as deploy/local/stack.sh does.
 */
export interface ThrowawayPostgres {
  port: number;
  stop(): Promise<void>;
}

function pgBin(): string {
  const versions = readdirSync('/usr/lib/postgresql').sort((a, b) => Number(a) - Number(b));
  if (!versions.length) throw new Error('no PostgreSQL under /usr/lib/postgresql (deploy/local/install-deps.sh installs it)');
  return join('/usr/lib/postgresql', versions[versions.length - 1], 'bin');
}


export async function startTlsPostgres(tls: { cert: string; key: string }): Promise<ThrowawayPostgres> {
  const bin = pgBin();
  const asRoot = process.getuid?.() === 0;
  const ids = asRoot ? { uid: Number(execFileSync('id', ['-u', 'postgres']).toString()), gid: Number(execFileSync('id', ['-g', 'postgres']).toString()) } : undefined;
  const dir = mkdtempSync(join(tmpdir(), 'msched-pg-'));
  const data = join(dir, 'data');
  if (ids) chownSync(dir, ids.uid, ids.gid);
  execFileSync(join(bin, 'initdb'), ['-D', data, '-U', 'postgres', '--auth=trust', '--no-sync'], { stdio: 'ignore', ...(ids ?? {}) });
  const port = await freePort();
  writeFileSync(join(data, 'server.crt'), tls.cert);
  writeFileSync(join(data, 'server.key'), tls.key);
  chmodSync(join(data, 'server.key'), 0o600);
  if (ids) for (const f of ['server.crt', 'server.key']) chownSync(join(data, f), ids.uid, ids.gid);
  appendFileSync(join(data, 'postgresql.conf'), [
    `port = ${port}`, "listen_addresses = '127.0.0.1'", `unix_socket_directories = '${dir}'`, 'ssl = on',
    "ssl_cert_file = 'server.crt'", "ssl_key_file = 'server.key'", 'fsync = off', 'max_connections = 30', '',
  ].join('\n'));
  // TLS only: a plain connection finds no pg_hba entry.
  writeFileSync(join(data, 'pg_hba.conf'), 'local all all trust\nhostssl all all 127.0.0.1/32 trust\n');
  const proc: ChildProcess = spawn(join(bin, 'postgres'), ['-D', data], { stdio: 'ignore', ...(ids ?? {}) });
  const stop = async () => {
    if (proc.exitCode === null) {
      const gone = new Promise((r) => proc.once('exit', r));
      proc.kill('SIGINT'); // fast shutdown
      await gone;
    }
    rmSync(dir, { recursive: true, force: true });
  };
  try {
    await eventually('the throwaway PostgreSQL to answer', async () => {
      if (proc.exitCode !== null) throw new GiveUp(`the throwaway PostgreSQL exited with code ${proc.exitCode}`);
      const c = new Client({ host: dir, port, user: 'postgres', database: 'postgres' });
      try {
        await c.connect();
        return true;
      } finally {
        await c.end().catch(() => undefined);
      }
    }, { timeoutMs: 30_000, intervalMs: 200 });
  } catch (e) {
    await stop();
    throw e;
  }
  return { port, stop };
}
