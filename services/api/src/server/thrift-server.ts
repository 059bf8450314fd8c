import net from 'node:net';
import tls from 'node:tls';
import type { AddressInfo } from 'node:net';
import thrift, { TBinaryProtocol, TProtocol, TTransport } from 'thrift';
import { BoundedBinaryProtocol } from '@msched/airavata-thrift';
import type { Logger } from '@msched/logging';
import { MessageStream } from './message-scanner';

/** A generated Thrift processor: reads one call from `input`, answers on `output` (maybe later). */
export interface ThriftProcessor {
  process(input: TProtocol, output: TProtocol): void;
}

export interface ThriftServerOptions {
  host: string;
  /** 0 picks a free port. */
  port: number;
  /** 'buffered' as Airavata's own servers, or 'framed'. */
  transport: 'buffered' | 'framed';
  /** No message (frame, string, container) may be larger; the connection is closed instead. */
  maxMessageBytes: number;
  /** A connection silent this long is closed, also one stuck in the middle of a message. */
  idleTimeoutMs: number;
  maxConnections: number;
  tls?: { cert: Buffer; key: Buffer };
  logger: Logger;
}

export interface RunningThriftServer {
  readonly port: number;
  openConnections(): number;
  /** Stops accepting, closes every connection, resolves when the server is down. */
  close(): Promise<void>;
}

/** The runtime's transports with the receiver signature it really has (typings lack maxLength). */
type Receiver = (data: Buffer) => void;
interface TransportClass {
  new (buffer?: Buffer, callback?: (msg: Buffer) => void): TTransport;
  receiver(onMessage: (trans: TTransport) => void, seqid: undefined, maxLength: number): Receiver;
}
const InputBufferUnderrunError = (thrift as unknown as { InputBufferUnderrunError: new () => Error }).InputBufferUnderrunError;

/**
 * Serves one Thrift processor over TCP (or TLS) with TBinaryProtocol. One connection's garbage
 * (random bytes, truncated or oversized messages, absurd sizes, wrong types) closes that connection
 * and nothing else; socket and server errors are logged, never thrown.
 */
export async function startThriftServer(processor: ThriftProcessor, opts: ThriftServerOptions): Promise<RunningThriftServer> {
  const Transport = (opts.transport === 'framed' ? thrift.TFramedTransport : thrift.TBufferedTransport) as unknown as TransportClass;
  const log = opts.logger;
  const sockets = new Set<net.Socket>();

  const serve = (socket: net.Socket) => {
    sockets.add(socket);
    const peer = `${socket.remoteAddress}:${socket.remotePort}`;
    let closed = false;
    const drop = (why: string, level: 'warn' | 'debug' = 'warn') => {
      if (closed) return;
      closed = true;
      log.log(level, `closing Thrift connection from ${peer}: ${why}`);
      socket.destroy();
    };
    socket.setNoDelay(true);
    socket.setTimeout(opts.idleTimeoutMs, () => drop(`idle for ${opts.idleTimeoutMs} ms`, 'debug'));
    socket.on('error', (e) => drop(`socket error: ${e.message}`, 'debug'));
    socket.on('close', () => { closed = true; sockets.delete(socket); });

    const write = (buf: Buffer) => { if (!closed) socket.write(buf); };
    /** Runs every call of one frame. */
    const processAll = (trans: TTransport) => {
      const input = new BoundedBinaryProtocol(trans, opts.maxMessageBytes);
      const output = new TBinaryProtocol(new Transport(undefined, write));
      for (;;) {
        try {
          processor.process(input, output);
          trans.commitPosition();
        } catch (e) {
          // Underrun: the frame is used up.
          if (!(e instanceof InputBufferUnderrunError)) drop(`unreadable request: ${(e as Error)?.message ?? String(e)}`);
          return;
        }
      }
    };
    // Framed: the runtime's receiver collects each frame (linear). Buffered: our scanner finds where
    // each message ends, so each is decoded once (the runtime's would decode it again per chunk).
    const onData: Receiver = opts.transport === 'framed'
      ? Transport.receiver(processAll, undefined, opts.maxMessageBytes)
      : ((stream) => (chunk: Buffer) => {
        for (const message of stream.push(chunk)) {
          if (closed) return;
          const input = new BoundedBinaryProtocol(new thrift.TFramedTransport(message), opts.maxMessageBytes);
          // A complete message: running short of bytes would be a fault like any other.
          processor.process(input, new TBinaryProtocol(new Transport(undefined, write)));
        }
      })(new MessageStream(opts.maxMessageBytes));

    socket.on('data', (chunk: Buffer) => {
      if (closed) return;
      try {
        onData(chunk);
      } catch (e) {
        drop(`unreadable request: ${(e as Error)?.message ?? String(e)}`);
      }
    });
  };

  const server: net.Server = opts.tls
    ? tls.createServer({ cert: opts.tls.cert, key: opts.tls.key, minVersion: 'TLSv1.2' }, serve)
    : net.createServer(serve);
  server.maxConnections = opts.maxConnections;
  server.on('tlsClientError', (e: Error, socket: net.Socket) => {
    log.debug(`TLS handshake with ${socket.remoteAddress} failed: ${e.message}`);
    socket.destroy();
  });
  server.on('drop', (d?: { remoteAddress?: string }) => log.warn(`refused a connection from ${d?.remoteAddress ?? 'a client'}: ${opts.maxConnections} connections are open`));

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(opts.port, opts.host, () => {
      server.off('error', reject);
      resolve();
    });
  });
  server.on('error', (e) => log.error(`Thrift server error: ${e.message}`));
  const port = (server.address() as AddressInfo).port;
  log.info(`Thrift API listening on ${opts.host}:${port} (${opts.transport} transport, binary protocol${opts.tls ? ', TLS' : ''})`);

  return {
    port,
    openConnections: () => sockets.size,
    close: () => new Promise<void>((resolve) => {
      server.close(() => resolve());
      for (const s of sockets) s.destroy();
    }),
  };
}
