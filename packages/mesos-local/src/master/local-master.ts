import { createServer, IncomingMessage, Server, ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Zk } from '@msched/zk';
import { createLogger, Logger } from '@msched/logging';
import { AGENT_REGISTER_PATH, AGENT_UPDATE_PATH } from '../protocol/agent-link';
import { masterEndpoint } from '../protocol/master-info';
import { handleAgentPost, handleAgentRegister } from './http/agent-endpoint';
import { ClusterFaultHooks, FAULTS_PATH, handleFaults } from './http/faults-endpoint';
import { handleFiles } from './http/files-endpoint';
import type { FrameworkCredentials } from './http/framework-auth';
import { redirectUnlessLeading } from './http/leader-gate';
import { handleOperatorCall } from './http/operator-endpoint';
import { json, methodNotAllowed, text } from './http/respond';
import { handleSchedulerCall } from './http/scheduler-endpoint';
import { Leadership, SoleLeadership, ZkLeadership } from './leadership';
import { MasterCore, MasterTiming } from './master';
import { MemoryRegistry, Registry, ZkRegistry } from './registry';
import { renderMasterState } from './state-json';
import type { UpdateFaults } from './update-faults';

export interface MasterOptions {
  /** Address to bind (default 127.0.0.1). */
  host?: string;
  /** Port to bind; 0 picks a free one (default 5050). */
  port?: number;
  /** Name advertised in MasterInfo and 307 Locations (default: the bound address, so it resolves). */
  hostname?: string;
  /** Contend for leadership under this ZooKeeper path; without it the master leads alone. */
  zk?: { servers: string[]; path: string; sessionTimeoutMs?: number };
  /** Where admitted agents are recorded; defaults to ZooKeeper (`<path>/local_registry`) or memory. */
  registry?: Registry;
  /** Forget the agents of an earlier run (a fresh cluster, not a failover). */
  resetRegistry?: boolean;
  timing?: Partial<MasterTiming>;
  faults?: UpdateFaults;
  faultHooks?: ClusterFaultHooks;
  logger?: Logger;
  onLeadershipLost?: () => void;
  /** Authenticate HTTP frameworks (HTTP Basic) against these principal → secret entries. */
  frameworkCredentials?: FrameworkCredentials;
}

/**
 * A Mesos-compatible master: the MasterCore state machine behind a node:http server, contending
 * for leadership through ZooKeeper when configured.
 */
export class LocalMaster {
  private constructor(
    readonly core: MasterCore,
    private readonly server: Server,
    readonly host: string,
    readonly port: number,
  ) {}

  static async start(opts: MasterOptions = {}): Promise<LocalMaster> {
    const logger = opts.logger ?? createLogger({ service: 'mesos-local-master' });
    const host = opts.host ?? '127.0.0.1';
    const holder: { core?: MasterCore } = {};
    const hooks = opts.faultHooks ?? {};
    const server = createServer((req, res) => {
      const core = holder.core;
      if (!core) return text(res, 503, 'Master is starting');
      route(core, hooks, req, res, opts.frameworkCredentials).catch((e) => {
        logger.error(`${req.method} ${req.url} failed: ${(e as Error).stack ?? e}`);
        text(res, 500, (e as Error).message);
      });
    });
    server.keepAliveTimeout = 65_000;
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(opts.port ?? 5050, host, () => {
        server.off('error', reject);
        resolve();
      });
    });
    const port = (server.address() as AddressInfo).port;

    let leadership: Leadership = new SoleLeadership();
    let registry: Registry = opts.registry ?? new MemoryRegistry();
    let zk: Zk | null = null;
    try {
      if (opts.zk) {
        zk = await Zk.connect(opts.zk.servers, { sessionTimeoutMs: opts.zk.sessionTimeoutMs ?? 10000, logger });
        leadership = new ZkLeadership(zk, { path: opts.zk.path, logger }, () => {
          logger.error('ZooKeeper session expired: this master can no longer lead');
          opts.onLeadershipLost?.();
        });
        registry = opts.registry ?? new ZkRegistry(zk, `${opts.zk.path}/local_registry`);
      }
      if (opts.resetRegistry) await registry.save([]);
      const core = new MasterCore({
        hostname: opts.hostname ?? host, ip: host, port, timing: opts.timing, leadership, registry, faults: opts.faults, logger, onLeadershipLost: opts.onLeadershipLost,
      });
      holder.core = core;
      await core.start();
      return new LocalMaster(core, server, host, port);
    } catch (e) {
      zk?.close();
      server.close();
      throw e;
    }
  }

  get url(): string {
    return `http://${this.host}:${this.port}`;
  }

  isLeading(): boolean {
    return this.core.isLeading();
  }

  /** Stops like a crash would look from outside: connections cut, ZooKeeper node gone. */
  async stop(): Promise<void> {
    await this.core.stop();
    this.server.closeAllConnections();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }
}

async function route(core: MasterCore, hooks: ClusterFaultHooks, req: IncomingMessage, res: ServerResponse, credentials?: FrameworkCredentials): Promise<void> {
  const url = new URL(req.url ?? '/', 'http://master');
  switch (url.pathname) {
    case '/api/v1/scheduler':
    case '/master/api/v1/scheduler':
      return handleSchedulerCall(core, req, res, credentials);
    case '/api/v1':
    case '/master/api/v1':
      return handleOperatorCall(core, req, res);
    case '/master/state':
    case '/master/state.json':
    case '/state':
      if (req.method !== 'GET') return methodNotAllowed(res, ['GET'], req.method);
      if (redirectUnlessLeading(core, req, res, '/master/state')) return;
      return json(res, 200, renderMasterState(core.snapshot()));
    case '/master/redirect':
    case '/redirect': {
      const leader = core.leaderInfo();
      const ep = leader ? masterEndpoint(leader) : null;
      if (!ep) return text(res, 503, 'No leader elected');
      return text(res, 307, '', { Location: `//${ep.host}:${ep.port}` });
    }
    case '/health':
    case '/master/health':
      return text(res, 200);
    case '/files/read':
    case '/files/read.json':
      return handleFiles('read', url, core.agentWorkDirs(), req, res);
    case '/files/browse':
    case '/files/browse.json':
      return handleFiles('browse', url, core.agentWorkDirs(), req, res);
    case '/files/download':
    case '/files/download.json':
      return handleFiles('download', url, core.agentWorkDirs(), req, res);
    case AGENT_REGISTER_PATH:
      return handleAgentRegister(core, req, res);
    case AGENT_UPDATE_PATH:
      return handleAgentPost(core, req, res);
    case FAULTS_PATH:
      return handleFaults(core, hooks, req, res);
    default:
      return text(res, 404, `No endpoint ${url.pathname} on this master (see packages/mesos-local/README.md)`);
  }
}
