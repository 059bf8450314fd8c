import { request, ClientRequest, IncomingMessage, Agent as HttpAgent } from 'node:http';
import { AGENT_REGISTER_PATH, AGENT_UPDATE_PATH, AgentCommand, AgentPost, AgentRegistration } from '../protocol/agent-link';
import { RecordIoDecoder } from '../protocol/recordio';
import type { MasterAddress } from '../zk/master-detector';

export class LinkRefused extends Error {
  constructor(readonly status: number, message: string) {
    super(message);
    this.name = 'LinkRefused';
  }
}

/**
 * An agent's connection to its master: REGISTER opens a RecordIO stream of commands; status
 * updates go in separate POSTs to the same master. The link exists from the moment it is asked
 * for, so no command can arrive before its owner knows it.
 */
export class MasterLink {
  /** Resolves when the master accepted the registration stream; rejects if it refused or was unreachable. */
  readonly ready: Promise<void>;
  private state: 'connecting' | 'open' | 'closed' = 'connecting';
  private readonly req: ClientRequest;
  private res: IncomingMessage | null = null;
  private readonly posts = new HttpAgent({ keepAlive: true, maxSockets: 4 });
  /** Settles `ready` as refused; a no-op once it has settled. */
  private refuse: (e: Error) => void = () => {};

  constructor(readonly address: MasterAddress, registration: AgentRegistration, onCommand: (c: AgentCommand) => void, private readonly onClose: (why: string) => void) {
    const body = JSON.stringify(registration);
    this.req = request({
      host: address.host, port: address.port, path: AGENT_REGISTER_PATH, method: 'POST',
      headers: { 'Content-Type': 'application/json', 'Content-Length': Buffer.byteLength(body), Accept: 'application/json' },
    });
    this.ready = new Promise((resolve, reject) => {
      this.refuse = reject;
      this.req.on('error', (e) => {
        if (this.state === 'connecting') {
          this.state = 'closed';
          this.posts.destroy();
          reject(e);
        } else this.finish(`link error: ${e.message}`);
      });
      this.req.on('response', (res) => {
        if (res.statusCode !== 200) {
          let text = '';
          res.on('data', (d: Buffer) => {
            text += d.toString();
          });
          res.on('end', () => {
            this.state = 'closed';
            this.posts.destroy();
            reject(new LinkRefused(res.statusCode ?? 0, `master answered ${res.statusCode}: ${text.trim()}`));
          });
          return;
        }
        this.res = res;
        this.state = 'open';
        const decoder = new RecordIoDecoder();
        res.on('data', (chunk: Buffer) => {
          if (this.state !== 'open') return;
          try {
            for (const r of decoder.decode(chunk)) onCommand(JSON.parse(r.toString('utf8')) as AgentCommand);
          } catch (e) {
            this.finish(`bad record from master: ${(e as Error).message}`);
            this.close();
          }
        });
        res.on('end', () => this.finish('master ended the link'));
        res.on('close', () => this.finish('link closed'));
        resolve();
      });
    });
    this.ready.catch(() => undefined);
    this.req.end(body);
  }

  private finish(why: string): void {
    if (this.state === 'closed') return;
    this.state = 'closed';
    this.posts.destroy();
    this.onClose(why);
  }

  get isOpen(): boolean {
    return this.state === 'open';
  }

  get isClosed(): boolean {
    return this.state === 'closed';
  }

  /** Posts one message; resolves with the HTTP status (0 when the master could not be reached). */
  post(message: AgentPost): Promise<number> {
    if (this.state !== 'open') return Promise.resolve(0);
    return new Promise((resolve) => {
      const body = JSON.stringify(message);
      const req = request({
        host: this.address.host, port: this.address.port, path: AGENT_UPDATE_PATH, method: 'POST', agent: this.posts,
        headers: { 'Content-Type': 'application/json', 'Content-Length': Buffer.byteLength(body) },
      }, (res) => {
        res.resume();
        res.on('end', () => resolve(res.statusCode ?? 0));
      });
      req.on('error', () => resolve(0));
      req.end(body);
    });
  }

  /**
   * Drops the link (the master sees the agent disconnect). Closed while the master has not answered
   * yet, `ready` rejects: its owner awaits it, and a registration that never settles would leave the
   * agent unregistered for good (the chaos run: a leader change during a registration with a master
   * that had just been killed, whose socket error then came to a link already marked closed).
   */
  close(): void {
    const wasConnecting = this.state === 'connecting';
    this.req.destroy();
    this.res?.destroy();
    this.finish('closed by the agent');
    if (wasConnecting) this.refuse(new Error('closed by the agent before the master answered'));
  }
}
