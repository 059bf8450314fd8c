import { randomUUID } from 'node:crypto';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { encodeRecord } from '@msched/mesos';

/**
 * A tiny stand-in for a Mesos master's HTTP API, at the protocol level of mesos-v1.md: SUBSCRIBE
 * opens a RecordIO stream and hands out a Mesos-Stream-Id, calls must send it back, a non-leader
 * answers 307 with a protocol-relative Location. Tests drive it (send events, close the stream,
 * refuse calls) and read what the client sent.
 */
export interface RecordedCall {
  readonly type: string;
  readonly body: Record<string, unknown>;
  readonly streamId: string | undefined;
}

export interface FakeMasterOptions {
  /** Heartbeat interval announced in SUBSCRIBED (seconds). */
  heartbeatSeconds?: number;
  /** Send HEARTBEAT events on that interval. */
  sendHeartbeats?: boolean;
  /** Write every record one byte at a time. */
  byteByByte?: boolean;
}

export class FakeMaster {
  private server = http.createServer((req, res) => this.route(req, res));
  private stream: http.ServerResponse | undefined;
  private heartbeatTimer: NodeJS.Timeout | undefined;
  private frameworks = 0;
  private waiters: Array<() => void> = [];
  readonly subscribes: Array<{ body: Record<string, unknown>; headers: http.IncomingHttpHeaders }> = [];
  readonly calls: RecordedCall[] = [];
  streamId = '';
  /** Set to another master's URL to make this one a non-leader answering 307. */
  redirectTo: string | undefined;
  /** Answer SUBSCRIBE with this status instead (e.g. 503 while "recovering"). */
  subscribeStatus: number | undefined;
  /** Status and body for the next calls, by call type. */
  refuse = new Map<string, { status: number; body: string }>();
  state: unknown = { slaves: [] };
  /** Answer /master/state with this status instead (e.g. 503 while no leader is elected). */
  stateStatus: number | undefined;

  constructor(private readonly opts: FakeMasterOptions = {}) {}

  async start(): Promise<this> {
    await new Promise<void>((resolve) => this.server.listen(0, '127.0.0.1', resolve));
    return this;
  }

  get url(): string {
    return `http://127.0.0.1:${(this.server.address() as AddressInfo).port}`;
  }

  async stop(): Promise<void> {
    this.closeStream();
    this.server.closeAllConnections();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }

  /** Writes one event to the open subscription. */
  send(event: Record<string, unknown>): void {
    this.write(encodeRecord(JSON.stringify(event)));
  }

  /** Writes raw bytes to the open subscription (for garbage). */
  write(bytes: Buffer): void {
    if (!this.stream) throw new Error('no open subscription');
    if (this.opts.byteByByte) for (const b of bytes) this.stream.write(Buffer.from([b]));
    else this.stream.write(bytes);
  }

  /** Ends the event stream, as a master that dies or fails over would. */
  closeStream(): void {
    if (this.heartbeatTimer) clearInterval(this.heartbeatTimer);
    this.heartbeatTimer = undefined;
    this.stream?.end();
    this.stream?.socket?.destroy();
    this.stream = undefined;
  }

  /** Resolves once `n` SUBSCRIBE requests have been answered 200. */
  async subscribed(n: number): Promise<void> {
    while (this.subscribes.filter((s) => s.headers['x-answered'] === '200').length < n) {
      await new Promise<void>((resolve) => this.waiters.push(resolve));
    }
  }

  /** Resolves once `n` calls arrived. */
  async callsReceived(n: number): Promise<void> {
    while (this.calls.length < n) await new Promise<void>((resolve) => this.waiters.push(resolve));
  }

  private wake(): void {
    const w = this.waiters;
    this.waiters = [];
    w.forEach((f) => f());
  }

  private route(req: http.IncomingMessage, res: http.ServerResponse): void {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const path = new URL(req.url ?? '/', this.url).pathname;
      if (this.redirectTo) {
        res.writeHead(307, { Location: `//${new URL(this.redirectTo).host}${path}` }).end();
        return;
      }
      if (path === '/master/state' && req.method === 'GET') {
        if (this.stateStatus) return void res.writeHead(this.stateStatus).end('No leader elected');
        res.writeHead(200, { 'Content-Type': 'application/json' }).end(JSON.stringify(this.state));
        return;
      }
      if (path !== '/api/v1/scheduler') return void res.writeHead(404).end();
      if (req.method !== 'POST') return void res.writeHead(405).end('Expecting POST');
      if (!String(req.headers['content-type']).startsWith('application/json')) return void res.writeHead(415).end('Expecting Content-Type of application/json');
      let body: Record<string, unknown>;
      try {
        body = JSON.parse(Buffer.concat(chunks).toString('utf8'));
      } catch {
        return void res.writeHead(400).end('Failed to parse body into Call');
      }
      if (body.type === 'SUBSCRIBE') this.onSubscribe(req, res, body);
      else this.onCall(req, res, body);
    });
  }

  private onSubscribe(req: http.IncomingMessage, res: http.ServerResponse, body: Record<string, unknown>): void {
    const record = { body, headers: { ...req.headers } };
    this.subscribes.push(record);
    const answer = (status: number, text = '') => {
      record.headers['x-answered'] = String(status);
      res.writeHead(status).end(text);
      this.wake();
    };
    if (req.headers['mesos-stream-id']) return answer(400, 'Subscribe calls should not include the \'Mesos-Stream-Id\' header');
    if (this.subscribeStatus) return answer(this.subscribeStatus, 'Master is not yet recovered');
    const info = (body.subscribe as { framework_info: { id?: { value: string } } }).framework_info;
    const topId = (body.framework_id as { value: string } | undefined)?.value;
    if (topId !== info.id?.value) return answer(400, '\'framework_id\' differs from \'subscribe.framework_info.id\'');
    const frameworkId = info.id?.value ?? `F-${++this.frameworks}`;
    this.closeStream();
    this.streamId = randomUUID();
    res.writeHead(200, { 'Content-Type': 'application/json', 'Mesos-Stream-Id': this.streamId });
    res.flushHeaders();
    this.stream = res;
    record.headers['x-answered'] = '200';
    const interval = this.opts.heartbeatSeconds ?? 15;
    this.send({ type: 'SUBSCRIBED', subscribed: { framework_id: { value: frameworkId }, heartbeat_interval_seconds: interval } });
    this.send({ type: 'HEARTBEAT' });
    if (this.opts.sendHeartbeats) {
      const me = res;
      this.heartbeatTimer = setInterval(() => me === this.stream && this.send({ type: 'HEARTBEAT' }), interval * 1000);
    }
    this.wake();
  }

  private onCall(req: http.IncomingMessage, res: http.ServerResponse, body: Record<string, unknown>): void {
    const streamId = req.headers['mesos-stream-id'] as string | undefined;
    this.calls.push({ type: String(body.type), body, streamId });
    this.wake();
    if (streamId !== this.streamId) return void res.writeHead(400).end(`The stream ID '${streamId}' included in this request didn't match the stream ID currently associated with framework ID`);
    const refusal = this.refuse.get(String(body.type));
    if (refusal) return void res.writeHead(refusal.status).end(refusal.body);
    res.writeHead(202).end();
  }
}
