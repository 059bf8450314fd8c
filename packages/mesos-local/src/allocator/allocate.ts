import { Bag, isEmpty, scalar } from '../resources/bag';

/** What the allocator sees of an agent: resources neither used by tasks nor already offered. */
export interface AllocatableAgent { id: string; available: Bag; active: boolean }

/** What the allocator sees of a framework: only connected, active frameworks are offered anything. */
export interface AllocatableFramework { id: string; roles: readonly string[]; suppressedRoles: ReadonlySet<string>; active: boolean }

export interface Grant { frameworkId: string; agentId: string; role: string; resources: Bag }

/** Why an agent was not offered to a framework this cycle; kept so "why no offers?" has an answer. */
export interface Skip { agentId: string; frameworkId?: string; reason: string }

export interface AllocationInput {
  agents: readonly AllocatableAgent[];
  frameworks: readonly AllocatableFramework[];
  /** Returns the expiry of a decline filter holding these resources back, or null. */
  filteredUntil(frameworkId: string, agentId: string, resources: Bag): number | null;
  /** Rotates who goes first, so agents spread over frameworks and roles across cycles. */
  cursor: number;
}

export interface AllocationResult { grants: Grant[]; skips: Skip[]; cursor: number }

/** Mesos' minimum allocatable resources: an agent with less is not worth an offer. */
const MIN_CPUS = 0.01;
const MIN_MEM = 32;

/**
 * One allocation cycle, pure: each agent's available resources go whole to one (framework, role)
 * pair, chosen round-robin among the pairs that are active, not suppressed and not filtered for
 * that agent. This is simpler than Mesos' DRF sorter and is documented as such; what matters to
 * frameworks (one offer per agent, filters, suppression, roles) behaves the same.
 */
export function allocate(input: AllocationInput): AllocationResult {
  const pairs = input.frameworks.flatMap((f) => (f.active ? f.roles.filter((r) => !f.suppressedRoles.has(r)).map((role) => ({ frameworkId: f.id, role })) : []));
  const grants: Grant[] = [];
  const skips: Skip[] = [];
  let cursor = input.cursor;
  for (const agent of input.agents) {
    if (!agent.active) {
      skips.push({ agentId: agent.id, reason: 'agent is not active (disconnected or being removed)' });
      continue;
    }
    if (isEmpty(agent.available) || (scalar(agent.available, 'cpus') < MIN_CPUS && scalar(agent.available, 'mem') < MIN_MEM)) {
      skips.push({ agentId: agent.id, reason: 'nothing allocatable left (all used or offered)' });
      continue;
    }
    if (pairs.length === 0) {
      skips.push({ agentId: agent.id, reason: 'no active framework with an unsuppressed role' });
      continue;
    }
    let granted = false;
    for (let k = 0; k < pairs.length && !granted; k++) {
      const pair = pairs[(cursor + k) % pairs.length];
      if (grants.some((g) => g.frameworkId === pair.frameworkId && g.agentId === agent.id)) continue;
      const until = input.filteredUntil(pair.frameworkId, agent.id, agent.available);
      if (until !== null) {
        skips.push({ agentId: agent.id, frameworkId: pair.frameworkId, reason: `declined by the framework until ${new Date(until).toISOString()}` });
        continue;
      }
      grants.push({ frameworkId: pair.frameworkId, agentId: agent.id, role: pair.role, resources: agent.available });
      cursor = (cursor + k + 1) % pairs.length;
      granted = true;
    }
  }
  return { grants, skips, cursor };
}
