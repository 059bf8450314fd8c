import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { DataSource } from 'typeorm';
import { createKafka } from '@msched/bus';
import type { Config } from '@msched/config';
import { openDatabase } from '@msched/db';
import type { Logger } from '@msched/logging';
import { fetchClusterState } from '@msched/mesos';
import { thriftCancel } from './actions/cancel';
import { Authenticator, authenticatorFor, ConsoleConfigError } from './auth/authenticator';
import { SessionSigner } from './auth/session';
import { buildConsoleApp } from './http/app';
import { loadWebAssets } from './http/static-files';
import { EventHub } from './live/event-hub';
import { startStatusEvents } from './live/events-consumer';

export interface RunningConsole {
  readonly port: number;
  /** http://host:port/ */
  readonly url: string;
  readonly hub: EventHub;
  close(): Promise<void>;
}

export interface ConsoleOptions {
  logger: Logger;
  /** A DataSource the caller owns; otherwise the console opens (and closes) its own. */
  ds?: DataSource;
  /** Overrides MSCHED_CONSOLE_PORT (0: any free port). */
  port?: number;
  /** Another identity provider; default: the API's token mode (static, none, or Keycloak tokens with oidc). */
  authenticate?: Authenticator;
  /** Folder of the bundled pages (default: this package's dist/web). */
  webDir?: string;
}

/**
 * The key material of console sessions: MSCHED_CONSOLE_SESSION_SECRET_FILE, else
 * MSCHED_CONSOLE_SESSION_SECRET; else, in static mode, the tokens themselves; else (oidc) a random
 * key per process, refused in production where sessions carry users' access tokens.
 */
export function sessionSecretOf(cfg: Config): string {
  const c = cfg.console;
  if (c.sessionSecretFile) {
    let secret: string;
    try {
      secret = readFileSync(c.sessionSecretFile, 'utf8').trim();
    } catch (e) {
      throw new ConsoleConfigError(`cannot read MSCHED_CONSOLE_SESSION_SECRET_FILE: ${(e as Error).message}`);
    }
    if (secret === '') throw new ConsoleConfigError(`MSCHED_CONSOLE_SESSION_SECRET_FILE (${c.sessionSecretFile}) is empty`);
    return secret;
  }
  if (c.sessionSecret.trim() !== '') return c.sessionSecret.trim();
  if (cfg.api.authMode === 'static') return `${cfg.api.authSecret}\0${c.viewerToken}`;
  if (cfg.api.authMode === 'oidc' && cfg.environment === 'production') {
    throw new ConsoleConfigError('MSCHED_API_AUTH_MODE=oidc needs MSCHED_CONSOLE_SESSION_SECRET_FILE (or MSCHED_CONSOLE_SESSION_SECRET) in production: console sessions carry users\' access tokens, encrypted with it');
  }
  return '';
}

/** The console service: its HTTP server, its events consumer and (unless given) its database. */
export async function startConsole(cfg: Config, o: ConsoleOptions): Promise<RunningConsole> {
  const authenticate = o.authenticate ?? authenticatorFor({ mode: cfg.api.authMode, secret: cfg.api.authSecret, viewerToken: cfg.console.viewerToken, environment: cfg.environment, oidc: cfg.api.oidc });
  if (!authenticate) o.logger.warn('the console asks for no token (MSCHED_API_AUTH_MODE=none): development only');
  const sessionSecret = authenticate ? sessionSecretOf(cfg) : '';
  if (authenticate && sessionSecret === '') o.logger.warn('no MSCHED_CONSOLE_SESSION_SECRET: console sessions use a random key and end when the console restarts (development only)');
  const ds = o.ds ?? await openDatabase(cfg.database, { migrate: cfg.database.runMigrations, applicationName: 'msched-console' });
  const hub = new EventHub();
  let events: { stop(): Promise<void> } | undefined;
  try {
    events = await startStatusEvents({ kafka: createKafka(cfg.kafka, o.logger, { retries: 3 }), topicPrefix: cfg.kafka.topicPrefix, hub, logger: o.logger });
    const app = buildConsoleApp({
      ds, logger: o.logger, hub, authenticate,
      sessions: new SessionSigner(sessionSecret, cfg.console.sessionHours * 3600_000),
      cancel: thriftCancel({ host: cfg.console.apiHost, port: cfg.api.port, transport: cfg.api.transport, accessToken: cfg.api.authMode === 'static' ? cfg.api.authSecret : '' }),
      // With Keycloak tokens (oidc) the console has no token of its own: a cancel carries the user's.
      clusterState: () => fetchClusterState(cfg.mesos.master, { timeoutMs: 5000, leaderWaitMs: 5000 }),
      web: loadWebAssets(o.webDir ?? join(__dirname, '..', 'dist', 'web')),
    });
    await app.listen({ host: cfg.console.host, port: o.port ?? cfg.console.port });
    const address = app.server.address();
    const port = typeof address === 'object' && address ? address.port : 0;
    const shownHost = cfg.console.host === '0.0.0.0' ? '127.0.0.1' : cfg.console.host;
    return {
      port, url: `http://${shownHost}:${port}/`, hub,
      async close() {
        // Open event streams would keep close() waiting for ever.
        app.server.closeAllConnections();
        await app.close();
        await events?.stop();
        if (!o.ds) await ds.destroy().catch(() => undefined);
      },
    };
  } catch (e) {
    await events?.stop();
    if (!o.ds) await ds.destroy().catch(() => undefined);
    throw e;
  }
}
