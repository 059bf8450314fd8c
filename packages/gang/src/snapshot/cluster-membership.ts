import type { AgentState, ClusterState } from '@msched/mesos/protocol';

/**
 * Mesos' `--agent_reregister_timeout` default: how long a new master waits for the agents of its
 * registry, so how long an agent that dropped out of the master's list may still be on its way back.
 */
export const AGENT_RETURN_WINDOW_MS = 10 * 60 * 1000;

/** The cluster to judge "can this gang ever run here?" against, and whether a verdict may be given at all. */
export interface MembershipView {
  /** Every agent that belongs to the cluster: listed (connected or not) or seen within the return window. */
  readonly state: ClusterState;
  /**
   * Why no "never fits" verdict may be given on this view, or undefined: a master still waiting for
   * agents of its registry lists only those that are back, so the list is not the cluster.
   */
  readonly incomplete?: string;
}

/**
 * The cluster's membership as seen over time, from successive reads of the master's state. A read
 * is a moment: after a master failover or a ZooKeeper outage the agents re-register over seconds,
 * a restarting agent is disconnected for a while, an unreachable one may come back. A gang must not
 * be failed as "can never fit" because it was judged in such a moment (the first chaos runs failed
 * gangs so), so the verdict counts every agent seen within the return window, disconnected agents
 * too, and none is given while the master itself says agents of its registry are still to come.
 */
export class ClusterMembership {
  private readonly seen = new Map<string, { agent: AgentState; at: number }>();

  constructor(private readonly returnWindowMs: number = AGENT_RETURN_WINDOW_MS) {}

  /** Takes in a read made at `now`; returns the view to judge against. */
  observe(state: ClusterState, now: number): MembershipView {
    for (const agent of state.agents) this.seen.set(agent.id, { agent, at: now });
    for (const [id, { at }] of this.seen) if (now - at > this.returnWindowMs) this.seen.delete(id);
    const listed = new Set(state.agents.map((a) => a.id));
    return membershipOf(state, [...this.seen.values()].map(({ agent }) => agent).filter((a) => !listed.has(a.id)));
  }
}

/**
 * The membership one read shows, plus `away`: agents known to belong that it does not list. Every
 * member counts as active (a disconnected agent is still part of the cluster). With no history, as
 * the provisioner's capacity stage judges one read, `away` is empty.
 */
export function membershipOf(state: ClusterState, away: readonly AgentState[] = []): MembershipView {
  const agents = [...state.agents, ...away].map((a) => (a.active ? a : { ...a, active: true }));
  const recovering = state.recoveringAgentIds?.length ?? 0;
  return {
    state: { ...state, agents },
    ...(recovering ? { incomplete: `the leading master still waits for ${recovering} agent(s) of its registry to re-register` } : {}),
  };
}
