import type { ConnectionOptions as TlsOptions } from 'node:tls';
import thrift, { Connection } from 'thrift';
import { Client } from '../gen-nodejs/MetaSchedulerService';
import { API_METHODS, MetaSchedulerApi } from './service';

export interface MetaSchedulerClientOptions {
  host: string;
  port: number;
  /** 'buffered' (default, as Airavata) or 'framed': must match the server. */
  transport?: 'buffered' | 'framed';
  /** Set to connect over TLS (e.g. `{ ca }`, `{ rejectUnauthorized: false }` for tests). */
  tls?: TlsOptions;
  connectTimeoutMs?: number;
  /** A call with no answer after this long fails and the connection is dropped (its state is unknown). */
  callTimeoutMs?: number;
}

export class ClientConnectionError extends Error {
  readonly retriable = true;
  constructor(message: string) {
    super(message);
    this.name = 'ClientConnectionError';
  }
}

export interface MetaSchedulerConnection {
  readonly client: MetaSchedulerApi;
  close(): Promise<void>;
}

/**
 * Opens one connection to a MetaSchedulerService and returns a promise-typed client over it.
 * Unlike the bare runtime client, a call fails (ClientConnectionError) when the connection closes
 * or times out, instead of waiting forever.
 */
export async function connectMetaScheduler(opts: MetaSchedulerClientOptions): Promise<MetaSchedulerConnection> {
  const connectTimeout = opts.connectTimeoutMs ?? 5000;
  const options = {
    transport: opts.transport === 'framed' ? thrift.TFramedTransport : thrift.TBufferedTransport,
    protocol: thrift.TBinaryProtocol,
    connect_timeout: connectTimeout,
    max_attempts: 0,
  };
  const connection: Connection = opts.tls
    ? thrift.createSSLConnection(opts.host, opts.port, { ...options, ...opts.tls } as never)
    : thrift.createConnection(opts.host, opts.port, options);

  let closedError: ClientConnectionError | undefined;
  const pending = new Set<(e: Error) => void>();
  const failAll = (e: ClientConnectionError) => {
    closedError ??= e;
    for (const reject of [...pending]) reject(closedError);
    pending.clear();
  };

  await new Promise<void>((resolve, reject) => {
    const timer = setTimeout(() => {
      connection.destroy();
      reject(new ClientConnectionError(`no connection to ${opts.host}:${opts.port} within ${connectTimeout} ms`));
    }, connectTimeout);
    connection.once('connect', () => { clearTimeout(timer); resolve(); });
    connection.once('error', (e: Error) => { clearTimeout(timer); reject(new ClientConnectionError(`cannot connect to ${opts.host}:${opts.port}: ${e.message}`)); });
  });
  connection.on('error', (e: Error) => failAll(new ClientConnectionError(`connection to ${opts.host}:${opts.port} failed: ${e.message}`)));
  connection.on('close', () => failAll(new ClientConnectionError(`connection to ${opts.host}:${opts.port} closed`)));

  const raw = thrift.createClient(Client, connection) as unknown as Record<string, (...args: unknown[]) => Promise<unknown>>;
  const callTimeout = opts.callTimeoutMs ?? 30000;
  const call = (method: string, args: unknown[]): Promise<unknown> => {
    if (closedError) return Promise.reject(closedError);
    return new Promise((resolve, reject) => {
      const fail = (e: Error) => { clearTimeout(timer); pending.delete(fail); reject(e); };
      const timer = setTimeout(() => {
        fail(new ClientConnectionError(`${method} got no answer within ${callTimeout} ms`));
        connection.destroy();
      }, callTimeout);
      pending.add(fail);
      raw[method](...args).then(
        (v) => { clearTimeout(timer); pending.delete(fail); resolve(v); },
        (e: Error) => fail(e),
      );
    });
  };
  const client = Object.fromEntries(API_METHODS.map((m) => [m, (...args: unknown[]) => call(m, args)])) as unknown as MetaSchedulerApi;

  return {
    client,
    close: () => new Promise<void>((resolve) => {
      if (closedError) return resolve();
      connection.once('close', () => resolve());
      connection.end();
    }),
  };
}
