import { request, IncomingHttpHeaders, IncomingMessage, ClientRequest } from 'node:http';
import { randomUUID } from 'node:crypto';

/**
 * A deliberately small raw-HTTP Mesos scheduler for tests: node:http plus its own RecordIO reader,
 * no dependency on any client package. Tests use it to drive a master the way a real scheduler
 * does, byte for byte.
 */

// eslint-disable-next-line @typescript-eslint/no-explicit-any
export type Json = any;

export interface RawResponse { status: number; headers: IncomingHttpHeaders; body: string }

/** Splits a RecordIO byte stream into records; bytes may arrive in any chunking. */
export class RawRecordReader {
  private buf = Buffer.alloc(0);
  private want: number | null = null;

  push(chunk: Buffer): Buffer[] {
    this.buf = Buffer.concat([this.buf, chunk]);
    const out: Buffer[] = [];
    for (;;) {
      if (this.want === null) {
        const nl = this.buf.indexOf(10);
        if (nl < 0) return out;
        const prefix = this.buf.subarray(0, nl).toString('ascii');
        if (!/^\d+$/.test(prefix)) throw new Error(`bad RecordIO length prefix ${JSON.stringify(prefix)}`);
        this.want = Number(prefix);
        this.buf = this.buf.subarray(nl + 1);
      }
      if (this.buf.length < this.want) return out;
      out.push(Buffer.from(this.buf.subarray(0, this.want)));
      this.buf = this.buf.subarray(this.want);
      this.want = null;
    }
  }

  get leftover(): number {
    return this.buf.length + (this.want === null ? 0 : 1);
  }
}

function target(base: string, path: string): URL {
  return new URL(path, base.endsWith('/') ? base : `${base}/`);
}

/** One HTTP request, whole body read. `body` objects are sent as JSON. */
export function httpRequest(method: string, url: string, body?: unknown, headers: Record<string, string> = {}): Promise<RawResponse> {
  const u = new URL(url);
  const payload = body === undefined ? undefined : typeof body === 'string' ? body : JSON.stringify(body);
  return new Promise((resolve, reject) => {
    const req = request({
      // A fresh connection per request: a pooled socket may belong to a master that has since died.
      host: u.hostname, port: u.port, path: `${u.pathname}${u.search}`, method, agent: false,
      headers: { ...(payload !== undefined ? { 'Content-Type': 'application/json', 'Content-Length': String(Buffer.byteLength(payload)) } : {}), ...headers },
    }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(chunks).toString('utf8') }));
      res.on('error', reject);
    });
    req.on('error', reject);
    req.end(payload);
  });
}

export const getJson = async (url: string): Promise<Json> => {
  const r = await httpRequest('GET', url);
  if (r.status !== 200) throw new Error(`GET ${url} answered ${r.status}: ${r.body}`);
  return JSON.parse(r.body);
};

/** A SUBSCRIBE response held open: events as they arrive, and the raw bytes for framing checks. */
export class RawEventStream {
  readonly events: Json[] = [];
  readonly chunks: Buffer[] = [];
  readonly closed: Promise<void>;
  private readonly taken = new Set<number>();
  private readonly waiters: Array<() => void> = [];
  private ended = false;
  private failure: Error | null = null;

  constructor(readonly status: number, readonly headers: IncomingHttpHeaders, private readonly req: ClientRequest, res: IncomingMessage) {
    const reader = new RawRecordReader();
    this.closed = new Promise((resolve) => {
      const finish = () => {
        this.ended = true;
        this.wake();
        resolve();
      };
      res.on('end', finish);
      res.on('close', finish);
      res.on('error', finish);
    });
    res.on('data', (chunk: Buffer) => {
      this.chunks.push(chunk);
      try {
        for (const rec of reader.push(chunk)) this.events.push(JSON.parse(rec.toString('utf8')));
      } catch (e) {
        this.failure = e as Error;
      }
      this.wake();
    });
  }

  get streamId(): string {
    return String(this.headers['mesos-stream-id']);
  }

  get isClosed(): boolean {
    return this.ended;
  }

  private wake(): void {
    this.waiters.splice(0).forEach((w) => w());
  }

  /** Waits for the next event to arrive; fails when the stream ended or the deadline passed. */
  private async moreEvents(deadline: number, timeoutMs: number, what: string): Promise<void> {
    if (this.ended) throw new Error(`stream closed before ${what}; got ${this.summary()}`);
    const left = deadline - Date.now();
    if (left <= 0) throw new Error(`no ${what} within ${timeoutMs} ms; got ${this.summary()}`);
    await new Promise<void>((resolve) => {
      const t = setTimeout(resolve, left);
      this.waiters.push(() => {
        clearTimeout(t);
        resolve();
      });
    });
  }

  /**
   * The first event not yet taken that matches `pred` (already received or yet to come); it is
   * taken, so the next call finds the next one. Rejects after `timeoutMs` with what did arrive.
   */
  async next(pred: (e: Json) => boolean = () => true, timeoutMs = 15000, what = 'event'): Promise<Json> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      if (this.failure) throw this.failure;
      const i = this.events.findIndex((e, k) => !this.taken.has(k) && pred(e));
      if (i >= 0) {
        this.taken.add(i);
        return this.events[i];
      }
      await this.moreEvents(deadline, timeoutMs, what);
    }
  }

  /** Like next() but without taking the event: several waiters may look at the same one. */
  async find(pred: (e: Json) => boolean, timeoutMs = 15000, what = 'event'): Promise<Json> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      if (this.failure) throw this.failure;
      const found = this.events.find(pred);
      if (found) return found;
      await this.moreEvents(deadline, timeoutMs, what);
    }
  }

  nextOfType(type: string, timeoutMs?: number): Promise<Json> {
    return this.next((e) => e.type === type, timeoutMs, type);
  }

  /** The next UPDATE of a task (optionally in a given state). */
  nextUpdate(taskId: string, state?: string, timeoutMs?: number): Promise<Json> {
    return this.next((e) => e.type === 'UPDATE' && e.update.status.task_id.value === taskId && (!state || e.update.status.state === state), timeoutMs, `UPDATE ${taskId}${state ? ` ${state}` : ''}`);
  }

  summary(): string {
    return this.events.map((e) => (e.type === 'UPDATE' ? `UPDATE(${e.update.status.task_id.value}:${e.update.status.state})` : e.type)).join(', ') || 'nothing';
  }

  /** All bytes received so far, as one buffer. */
  rawBytes(): Buffer {
    return Buffer.concat(this.chunks);
  }

  close(): void {
    this.req.destroy();
  }
}

/** POSTs a SUBSCRIBE (or any body) and returns the open stream, or the whole response when it is not a 200. */
export function openStream(masterUrl: string, body: unknown, headers: Record<string, string> = {}): Promise<{ stream?: RawEventStream; response: RawResponse }> {
  const u = target(masterUrl, 'api/v1/scheduler');
  const payload = typeof body === 'string' ? body : JSON.stringify(body);
  return new Promise((resolve, reject) => {
    const req = request({
      host: u.hostname, port: u.port, path: u.pathname, method: 'POST', agent: false,
      headers: { 'Content-Type': 'application/json', Accept: 'application/json', 'Content-Length': String(Buffer.byteLength(payload)), ...headers },
    }, (res) => {
      if (res.statusCode === 200) {
        const stream = new RawEventStream(200, res.headers, req, res);
        return resolve({ stream, response: { status: 200, headers: res.headers, body: '' } });
      }
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => resolve({ response: { status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(chunks).toString('utf8') } }));
    });
    req.on('error', reject);
    req.end(payload);
  });
}

export interface FrameworkOptions {
  name?: string;
  role?: string;
  failoverTimeout?: number;
  partitionAware?: boolean;
  taskKillingState?: boolean;
  frameworkId?: string;
}

export function frameworkInfo(o: FrameworkOptions = {}): Json {
  const caps = [{ type: 'MULTI_ROLE' }];
  if (o.partitionAware !== false) caps.push({ type: 'PARTITION_AWARE' });
  if (o.taskKillingState) caps.push({ type: 'TASK_KILLING_STATE' });
  return {
    user: 'root',
    name: o.name ?? `conformance-${randomUUID().slice(0, 8)}`,
    roles: [o.role ?? 'mpi'],
    failover_timeout: o.failoverTimeout ?? 3600,
    checkpoint: true,
    capabilities: caps,
    ...(o.frameworkId ? { id: { value: o.frameworkId } } : {}),
  };
}

/**
 * A subscribed framework: its stream plus calls that carry its id and stream id, as every
 * scheduler must send them.
 */
export class RawScheduler {
  private readonly takenOffers = new Set<string>();

  private constructor(readonly masterUrl: string, readonly stream: RawEventStream, readonly frameworkId: string) {}

  static async subscribe(masterUrl: string, o: FrameworkOptions = {}): Promise<RawScheduler> {
    const info = frameworkInfo(o);
    const body = { type: 'SUBSCRIBE', ...(o.frameworkId ? { framework_id: { value: o.frameworkId } } : {}), subscribe: { framework_info: info } };
    const { stream, response } = await openStream(masterUrl, body);
    if (!stream) throw new Error(`SUBSCRIBE answered ${response.status}: ${response.body}`);
    const subscribed = await stream.next((e) => e.type === 'SUBSCRIBED' || e.type === 'ERROR', 15000, 'SUBSCRIBED');
    if (subscribed.type === 'ERROR') throw new Error(`SUBSCRIBE refused: ${subscribed.error.message}`);
    return new RawScheduler(masterUrl, stream, subscribed.subscribed.framework_id.value);
  }

  /** POSTs a call with framework_id and Mesos-Stream-Id filled in. */
  call(type: string, payload?: Json, headers: Record<string, string> = {}): Promise<RawResponse> {
    const body: Json = { type, framework_id: { value: this.frameworkId } };
    if (payload !== undefined) body[type.toLowerCase()] = payload;
    return httpRequest('POST', target(this.masterUrl, 'api/v1/scheduler').toString(), body, { 'Mesos-Stream-Id': this.stream.streamId, ...headers });
  }

  async mustCall(type: string, payload?: Json): Promise<void> {
    const r = await this.call(type, payload);
    if (r.status !== 202) throw new Error(`${type} answered ${r.status}: ${r.body}`);
  }

  /** Acknowledges an UPDATE when it carries a uuid (master-made updates do not and must not be). */
  async ack(updateEvent: Json): Promise<void> {
    const s = updateEvent.update.status;
    if (!s.uuid) return;
    await this.mustCall('ACKNOWLEDGE', { agent_id: s.agent_id, task_id: s.task_id, uuid: s.uuid });
  }

  /** Waits for an UPDATE of the task in `state`, acknowledging every update of it on the way. */
  async waitState(taskId: string, state: string, timeoutMs = 20000): Promise<Json> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const e = await this.stream.nextUpdate(taskId, undefined, Math.max(1, deadline - Date.now()));
      await this.ack(e);
      if (e.update.status.state === state) return e;
    }
  }

  /** An offer not handed out before (optionally matching `pred`), from any OFFERS event received. */
  async nextOffer(pred: (o: Json) => boolean = () => true, timeoutMs = 15000): Promise<Json> {
    const usable = (o: Json) => !this.takenOffers.has(o.id.value) && pred(o);
    const e = await this.stream.find((ev) => ev.type === 'OFFERS' && ev.offers.offers.some(usable), timeoutMs, 'a matching offer');
    const offer = e.offers.offers.find(usable);
    this.takenOffers.add(offer.id.value);
    return offer;
  }

  /** Offers received and not yet handed out by nextOffer(). */
  untakenOffers(): Json[] {
    return this.stream.events.filter((e) => e.type === 'OFFERS').flatMap((e) => e.offers.offers).filter((o: Json) => !this.takenOffers.has(o.id.value));
  }

  /** Declines every offer received and not handed out (they go to other frameworks, or come back after the filter). */
  async declineUntaken(refuseSeconds: number): Promise<void> {
    const offers = this.untakenOffers();
    offers.forEach((o) => this.takenOffers.add(o.id.value));
    if (offers.length) await this.mustCall('DECLINE', { offer_ids: offers.map((o) => o.id), filters: { refuse_seconds: refuseSeconds } });
  }

  /** Launches command tasks on one offer. */
  launch(offer: Json, tasks: Json[], filters?: Json): Promise<RawResponse> {
    return this.call('ACCEPT', {
      offer_ids: [offer.id],
      operations: [{ type: 'LAUNCH', launch: { task_infos: tasks } }],
      ...(filters ? { filters } : {}),
    });
  }

  close(): void {
    this.stream.close();
  }
}

/** A command task on an offer's agent. */
export function commandTask(offer: Json, taskId: string, command: Json, resources: { cpus?: number; mem?: number } = {}, extra: Json = {}): Json {
  return {
    name: taskId,
    task_id: { value: taskId },
    agent_id: offer.agent_id,
    resources: [
      { name: 'cpus', type: 'SCALAR', scalar: { value: resources.cpus ?? 0.1 } },
      { name: 'mem', type: 'SCALAR', scalar: { value: resources.mem ?? 32 } },
    ],
    command,
    ...extra,
  };
}
