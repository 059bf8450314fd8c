import type { Logger } from '@msched/logging';
import { Backoff } from '@msched/retry';
import type { AgentCommand, AgentPost, AgentRegistration } from '../protocol/agent-link';
import type { MasterAddress, MasterDetector } from '../zk/master-detector';
import { LinkRefused, MasterLink } from './master-link';

export interface MasterSessionOptions {
  hostname: string;
  detector: MasterDetector;
  maxReconnectDelayMs?: number;
  logger: Logger;
  /** What the agent tells a master when it (re-)registers; `agentId` is null before the first registration. */
  registration(agentId: string | null): AgentRegistration;
  /** Every command but REGISTERED, which the session handles itself. */
  onCommand(cmd: Exclude<AgentCommand, { type: 'REGISTERED' }>): void;
  /** Called after each (re-)registration, with the agent's id. */
  onRegistered(agentId: string): void;
}

/**
 * An agent's session with the leading master: finds it through the detector, registers (again after
 * a failover or a broken link, with a doubling backoff), keeps the agent id a master gave it, and
 * posts the agent's messages while the link is open.
 */
export class MasterSession {
  private id: string | null = null;
  private link: MasterLink | null = null;
  private connecting = false;
  private stopped = false;
  private reconnectTimer?: NodeJS.Timeout;
  private readonly reconnect: Backoff;
  private unsubscribe: () => void = () => {};
  private registeredWaiters: Array<() => void> = [];

  constructor(private readonly opts: MasterSessionOptions) {
    const maxMs = opts.maxReconnectDelayMs ?? 2000;
    this.reconnect = new Backoff({ initialMs: Math.min(50, maxMs), maxMs, multiplier: 2, jitter: 0 });
  }

  /** Assigned by the first master this agent registers with; kept across masters. */
  get agentId(): string | null {
    return this.id;
  }

  get isRegistered(): boolean {
    return !!this.link?.isOpen && this.id !== null;
  }

  start(): void {
    this.unsubscribe = this.opts.detector.onChange((leader) => this.leaderChanged(leader));
    void this.connect();
  }

  /** Resolves once registered with a master (again), or rejects after `timeoutMs`. */
  waitRegistered(timeoutMs: number): Promise<void> {
    if (this.isRegistered) return Promise.resolve();
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`agent ${this.opts.hostname} did not register within ${timeoutMs} ms`)), timeoutMs);
      this.registeredWaiters.push(() => {
        clearTimeout(timer);
        resolve();
      });
    });
  }

  /**
   * Posts a message built for this agent's id while registered; undefined when not (the caller's
   * message is then re-sent after the next registration, or not needed any more).
   */
  post(message: (agentId: string) => AgentPost): Promise<number> | undefined {
    const link = this.link;
    const agentId = this.id;
    if (!link?.isOpen || !agentId) return undefined;
    return link.post(message(agentId)).then((code) => {
      // 409: this master no longer knows us (it failed over, or removed us): register again.
      if (code === 409 && link === this.link) link.close();
      return code;
    });
  }

  /** Ends the session: no more registrations, the link closed. */
  stop(): void {
    this.stopped = true;
    this.unsubscribe();
    clearTimeout(this.reconnectTimer);
    this.link?.close();
    this.link = null;
  }

  private leaderChanged(leader: MasterAddress | null): void {
    if (this.stopped) return;
    const cur = this.link?.address;
    if (this.link && !this.link.isClosed && (!leader || leader.host !== cur?.host || leader.port !== cur?.port)) {
      this.opts.logger.info(`leading master changed to ${leader ? `${leader.host}:${leader.port}` : 'none'}: re-registering`);
      this.link.close();
      return;
    }
    if (!this.link) void this.connect();
  }

  private async connect(): Promise<void> {
    if (this.stopped || this.connecting || (this.link && !this.link.isClosed)) return;
    const address = this.opts.detector.current();
    if (!address) return; // The detector calls back when a leader appears.
    this.connecting = true;
    clearTimeout(this.reconnectTimer);
    const link: MasterLink = new MasterLink(address, this.opts.registration(this.id),
      (cmd) => {
        if (link === this.link) this.onCommand(cmd);
      },
      (why) => this.linkClosed(link, why));
    this.link = link;
    try {
      await link.ready;
    } catch (e) {
      if (this.link === link) this.link = null;
      const status = e instanceof LinkRefused ? ` (${e.status})` : '';
      this.opts.logger.debug(`registering with ${address.host}:${address.port} failed${status}: ${(e as Error).message}`);
      this.scheduleReconnect();
    } finally {
      this.connecting = false;
    }
  }

  private onCommand(cmd: AgentCommand): void {
    if (cmd.type !== 'REGISTERED') return this.opts.onCommand(cmd);
    if (this.id && this.id !== cmd.agent_id) this.opts.logger.warn(`master gave id ${cmd.agent_id} to agent ${this.id}`);
    this.id = cmd.agent_id;
    this.reconnect.reset();
    this.opts.logger.info(`registered as ${cmd.agent_id} with master ${cmd.master_id}`);
    this.opts.onRegistered(cmd.agent_id);
    this.registeredWaiters.splice(0).forEach((w) => w());
  }

  private linkClosed(link: MasterLink, why: string): void {
    if (link !== this.link) return;
    this.link = null;
    if (this.stopped) return;
    this.opts.logger.info(`link to master closed (${why}); re-registering`);
    this.scheduleReconnect();
  }

  private scheduleReconnect(): void {
    if (this.stopped) return;
    clearTimeout(this.reconnectTimer);
    this.reconnectTimer = setTimeout(() => void this.connect(), this.reconnect.next());
  }
}
