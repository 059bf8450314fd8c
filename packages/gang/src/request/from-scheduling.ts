import type { GangSpec } from '@msched/model';
import { nodeCountProblems, type GangRequest } from './gang-request';

/**
 * The fields of Airavata's ComputationalResourceSchedulingModel a gang is derived from (all
 * optional i32/string on the wire, so anything may be missing, zero or negative).
 */
export interface SchedulingModel {
  readonly totalCPUCount?: number;
  readonly nodeCount?: number;
  readonly numberOfThreads?: number;
  readonly queueName?: string;
  /** Minutes. */
  readonly wallTimeLimit?: number;
  /** MB for the whole job, not per rank. */
  readonly totalPhysicalMemory?: number;
}

export interface DerivationOptions {
  /** Airavata queue name → Mesos role. */
  readonly queueRoles: Readonly<Record<string, string>>;
  /** Role used when the model names no queue. */
  readonly defaultRole: string;
  /** MB per rank when totalPhysicalMemory is not given. */
  readonly defaultMemMbPerRank: number;
  /** Minutes when wallTimeLimit is not given. */
  readonly defaultWallTimeMinutes: number;
  /** Longest wall time accepted, in minutes; absent means no limit. */
  readonly maxWallTimeMinutes?: number;
  readonly portsPerAgent?: number;
}

export type Derivation =
  | { readonly ok: true; readonly request: GangRequest; readonly wallTimeSeconds: number }
  | { readonly ok: false; readonly problems: readonly string[] };

/** Reads an optional i32: absent and 0 both mean "not given" (Thrift clients send 0 for unset). */
function optionalCount(name: string, value: number | undefined, problems: string[]): number | undefined {
  if (value === undefined || value === null || value === 0) return undefined;
  if (!Number.isInteger(value) || value < 0) {
    problems.push(`${name} must be a positive whole number, got ${value}`);
    return undefined;
  }
  return value;
}

/**
 * Derives a gang from the scheduling model: ranks = totalCPUCount / numberOfThreads (each rank gets
 * numberOfThreads cpus), memory per rank = totalPhysicalMemory / ranks rounded up, nodeCount as
 * given, role from the queue. Every problem is reported at once, in words a user can act on.
 */
export function gangRequestFromScheduling(model: SchedulingModel, opts: DerivationOptions): Derivation {
  const problems: string[] = [];
  const threads = optionalCount('numberOfThreads', model.numberOfThreads, problems) ?? 1;
  const totalCpus = optionalCount('totalCPUCount', model.totalCPUCount, problems);
  const nodeCount = optionalCount('nodeCount', model.nodeCount, problems);
  const totalMem = optionalCount('totalPhysicalMemory', model.totalPhysicalMemory, problems);
  const wallMinutes = optionalCount('wallTimeLimit', model.wallTimeLimit, problems) ?? opts.defaultWallTimeMinutes;

  let ranks = 1;
  if (totalCpus !== undefined) {
    if (totalCpus < threads) {
      problems.push(`totalCPUCount ${totalCpus} is less than numberOfThreads ${threads}: one rank alone needs ${threads} cpus`);
    } else if (totalCpus % threads !== 0) {
      problems.push(`totalCPUCount ${totalCpus} is not a multiple of numberOfThreads ${threads} (each rank gets ${threads} cpus)`);
    } else {
      ranks = totalCpus / threads;
    }
  }
  if (nodeCount !== undefined && problems.length === 0) problems.push(...nodeCountProblems(ranks, nodeCount));

  let memMbPerRank = opts.defaultMemMbPerRank;
  if (totalMem !== undefined) {
    memMbPerRank = Math.ceil(totalMem / ranks);
  }

  if (opts.maxWallTimeMinutes !== undefined && wallMinutes > opts.maxWallTimeMinutes) {
    problems.push(`wallTimeLimit ${wallMinutes} min exceeds the ${opts.maxWallTimeMinutes} min this installation allows`);
  }

  let role = opts.defaultRole;
  const queue = model.queueName?.trim();
  if (queue) {
    const mapped = opts.queueRoles[queue];
    if (mapped === undefined) {
      const known = Object.keys(opts.queueRoles).sort();
      problems.push(`queue "${queue}" has no Mesos role (known queues: ${known.length ? known.join(', ') : 'none'})`);
    } else {
      role = mapped;
    }
  }

  if (problems.length) return { ok: false, problems };
  return {
    ok: true,
    wallTimeSeconds: wallMinutes * 60,
    request: {
      ranks,
      cpusPerRank: threads,
      memMbPerRank,
      ...(nodeCount !== undefined ? { nodeCount } : {}),
      role,
      portsPerAgent: opts.portsPerAgent ?? 1,
    },
  };
}

/** The request of a GangSpec the provisioner already derived. */
export function gangRequestFromSpec(spec: GangSpec, portsPerAgent = 1): GangRequest {
  return {
    ranks: spec.ranks,
    cpusPerRank: spec.cpusPerRank,
    memMbPerRank: spec.memMbPerRank,
    ...(spec.nodeCount ? { nodeCount: spec.nodeCount } : {}),
    role: spec.role,
    portsPerAgent,
  };
}
