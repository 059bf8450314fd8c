/**
 * What one gang asks of the cluster. Ranks are the unit: each needs `cpusPerRank` cpus and
 * `memMbPerRank` MB; each agent used also needs `portsPerAgent` ports for the MPI daemon/rendezvous.
 */
export interface GangRequest {
  readonly ranks: number;
  readonly cpusPerRank: number;
  readonly memMbPerRank: number;
  /** Scratch disk per rank in MB; 0 or absent asks for none. */
  readonly diskMbPerRank?: number;
  /** Exactly this many agents; absent means "as few as fit". */
  readonly nodeCount?: number;
  /** Mesos role whose offers the gang may use. */
  readonly role: string;
  /** Ports taken from each agent's offer; default 1. */
  readonly portsPerAgent?: number;
}

/** How ranks are laid out when nodeCount is given: `perNode` on every node, `lastNode` on the last. */
export interface NodeLayout {
  readonly nodes: number;
  readonly perNode: number;
  readonly lastNode: number;
}

export const portsPerAgentOf = (r: GangRequest): number => r.portsPerAgent ?? 1;
export const diskPerRankOf = (r: GangRequest): number => r.diskMbPerRank ?? 0;

/** ceil(ranks / nodeCount) per node, the remainder on the last (the layout @msched/model describes). */
export function nodeLayout(ranks: number, nodeCount: number): NodeLayout {
  const perNode = Math.ceil(ranks / nodeCount);
  return { nodes: nodeCount, perNode, lastNode: ranks - perNode * (nodeCount - 1) };
}

const positiveInt = (x: unknown): x is number => typeof x === 'number' && Number.isInteger(x) && x > 0;
const positive = (x: unknown): x is number => typeof x === 'number' && Number.isFinite(x) && x > 0;

/** Every rule a request breaks, in words; empty when it is valid. */
export function validateGangRequest(r: GangRequest): string[] {
  const problems: string[] = [];
  if (!positiveInt(r.ranks)) problems.push(`ranks must be a positive integer, got ${r.ranks}`);
  if (!positive(r.cpusPerRank)) problems.push(`cpusPerRank must be a positive number, got ${r.cpusPerRank}`);
  if (!positive(r.memMbPerRank)) problems.push(`memMbPerRank must be a positive number, got ${r.memMbPerRank}`);
  if (r.diskMbPerRank !== undefined && !(Number.isFinite(r.diskMbPerRank) && r.diskMbPerRank >= 0)) {
    problems.push(`diskMbPerRank must be 0 or more, got ${r.diskMbPerRank}`);
  }
  if (r.portsPerAgent !== undefined && !(Number.isInteger(r.portsPerAgent) && r.portsPerAgent >= 0)) {
    problems.push(`portsPerAgent must be an integer of 0 or more, got ${r.portsPerAgent}`);
  }
  if (typeof r.role !== 'string' || r.role.length === 0) problems.push('role must be a non-empty Mesos role');
  if (r.nodeCount !== undefined) problems.push(...nodeCountProblems(r.ranks, r.nodeCount));
  return problems;
}

/** Why `nodeCount` cannot lay out `ranks` (empty when it can). */
export function nodeCountProblems(ranks: number, nodeCount: number): string[] {
  if (!positiveInt(nodeCount)) return [`nodeCount must be a positive integer, got ${nodeCount}`];
  if (!positiveInt(ranks)) return [];
  if (nodeCount > ranks) return [`nodeCount ${nodeCount} is more than the ${ranks} rank${ranks === 1 ? '' : 's'}: every node needs at least one rank`];
  const layout = nodeLayout(ranks, nodeCount);
  if (layout.lastNode < 1) {
    const works = Math.ceil(ranks / layout.perNode);
    return [`nodeCount ${nodeCount} cannot be honoured for ${ranks} ranks: at ceil(${ranks}/${nodeCount}) = ${layout.perNode} ranks per node the last node would get none (nodeCount ${works} would work)`];
  }
  return [];
}
