import type { ClusterState, Offer, Resource } from '@msched/mesos/protocol';
import type { Assignment } from '../placement/types';
import type { GangRequest } from '../request/gang-request';

/**
 * Who a gang is for: the Airavata gateway and the gateway's user. Fair share and quotas key on it;
 * a gang without one counts as user "" of gateway "default".
 */
export interface Tenant {
  readonly gateway: string;
  readonly user: string;
}

/** A tenant's past usage in core-seconds, already decayed to `asOf` (epoch ms). */
export interface TenantUsage {
  readonly tenant: Tenant;
  readonly coreSeconds: number;
  readonly asOf: number;
}

/** How gangs are ordered when fair share is on (docs/scheduling.md explains the factors). */
export interface FairShareConfig {
  /** Past usage counts half as much after this long (Slurm's PriorityDecayHalfLife; default 7 days). */
  readonly halfLifeSeconds: number;
  /** Relative shares per gateway; a gateway not listed has share 1. Users within a gateway share it equally. */
  readonly gatewayShares: Readonly<Record<string, number>>;
  /** Priority points for a tenant with no usage at all (the fair-share factor is in [0, 1]). */
  readonly fairShareWeight: number;
  /** Priority points per hour waited; unbounded, so every gang eventually leads. */
  readonly ageWeightPerHour: number;
  /**
   * A gang that has waited this long ranks before every gang that has not, oldest first, whatever
   * its tenant's usage: a bound on how much longer fair share can make anyone wait. Absent: no bound
   * but age.
   */
  readonly starvationHours?: number;
  /**
   * The oldest waiting gang of a role, when it waits behind the head, holds a second reservation
   * (default true): gangs after it in the order may not start if they would delay it (one that runs
   * past the time it is expected to fit starts only on what its placement then leaves over). Fair
   * share still decides who goes first; this only stops lower-priority gangs from being backfilled
   * into the oldest gang's way, which FIFO with EASY backfilling would not allow either.
   */
  readonly reserveForOldest?: boolean;
  /**
   * The oldest waiting gang of a role, once it has waited this many hours, goes first whatever its
   * usage (with reserveForOldest on): it starts whenever it fits, else it is the head, whose
   * reservation no gang may delay; the fair-share order decides all the others. FIFO with EASY
   * backfilling gives its oldest gang the same guarantee. Without it a burst of a heavy user's wide
   * gangs waited up to 17 % longer than under EASY (docs/scheduling.md, issue 23 round 4). Absent:
   * the oldest goes first only at starvationHours.
   */
  readonly oldestLeadsAfterHours?: number;
}

/** Limits per gateway; absent fields are unlimited. */
export interface GatewayQuota {
  /** Cores its running gangs may hold together; a gang that would pass it waits ("gateway X at its quota of N cores"). */
  readonly maxRunningCores?: number;
  /** Gangs it may have waiting; a launch past it is refused by the API, writing nothing. */
  readonly maxWaitingGangs?: number;
}

/** A gang waiting for offers. */
export interface WaitingGang {
  readonly gangId: string;
  readonly tenant?: Tenant;
  readonly request: GangRequest;
  readonly wallTimeSeconds: number;
  /**
   * Epoch ms; the queue is ordered by it. A retried attempt keeps its first attempt's time and so
   * goes back to the front.
   */
  readonly queuedAt: number;
}

/** Resources a running gang holds on one agent; they come back when it ends. */
export interface AgentShare {
  readonly agentId: string;
  readonly hostname: string;
  readonly cpus: number;
  readonly mem: number;
  readonly disk: number;
}

/** A gang on the cluster, as the reservation estimate sees it. */
export interface RunningGang {
  readonly gangId: string;
  readonly role: string;
  readonly tenant?: Tenant;
  /** Epoch ms it was launched (usage is charged from then); absent for gangs seen only as capacity. */
  readonly launchedAt?: number;
  /** Epoch ms by which the gang is gone at the latest (launch + wall time: it is killed then). */
  readonly expectedEndAt: number;
  readonly shares: readonly AgentShare[];
}

export type PolicyEvent =
  | { readonly type: 'gangQueued'; readonly gang: WaitingGang }
  /** Canceled (or failed elsewhere) while still waiting. */
  | { readonly type: 'gangWithdrawn'; readonly gangId: string }
  /** A gang already running when this dispatcher took over (the policy records its own launches). */
  | { readonly type: 'gangRunning'; readonly gang: RunningGang }
  /** A launched gang settled: its resources are free again. */
  | { readonly type: 'gangEnded'; readonly gangId: string }
  | { readonly type: 'offers'; readonly offers: readonly Offer[] }
  | { readonly type: 'offerRescinded'; readonly offerId: string }
  /** Fresh `/master/state`: the cluster's capacity, to fail gangs that can never fit. */
  | { readonly type: 'clusterState'; readonly state: ClusterState }
  /**
   * A new subscription (a new leader's first, or after a master failover): the master discarded
   * every outstanding offer, and decline filters left by earlier subscriptions of the framework
   * (possibly another process's) may still hold offers back.
   */
  | { readonly type: 'resubscribed' }
  /** Time passes: held offers expire. */
  | { readonly type: 'tick' }
  /** Past usage per tenant, read from the job records when this dispatcher took over (fair share). */
  | { readonly type: 'usageLoaded'; readonly usage: readonly TenantUsage[] };

/** One agent's part of a launch: the assignment plus the task resources cut from its offers. */
export interface AgentLaunch extends Assignment {
  readonly resources: readonly Resource[];
}

export type PolicyDecision =
  /** Send one ACCEPT per agent, all together; every offer of the agent is in its offerIds. */
  | { readonly type: 'launch'; readonly gangId: string; readonly role: string; readonly agents: readonly AgentLaunch[] }
  | { readonly type: 'decline'; readonly offerIds: readonly string[]; readonly refuseSeconds: number }
  | { readonly type: 'revive'; readonly roles: readonly string[] }
  | { readonly type: 'suppress'; readonly roles: readonly string[] }
  /** The gang can never run (or its request is invalid): fail the job with this reason. */
  | { readonly type: 'fail'; readonly gangId: string; readonly reason: string };

export interface OfferPolicyConfig {
  /** Every role the framework subscribed with. */
  readonly roles: readonly string[];
  /** Longest time an offer is held for waiting gangs before it is declined. */
  readonly holdSeconds: number;
  /** Filter on offers declined after being held (gangs wait, so they should come back soon). */
  readonly declineRefuseSeconds: number;
  /** Filter on offers no waiting gang can use (nothing waits for their role). */
  readonly idleRefuseSeconds: number;
  /**
   * Once the head gang has waited this long without an end-time estimate for its reservation, no
   * gang may be backfilled past it any more: everything freed is kept for it.
   */
  readonly reservationAgingSeconds: number;
  /**
   * EASY's second backfill rule: a gang that would run past the head's reservation may still start
   * when it fits on what the head leaves over at that time. Default true; false keeps only the
   * "ends before the reservation" rule.
   */
  readonly backfillOnSpare?: boolean;
  /**
   * Keep held offers past `holdSeconds` while the head gang of their role has a reservation with an
   * end-time estimate (they count towards it). Default true; false declines them at `holdSeconds`.
   */
  readonly holdForReservation?: boolean;
  /**
   * The order in which gangs behind the head are tried for backfilling: 'queue' (submit order, EASY)
   * or 'shortest-first' (shortest wall time first, EASY-SJBF). The head keeps its reservation
   * either way. Default 'queue'.
   */
  readonly backfillOrder?: 'queue' | 'shortest-first';
  /**
   * How EASY's extra-processor rule (backfillOnSpare) decides what the head leaves over.
   * 'head-placement' (default): the head is placed on what is free at its reservation first (agent-id
   * order among equals) and a long gang may start only on what that placement leaves.
   * 'head-fits': a long gang may start on any free agents while the head still places on what is
   * left at its reservation (EASY's count of extra processors, exactly, on one-cpu agents).
   * 'by-agent-shape' (default): 'head-fits' when no agent free at the head's reservation can hold
   * two of its ranks (its placement is then a mere count of agents, and a fixed one claims agents
   * the head does not need), else 'head-placement' (agents holding several ranks: where the head's
   * ranks pack matters, and the cautious rule beat EASY on such clusters).
   * docs/scheduling.md has what each does on the traces.
   */
  readonly spareRule?: 'head-placement' | 'head-fits' | 'by-agent-shape';
  /**
   * Expected starts plan each waiting gang to run the share of its wall time that recently ended
   * gangs ran (a mean over the last few hundred ends) instead of all of it; running gangs still end
   * at their limits. Default true; false plans whole wall times (`squeue --start`'s answer).
   */
  readonly learnRunFraction?: boolean;
  /**
   * REVIVE a role when one of its gangs ends while others wait: Mesos offers resources freed by an
   * ended task only at its next batch allocation (up to an allocation interval later), a REVIVE
   * makes it allocate at once. One REVIVE per policy call that saw an end. Default false.
   */
  readonly reviveOnGangEnd?: boolean;
  /**
   * How long an agent that left the master's list still counts as part of the cluster when judging
   * whether a gang can ever fit (it may be restarting, unreachable for a while, or re-registering
   * with a new master). Default 600 (Mesos' agent re-register timeout).
   */
  readonly agentReturnWindowSeconds?: number;
  /**
   * The waiting order within a role: 'fifo' (submit time) or 'fair-share' (priority from each
   * tenant's decayed usage against its share, plus age). Default 'fifo'.
   */
  readonly order?: 'fifo' | 'fair-share';
  /** Required when order is 'fair-share'. */
  readonly fairShare?: FairShareConfig;
  /** Per gateway id. */
  readonly quotas?: Readonly<Record<string, GatewayQuota>>;
}
