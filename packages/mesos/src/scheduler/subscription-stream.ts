import type http from 'node:http';
import { MesosCallError, MesosConnectionError, MesosError, MesosProtocolError } from '../errors';
import { redirectTarget } from '../http/redirect';
import { transportFor } from '../http/request';
import { decodeEvent } from '../protocol/codec';
import type { SchedulerEvent } from '../protocol/events';
import { RecordIODecoder } from '../recordio/decoder';

export const SCHEDULER_PATH = '/api/v1/scheduler';

export interface SubscriptionHandlers {
  /** The master accepted the SUBSCRIBE request (200); events follow. */
  opened(masterUrl: string, streamId: string): void;
  event(event: SchedulerEvent): void;
  /** Called exactly once, whatever ended the stream; `error` says why when it was not a plain close. */
  closed(reason: string, error?: MesosError): void;
}

export interface SubscriptionOptions {
  /** Base URL of the master to try first (scheme://host:port). */
  readonly masterUrl: string;
  readonly body: Buffer;
  readonly connectTimeoutMs: number;
  readonly maxRedirects: number;
  readonly maxRecordBytes?: number;
  /** Authorization header value (HTTP Basic of the framework's credential), when masters authenticate. */
  readonly authorization?: string;
  /** Extra CA certificates (PEM) trusted for https masters. */
  readonly ca?: string;
}

/**
 * One SUBSCRIBE request and the event stream it opens, on a connection of its own. Follows 307s to
 * the leader, checks the status, reads `Mesos-Stream-Id`, and turns the RecordIO body into events.
 */
export class SubscriptionStream {
  private request: http.ClientRequest | undefined;
  private response: http.IncomingMessage | undefined;
  private ended = false;
  private url: URL;
  private redirects = 0;
  private streamIdValue = '';

  constructor(private readonly opts: SubscriptionOptions, private readonly handlers: SubscriptionHandlers) {
    this.url = new URL(SCHEDULER_PATH, opts.masterUrl);
  }

  /** The master that accepted the subscription (after redirects). Calls must go there. */
  get masterUrl(): string {
    return this.url.origin;
  }

  get streamId(): string {
    return this.streamIdValue;
  }

  open(): void {
    const url = this.url;
    const req = transportFor(url).request(url, {
      method: 'POST',
      // A connection of its own (no pooling): this socket lives as long as the subscription.
      agent: false,
      ...(url.protocol === 'https:' && this.opts.ca ? { ca: this.opts.ca } : {}),
      headers: {
        ...(this.opts.authorization ? { Authorization: this.opts.authorization } : {}),
        'Content-Type': 'application/json',
        Accept: 'application/json',
        'Content-Length': String(this.opts.body.length),
        Connection: 'close',
      },
    });
    this.request = req;
    const connectTimer = setTimeout(
      () => req.destroy(new Error(`no answer to SUBSCRIBE within ${this.opts.connectTimeoutMs} ms`)),
      this.opts.connectTimeoutMs,
    );
    req.on('error', (e) => {
      clearTimeout(connectTimer);
      // A request we left behind after a redirect may still fail; it no longer matters.
      if (req !== this.request) return;
      this.finish(`SUBSCRIBE to ${url.origin} failed: ${e.message}`, new MesosConnectionError(`SUBSCRIBE to ${url.origin} failed: ${e.message}`, e));
    });
    req.on('response', (res) => {
      clearTimeout(connectTimer);
      if (req !== this.request) return void res.resume();
      this.onResponse(res);
    });
    req.end(this.opts.body);
  }

  /** Ends the subscription from our side; `closed` is called with the reason. */
  close(reason: string): void {
    this.finish(reason);
  }

  private onResponse(res: http.IncomingMessage): void {
    const status = res.statusCode ?? 0;
    if (status === 307) {
      res.resume();
      let next: URL;
      try {
        next = redirectTarget(res.headers.location, this.url.href);
      } catch (e) {
        return this.finish((e as Error).message, e as MesosError);
      }
      if (++this.redirects > this.opts.maxRedirects) {
        const msg = `SUBSCRIBE was redirected more than ${this.opts.maxRedirects} times (last to ${next.origin})`;
        return this.finish(msg, new MesosConnectionError(msg));
      }
      this.url = next;
      return this.open();
    }
    if (status !== 200) {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => {
        const body = Buffer.concat(chunks).toString('utf8').trim().slice(0, 2000);
        this.finish(`SUBSCRIBE to ${this.url.origin} answered ${status}`, new MesosCallError('SUBSCRIBE', status, body, this.url.origin));
      });
      res.on('error', () => this.finish(`SUBSCRIBE to ${this.url.origin} answered ${status}`, new MesosCallError('SUBSCRIBE', status, '', this.url.origin)));
      return;
    }
    const streamId = res.headers['mesos-stream-id'];
    if (typeof streamId !== 'string' || streamId === '') {
      res.resume();
      const msg = `SUBSCRIBE to ${this.url.origin} answered 200 without a Mesos-Stream-Id header`;
      return this.finish(msg, new MesosProtocolError(msg));
    }
    this.response = res;
    this.streamIdValue = streamId;
    this.handlers.opened(this.url.origin, streamId);
    this.readEvents(res);
  }

  private readEvents(res: http.IncomingMessage): void {
    const decoder = new RecordIODecoder({ maxRecordBytes: this.opts.maxRecordBytes });
    res.on('data', (chunk: Buffer) => {
      if (this.ended) return;
      try {
        for (const record of decoder.push(chunk)) {
          if (this.ended) return;
          this.handlers.event(decodeEvent(record));
        }
      } catch (e) {
        const err = e instanceof MesosError ? e : new MesosProtocolError(String(e));
        this.finish(`unreadable event stream from ${this.url.origin}: ${err.message}`, err);
      }
    });
    res.on('end', () => this.finish(`${this.url.origin} closed the event stream`, new MesosConnectionError(`${this.url.origin} closed the event stream`)));
    res.on('error', (e) => this.finish(`event stream from ${this.url.origin} broke: ${e.message}`, new MesosConnectionError(e.message, e)));
    res.on('close', () => this.finish(`event stream from ${this.url.origin} closed`, new MesosConnectionError(`event stream from ${this.url.origin} closed`)));
  }

  private finish(reason: string, error?: MesosError): void {
    if (this.ended) return;
    this.ended = true;
    this.response?.destroy();
    this.request?.destroy();
    this.handlers.closed(reason, error);
  }
}
