import { SimInputError } from '../errors';
import type { SwfHeader } from '../swf/parse-swf';

/** A cluster of identical agents. */
export interface ClusterShape {
  readonly agents: number;
  readonly cpusPerAgent: number;
}

export const totalCpus = (c: ClusterShape): number => c.agents * c.cpusPerAgent;
export const formatShape = (c: ClusterShape): string => `${c.agents}x${c.cpusPerAgent}`;

/** `128x1`, `16x8`: agents × cpus per agent. */
export function parseClusterShape(text: string): ClusterShape {
  const m = /^\s*(\d+)\s*x\s*(\d+)\s*$/i.exec(text);
  if (!m) throw new SimInputError(`--cluster must be AGENTSxCPUS such as 128x1 or 16x8, got "${text}"`);
  const agents = Number(m[1]);
  const cpusPerAgent = Number(m[2]);
  if (agents < 1 || cpusPerAgent < 1) throw new SimInputError(`--cluster needs at least one agent with one cpu, got "${text}"`);
  return { agents, cpusPerAgent };
}

/**
 * The machine the header describes: MaxNodes agents of MaxProcs / MaxNodes cpus when that divides
 * evenly (SDSC Blue: 144 x 8), else MaxProcs agents of one cpu.
 */
export function shapeFromHeader(header: SwfHeader): ClusterShape {
  const procs = header.maxProcs ?? header.maxNodes;
  if (!procs) throw new SimInputError('the SWF header gives neither MaxProcs nor MaxNodes: pass --cluster AGENTSxCPUS');
  const nodes = header.maxNodes;
  if (nodes && nodes > 0 && procs % nodes === 0) return { agents: nodes, cpusPerAgent: procs / nodes };
  return { agents: procs, cpusPerAgent: 1 };
}
