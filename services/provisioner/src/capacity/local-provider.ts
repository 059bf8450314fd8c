import { spawn } from 'node:child_process';
import { mkdirSync, openSync, readdirSync, readFileSync, rmSync, writeFileSync, closeSync } from 'node:fs';
import { join } from 'node:path';
import type { Logger } from '@msched/logging';
import type { ClusterState } from '@msched/mesos';
import { AgentShape, CapacityError, CapacityLease, CapacityProvider, CapacityRequest } from './provider';

export interface LocalProviderOptions {
  /** The cluster's master URL as the agents should find it (zk://... or http://...). */
  master: string;
  /** Where leases keep their agents' pid files and logs. */
  stateDir: string;
  /** The local cluster's CLI (packages/mesos-local/dist/cli.js). */
  cli: string;
  shape: AgentShape;
  maxAgents: number;
  waitSeconds: number;
  clusterState: () => Promise<ClusterState>;
  logger: Logger;
}

const alive = (pid: number) => {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
};

/**
 * The command line of an added agent. Its tasks see no node and nothing of the checkout, like the
 * cluster's own agents (--tasks-without-node): they must fetch the task runtime as every task does.
 */
export function leaseAgentArgs(o: Pick<LocalProviderOptions, 'cli' | 'master' | 'shape'>, hostname: string, workDir: string): string[] {
  return [o.cli, 'agent', '--master', o.master, '--hostname', hostname, '--cpus', String(o.shape.cpus), '--mem', String(o.shape.memMb),
    '--work-dir', workDir, '--tasks-without-node'];
}

/**
 * Adds agents to the local Mesos-compatible cluster, each in a process of its own that registers
 * with the leading master like a new machine would. A lease (one per job) is a folder of pid
 * files: asking again for the same lease reuses the agents that still run, so a stage that ran
 * twice starts no extra agents; release stops them.
 */
export class LocalCapacityProvider implements CapacityProvider {
  readonly name = 'local';

  constructor(private readonly o: LocalProviderOptions) {}

  get agentShape(): AgentShape {
    return this.o.shape;
  }

  get maxAgents(): number {
    return this.o.maxAgents;
  }

  private leaseDir(leaseId: string): string {
    return join(this.o.stateDir, 'capacity', leaseId.replace(/[^A-Za-z0-9._-]/g, '_'));
  }

  private running(dir: string): Array<{ hostname: string; pid: number }> {
    let names: string[];
    try {
      names = readdirSync(dir).filter((n) => n.endsWith('.pid'));
    } catch {
      return [];
    }
    return names.map((n) => ({ hostname: n.slice(0, -4), pid: Number(readFileSync(join(dir, n), 'utf8')) })).filter((a) => alive(a.pid));
  }

  async acquire(req: CapacityRequest): Promise<CapacityLease> {
    if (req.agents > this.o.maxAgents) throw new CapacityError(`${req.agents} agents asked, the local provider may add ${this.o.maxAgents} (MSCHED_CAPACITY_MAX_AGENTS)`, false);
    const dir = this.leaseDir(req.leaseId);
    mkdirSync(dir, { recursive: true });
    const have = this.running(dir);
    const tag = req.leaseId.replace(/[^A-Za-z0-9]/g, '').slice(-8).toLowerCase();
    for (let i = have.length; i < req.agents; i++) {
      const hostname = `lease-${tag}-${i + 1}`;
      const log = openSync(join(dir, `${hostname}.log`), 'a');
      const child = spawn(process.execPath, leaseAgentArgs(this.o, hostname, join(dir, 'work')), { detached: true, stdio: ['ignore', log, log] });
      closeSync(log);
      // The agent outlives this process: a provisioner restart must not take the lease's agents away.
      child.unref();
      writeFileSync(join(dir, `${hostname}.pid`), String(child.pid));
      have.push({ hostname, pid: child.pid! });
      this.o.logger.info(`local provider: started agent ${hostname} (pid ${child.pid}) for ${req.leaseId}`);
    }
    const wanted = new Set(have.map((a) => a.hostname));
    const deadline = Date.now() + this.o.waitSeconds * 1000;
    for (;;) {
      const state = await this.o.clusterState();
      const registered = state.agents.filter((a) => a.active && wanted.has(a.hostname));
      if (registered.length >= wanted.size) return { leaseId: req.leaseId, agentIds: registered.map((a) => a.id) };
      if (Date.now() > deadline) throw new CapacityError(`${wanted.size - registered.length} added agent(s) did not register within ${this.o.waitSeconds} s (logs in ${dir})`, true);
      await new Promise((r) => setTimeout(r, 250));
    }
  }

  async release(leaseId: string): Promise<void> {
    const dir = this.leaseDir(leaseId);
    for (const a of this.running(dir)) {
      try {
        process.kill(a.pid, 'SIGTERM');
        this.o.logger.info(`local provider: stopped agent ${a.hostname} of ${leaseId}`);
      } catch {
        // Already gone.
      }
    }
    rmSync(dir, { recursive: true, force: true });
  }
}
