import type { ClusterState } from '@msched/mesos/protocol';
import { carveTaskResources } from '../launch/carve-resources';
import { fitsCluster } from '../placement/fits-cluster';
import { placeOnAgents } from '../placement/place-gang';
import type { Assignment } from '../placement/types';
import { validateGangRequest } from '../request/gang-request';
import type { AgentResources } from '../snapshot/agent-resources';
import { capacityFromClusterState, type ClusterCapacity } from '../snapshot/cluster-capacity';
import { ClusterMembership, type MembershipView } from '../snapshot/cluster-membership';
import { OfferSnapshot } from '../snapshot/offer-snapshot';
import { formatDuration, mayBackfill, type HeadReservation } from './backfill';
import { HeldOffers } from './held-offers';
import { fairShareFactors, type TenantLoad } from './fair-share/fair-share-factor';
import { priorityKey } from './fair-share/priority';
import { tenantKey, tenantOf } from './fair-share/tenant';
import { UsageLedger } from './fair-share/usage-ledger';
import { headStillFits, placeOnSpare } from './spare-backfill';
import { estimateReservation, type ReservationEstimate, type SpareResources } from './reservation-estimate';
import { estimateStarts, gangCores, type RoleOutlook } from './start-estimate';
import type { AgentShare, OfferPolicyConfig, PolicyDecision, PolicyEvent, RunningGang, TenantUsage, WaitingGang } from './types';

interface Queued {
  readonly gang: WaitingGang;
  readonly seq: number;
}

/** Ends after which an ended gang's run fraction counts 1/e as much as the latest one's. */
const RUN_FRACTION_MEMORY = 200;
/**
 * How often the fair-share factors are recomputed while nothing else changes them (running gangs'
 * usage grows continuously): Slurm's PriorityCalcPeriod default. Ends, loads and new tenants
 * recompute them at once.
 */
const PRIORITY_CALC_MS = 5 * 60 * 1000;

export interface OfferPolicyState {
  /** Roles suppressed at the last (re)subscription; default: none. */
  readonly suppressedRoles?: readonly string[];
}

/**
 * What to do with offers, as a pure state machine: events in (gangs queued and ended, offers, time),
 * decisions out (launch, decline with a filter, revive, suppress, fail). Gangs wait in one queue
 * per role, in submit order ('fifo') or by fair-share priority ('fair-share', see fair-share/); the
 * first of each queue that does not fit holds a reservation; others go ahead only when they cannot
 * delay it (see backfill.ts). A gang whose gateway would pass its core quota is skipped: it neither
 * starts nor holds the reservation. Offers are held for waiting gangs at most `holdSeconds`.
 */
export class OfferPolicy {
  private readonly queue: Queued[] = [];
  private seq = 0;
  private readonly held = new HeldOffers();
  private readonly running = new Map<string, RunningGang>();
  private readonly suppressed: Set<string>;
  /** Roles with offers declined (so filtered) since their last REVIVE. */
  private readonly declinedSinceRevive = new Set<string>();
  /** Roles where work arrived or capacity freed since the last evaluation. */
  private readonly reviveWanted = new Set<string>();
  /** Roles where a gang ended since the last evaluation (reviveOnGangEnd). */
  private readonly endedSinceEvaluation = new Set<string>();
  /**
   * Why each gang waits, in words. Those quoting the placement's reasons are written only when read:
   * placement skips working out the reasons of a gang far too big for the offers, and most are
   * overwritten on the next event before anyone asks.
   */
  private readonly explanations = new Map<string, string | (() => string)>();
  private readonly heads = new Map<string, { gangId: string; since: number }>();
  /** Roles whose head gang has a reservation with an end-time estimate (its offers are kept for it). */
  private readonly reservedRoles = new Set<string>();
  private capacity = new Map<string, ClusterCapacity>();
  /** Who belongs to the cluster over time, for "can never fit" (see cluster-membership.ts). */
  private readonly membership: ClusterMembership;
  private membershipView?: MembershipView;
  /** Per role, what every member of the cluster could give: the ground for "can never fit". */
  private verdictCapacity = new Map<string, ClusterCapacity>();
  /** neverFits' answer per request, for the capacity last read: a trace has many gangs of the same shape. */
  private fitVerdicts = new Map<string, string | undefined>();
  private cluster: ClusterState | undefined;
  private snapshot: { version: number; value: OfferSnapshot } | undefined;
  /** Moves on whenever the set of running gangs changes (with the held offers' version it keys the estimate). */
  private runningVersion = 0;
  /**
   * Resources of gangs that ended, per agent, until that agent's offer arrives (or `holdSeconds`
   * pass): the master has them free but has not offered them yet. The reservation estimate counts
   * them as free now; without them it would think the head must wait for a later end and let gangs
   * go ahead that delay it.
   */
  private readonly returning = new Map<string, { share: AgentShare; endedAt: number }[]>();
  /**
   * The last reservation estimate of the head and of the oldest gang (reserveForOldest): ticks and
   * unrelated events reuse them until offers or running gangs change.
   */
  private readonly estimates: Record<'head' | 'oldest', { key: string; value: ReservationEstimate | undefined } | undefined> = { head: undefined, oldest: undefined };
  /** Ended gangs' run time as a share of their wall time (expected starts plan waiting gangs with it). */
  private readonly runFraction = new DecayingMean(RUN_FRACTION_MEMORY);
  /** Per role: the head's reservation time as last estimated (expected starts begin there). */
  private readonly headFitsAt = new Map<string, { gangId: string; fitsAt: number }>();
  /** Past usage per tenant (kept whenever fair share is configured, whatever the order). */
  private readonly ledger: UsageLedger | undefined;
  /** Fair-share factor per tenant key, when computed and from which ledger version. */
  private factors: { at: number; version: number; byTenant: Map<string, number> } | undefined;
  /** The queue in fair-share priority order (undefined: to be sorted again). */
  private fairOrder: Queued[] | undefined;

  constructor(private readonly config: OfferPolicyConfig, state: OfferPolicyState = {}) {
    if (config.roles.length === 0) throw new RangeError('the offer policy needs the framework roles');
    if (config.order === 'fair-share' && !config.fairShare) throw new RangeError('order "fair-share" needs the fairShare settings');
    this.suppressed = new Set(state.suppressedRoles ?? []);
    if (config.fairShare) this.ledger = new UsageLedger(config.fairShare.halfLifeSeconds);
    this.membership = new ClusterMembership(config.agentReturnWindowSeconds === undefined ? undefined : config.agentReturnWindowSeconds * 1000);
  }

  /** Applies events in order, then decides once. `now` is epoch ms. */
  handle(events: PolicyEvent | readonly PolicyEvent[], now: number): PolicyDecision[] {
    const out: PolicyDecision[] = [];
    for (const e of Array.isArray(events) ? events : [events as PolicyEvent]) this.apply(e, now, out);
    this.evaluate(now, out);
    return out;
  }

  /** Why a gang is still waiting, in words (for `msched jobs show` and the DB); undefined if it is not waiting. */
  explain(gangId: string, now: number): string | undefined {
    const order = this.ordered(now);
    const q = order.find((x) => x.gang.gangId === gangId);
    if (!q) return undefined;
    const position = this.roleOrder(gangsOfRole(order, q.gang.request.role), this.gatewayCores(), now).indexOf(q.gang) + 1;
    return this.describe(q.gang, position, now);
  }

  /**
   * `explain` for every waiting gang, in one walk of the order (gang id → words): the dispatcher's
   * periodic pass asks about all of them, and one `explain` each walked the queue once per gang.
   */
  explainAll(now: number): Map<string, string> {
    const out = new Map<string, string>();
    const order = this.ordered(now);
    const gatewayCores = this.gatewayCores();
    for (const role of new Set(order.map((q) => q.gang.request.role))) {
      this.roleOrder(gangsOfRole(order, role), gatewayCores, now).forEach((gang, i) => out.set(gang.gangId, this.describe(gang, i + 1, now)));
    }
    return out;
  }

  private describe(gang: WaitingGang, position: number, now: number): string {
    let why = this.explanations.get(gang.gangId) ?? 'waiting for offers';
    if (typeof why === 'function') this.explanations.set(gang.gangId, (why = why()));
    return `#${position} in the queue of role ${gang.request.role}, waiting ${formatDuration(now - gang.queuedAt)}: ${why}`;
  }

  /**
   * Gang id → epoch ms of its expected start, for every waiting gang (undefined: no estimate), in
   * the waiting order of each role (see start-estimate.ts for how). `limit`: only the first that
   * many of each role. Changes no decision; cheap enough to call every few seconds (about 1 ms with
   * 500 waiting and 300 running gangs: bench/trace/src/expected-starts.ts).
   */
  expectedStarts(now: number, limit = Infinity): ReadonlyMap<string, number | undefined> {
    const order = this.ordered(now);
    const roles: RoleOutlook[] = [];
    const running = [...this.running.values()];
    const gatewayCores = this.gatewayCores();
    for (const role of new Set(order.map((q) => q.gang.request.role))) {
      const mine = running.filter((r) => r.role === role);
      const head = this.heads.get(role);
      const fits = this.headFitsAt.get(role);
      roles.push({
        order: this.roleOrder(gangsOfRole(order, role), gatewayCores, now),
        freeNow: this.freeNow(role, mine),
        running: mine,
        // The head's own estimate places it agent by agent but sees only held offers: it is the
        // better bound when the cluster's capacity is unknown.
        ...(!this.cluster && head && fits?.gangId === head.gangId ? { notBefore: new Map([[head.gangId, fits.fitsAt]]) } : {}),
      });
    }
    const fraction = this.config.learnRunFraction === false ? 1 : plannedRunFraction(this.runFraction.value());
    return estimateStarts(now, roles, this.config.quotas ?? {}, running, limit, fraction);
  }

  /** Past usage per tenant decayed to `now` (empty without fair-share settings). */
  usage(now: number): TenantUsage[] {
    return this.ledger?.snapshot(now) ?? [];
  }

  /** Roles to pass as suppressed_roles when (re)subscribing. */
  suppressedRoles(): string[] {
    return [...this.suppressed].sort();
  }

  /**
   * Whether `gang` fits the cluster as last seen (false also while the cluster is unknown): a new
   * gang that does is queued without reading the cluster's state again (a read on the hot path);
   * one that does not is judged only on a fresh read, so none fails on a stale view.
   */
  fitsKnownCluster(gang: WaitingGang): boolean {
    return this.cluster !== undefined && this.neverFits(gang) === undefined;
  }

  /** Waiting gangs in submit order. */
  waiting(): WaitingGang[] {
    return this.queue.map((q) => q.gang);
  }

  get heldOffers(): number {
    return this.held.size;
  }

  private apply(e: PolicyEvent, now: number, out: PolicyDecision[]): void {
    switch (e.type) {
      case 'gangQueued':
        return this.enqueue(e.gang, out);
      case 'gangWithdrawn':
        this.dequeue(e.gangId);
        return;
      case 'gangRunning':
        this.running.set(e.gang.gangId, e.gang);
        this.runningVersion++;
        return;
      case 'gangEnded': {
        const gang = this.running.get(e.gangId);
        if (this.running.delete(e.gangId)) this.runningVersion++;
        if (gang && gang.launchedAt !== undefined && this.ledger) {
          let cores = 0;
          for (const s of gang.shares) cores += s.cpus;
          this.ledger.charge(tenantOf(gang.tenant), cores * Math.max(0, now - gang.launchedAt) / 1000, now);
        }
        if (gang) {
          for (const share of gang.shares) {
            const list = this.returning.get(share.agentId);
            if (list) list.push({ share, endedAt: now });
            else this.returning.set(share.agentId, [{ share, endedAt: now }]);
          }
        }
        if (gang && gang.launchedAt !== undefined && gang.expectedEndAt > gang.launchedAt) this.runFraction.add((now - gang.launchedAt) / (gang.expectedEndAt - gang.launchedAt));
        if (gang) this.reviveWanted.add(gang.role);
        if (gang && this.config.reviveOnGangEnd) this.endedSinceEvaluation.add(gang.role);
        return;
      }
      case 'offers':
        this.held.add(e.offers, now);
        for (const o of e.offers) if (this.returning.delete(o.agent_id.value)) this.runningVersion++;
        return;
      case 'offerRescinded':
        this.held.remove([e.offerId]);
        return;
      case 'clusterState':
        this.cluster = e.state;
        this.membershipView = this.membership.observe(e.state, now);
        this.capacity = new Map();
        this.verdictCapacity = new Map();
        this.fitVerdicts = new Map();
        for (const q of [...this.queue]) {
          const reason = this.neverFits(q.gang);
          if (reason) {
            this.dequeue(q.gang.gangId);
            out.push({ type: 'fail', gangId: q.gang.gangId, reason });
          }
        }
        return;
      case 'resubscribed':
        this.held.clear();
        // The master keeps a framework's decline filters across subscriptions, and this process
        // cannot know which ones an earlier leader (or this one before a master failover) left:
        // every role may be filtered, so a role with waiting gangs is revived now, the others
        // when work arrives.
        for (const role of this.config.roles) {
          this.declinedSinceRevive.add(role);
          this.reviveWanted.add(role);
        }
        return;
      case 'tick':
        return;
      case 'usageLoaded':
        this.ledger?.seed(e.usage);
        return;
    }
  }

  private enqueue(gang: WaitingGang, out: PolicyDecision[]): void {
    if (this.queue.some((q) => q.gang.gangId === gang.gangId) || this.running.has(gang.gangId)) return;
    const problems = validateGangRequest(gang.request);
    if (!this.config.roles.includes(gang.request.role)) {
      problems.push(`role "${gang.request.role}" is not one of the framework's roles (${this.config.roles.join(', ')}), so no offer can ever come for it`);
    }
    if (problems.length) return void out.push({ type: 'fail', gangId: gang.gangId, reason: `invalid gang: ${problems.join('; ')}` });
    const never = this.neverFits(gang);
    if (never) return void out.push({ type: 'fail', gangId: gang.gangId, reason: never });
    const entry = { gang, seq: this.seq++ };
    let i = this.queue.length;
    while (i > 0 && this.queue[i - 1].gang.queuedAt > gang.queuedAt) i--;
    this.queue.splice(i, 0, entry);
    this.insertFair(entry);
    this.explanations.set(gang.gangId, 'queued, waiting for offers');
    this.reviveWanted.add(gang.request.role);
  }

  private dequeue(gangId: string): void {
    const i = this.queue.findIndex((q) => q.gang.gangId === gangId);
    if (i >= 0) this.queue.splice(i, 1);
    this.explanations.delete(gangId);
    if (this.fairOrder) {
      const j = this.fairOrder.findIndex((q) => q.gang.gangId === gangId);
      if (j >= 0) this.fairOrder.splice(j, 1);
    }
  }

  /** The waiting gangs in the configured order: submit time ('fifo') or priority ('fair-share'). */
  private ordered(now: number): readonly Queued[] {
    if (this.config.order !== 'fair-share') return this.queue;
    if (this.refreshFactors(now) || !this.fairOrder) {
      const starving = this.config.fairShare!.starvationHours;
      const since = starving === undefined ? -Infinity : now - starving * 3_600_000;
      const keyed = this.queue.map((q) => ({ q, key: q.gang.queuedAt <= since ? Infinity : this.keyOf(q) }));
      keyed.sort((a, b) => (a.key === b.key ? 0 : b.key - a.key) || a.q.gang.queuedAt - b.q.gang.queuedAt || a.q.seq - b.q.seq);
      this.fairOrder = keyed.map((k) => k.q);
    }
    return this.fairOrder;
  }

  private keyOf(q: Queued): number {
    const factor = this.factors?.byTenant.get(tenantKey(q.gang.tenant)) ?? 1;
    return priorityKey(this.config.fairShare!, factor, q.gang.queuedAt);
  }

  /** A new gang goes into the sorted order at its place; a new tenant makes the factors stale. */
  private insertFair(entry: Queued): void {
    if (!this.fairOrder) return;
    if (!this.factors?.byTenant.has(tenantKey(entry.gang.tenant))) {
      this.factors = undefined;
      return;
    }
    if (this.config.fairShare!.starvationHours !== undefined) {
      // Starving gangs lead whatever their key: the order cannot be bisected by key.
      this.fairOrder = undefined;
      return;
    }
    const key = this.keyOf(entry);
    const order = this.fairOrder;
    let lo = 0;
    let hi = order.length;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      const k = this.keyOf(order[mid]);
      const before = k > key || (k === key && order[mid].gang.queuedAt <= entry.gang.queuedAt);
      if (before) lo = mid + 1;
      else hi = mid;
    }
    order.splice(lo, 0, entry);
  }

  /**
   * Recomputes every tenant's fair-share factor when usage changed (an end, a load, a new tenant)
   * or the calculation period passed (running gangs' usage grows). True when it did.
   */
  private refreshFactors(now: number): boolean {
    const ledger = this.ledger!;
    const f = this.factors;
    if (f && f.version === ledger.version && now - f.at < PRIORITY_CALC_MS && now >= f.at) return false;
    const loads = new Map<string, { tenant: TenantLoad['tenant']; coreSeconds: number }>();
    for (const u of ledger.snapshot(now)) loads.set(tenantKey(u.tenant), { tenant: u.tenant, coreSeconds: u.coreSeconds });
    const add = (tenant: TenantLoad['tenant'] | undefined, coreSeconds: number) => {
      const key = tenantKey(tenant);
      const l = loads.get(key);
      if (l) l.coreSeconds += coreSeconds;
      else loads.set(key, { tenant: tenantOf(tenant), coreSeconds });
    };
    for (const r of this.running.values()) {
      if (r.launchedAt === undefined) continue;
      let cores = 0;
      for (const s of r.shares) cores += s.cpus;
      add(r.tenant, cores * Math.max(0, now - r.launchedAt) / 1000);
    }
    for (const q of this.queue) add(q.gang.tenant, 0);
    this.factors = { at: now, version: ledger.version, byTenant: fairShareFactors([...loads.values()], this.config.fairShare!.gatewayShares) };
    return true;
  }

  /** Cores and memory of a role free now: the cluster's capacity less our running gangs, else the held offers. */
  private freeNow(role: string, running: readonly RunningGang[]): { cpus: number; mem: number } {
    let cpus = 0;
    let mem = 0;
    if (this.cluster) {
      let cap = this.capacity.get(role);
      if (!cap) this.capacity.set(role, (cap = capacityFromClusterState(this.cluster, role)));
      for (const a of cap.agents) {
        cpus += a.cpus;
        mem += a.mem;
      }
      for (const r of running) for (const s of r.shares) {
        cpus -= s.cpus;
        mem -= s.mem;
      }
    } else {
      for (const a of this.currentSnapshot().agents(role)) {
        cpus += a.cpus;
        mem += a.mem;
      }
      for (const list of this.returning.values()) for (const { share } of list) {
        cpus += share.cpus;
        mem += share.mem;
      }
    }
    return { cpus: Math.max(0, cpus), mem: Math.max(0, mem) };
  }

  /**
   * The reason a gang can never run on this cluster, or undefined: also when the cluster is unknown
   * or the master says agents are still to re-register. Judged against every agent that belongs to
   * the cluster (cluster-membership.ts), not only those connected at the last read.
   */
  private neverFits(gang: WaitingGang): string | undefined {
    const view = this.membershipView;
    if (!view || view.incomplete) return undefined;
    const key = JSON.stringify(gang.request);
    if (this.fitVerdicts.has(key)) return this.fitVerdicts.get(key);
    const role = gang.request.role;
    let cap = this.verdictCapacity.get(role);
    if (!cap) this.verdictCapacity.set(role, (cap = capacityFromClusterState(view.state, role)));
    const verdict = fitsCluster(gang.request, cap, { maxReasonDetails: 5 });
    const reason = verdict.fits ? undefined : `can never run on this cluster: ${verdict.reasons.join('; ')}`;
    this.fitVerdicts.set(key, reason);
    return reason;
  }

  /** One snapshot per set of held offers: ticks and queue changes reuse it. */
  private currentSnapshot(): OfferSnapshot {
    if (this.snapshot?.version !== this.held.version) {
      this.snapshot = { version: this.held.version, value: this.held.snapshot() };
    }
    return this.snapshot.value;
  }

  private evaluate(now: number, out: PolicyDecision[]): void {
    const snapshot = this.currentSnapshot();
    const launched = new Set<string>();
    const usedOffers: string[] = [];
    const order = this.ordered(now);
    // Each role's waiting gangs in order, roles in the order of their first gang: one walk of the queue.
    const byRole = new Map<string, WaitingGang[]>();
    for (const q of order) {
      const list = byRole.get(q.gang.request.role);
      if (list) list.push(q.gang);
      else byRole.set(q.gang.request.role, [q.gang]);
    }
    this.reservedRoles.clear();
    const gatewayCores = this.gatewayCores();
    const spareRule = this.config.spareRule ?? 'by-agent-shape';

    for (const [role, inOrder] of byRole) {
      let agents: readonly AgentResources[] = snapshot.agents(role);
      let head: HeadReservation | undefined;
      /** What a gang running past the head's reservation may hold then (see spareRule); copied before it is taken from. */
      let spare: ReadonlyMap<string, SpareResources> | undefined;
      /** Whether the spare rule in force is 'head-fits' for this head (see spareRule). */
      let headFits = false;
      const mine = this.roleOrder(inOrder, gatewayCores, now);
      /** The oldest gang (reserveForOldest); once the walk passes it waiting behind the head, its reservation. */
      const oldestGang = this.oldestOf(mine, gatewayCores);
      let oldest: { gang: WaitingGang; fitsAt: number; spare: ReadonlyMap<string, SpareResources> } | undefined;
      for (let i = 0; i < mine.length; i++) {
        const gang = mine[i];
        if (i > 0 && mine[i - 1] === oldestGang && head && head.gang !== oldestGang && !launched.has(oldestGang.gangId)) {
          // Gangs after it in the order may not delay it either (conservative backfilling's rule, for it alone).
          oldest = this.reserveOldest(oldestGang, agents, now);
        }
        const overQuota = gatewayCores && this.overQuota(gang, gatewayCores);
        if (overQuota) {
          // Held by its gateway's quota: it neither starts nor takes the head's reservation.
          this.explanations.set(gang.gangId, overQuota);
          continue;
        }
        const verdict = head ? mayBackfill(gang, head, now, this.config.reservationAgingSeconds) : undefined;
        /** Would it run past the oldest gang's reservation? Then it may hold only what the oldest leaves over. */
        const pastOldest = oldest !== undefined && oldest.gang !== gang && now + gang.wallTimeSeconds * 1000 > oldest.fitsAt;
        if ((verdict && !verdict.allowed) || pastOldest) {
          const pastHead = verdict !== undefined && !verdict.allowed;
          const limit = pastHead && pastOldest ? leastOf(spare, oldest!.spare) : pastHead ? spare : oldest!.spare;
          const onSpare = limit && agents.length ? placeOnSpare(gang, agents, limit, pastHead && headFits && !pastOldest ? head!.gang.request : undefined) : undefined;
          if (!onSpare || (pastHead && pastOldest && headFits && !headStillFits(head!.gang.request, spare!, onSpare))) {
            this.explanations.set(gang.gangId, pastHead ? verdict!.why : `waiting behind gang ${oldest!.gang.gangId}, the longest waiting: its wall time (${formatDuration(gang.wallTimeSeconds * 1000)}) would end after that gang is expected to fit (${new Date(oldest!.fitsAt).toISOString()})`);
            continue;
          }
          // EASY's second rule: it runs past a reservation, but only on what that reservation leaves over.
          out.push(this.launch(gang, onSpare, snapshot, now));
          launched.add(gang.gangId);
          if (gatewayCores) addCores(gatewayCores, gang);
          const used = new Set(onSpare.map((a) => a.agentId));
          for (const a of onSpare) usedOffers.push(...a.offerIds);
          if (pastHead) spare = less(spare!, onSpare);
          if (pastOldest) oldest = { ...oldest!, spare: less(oldest!.spare, onSpare) };
          agents = agents.filter((a) => !used.has(a.agentId));
          continue;
        }
        const result = agents.length ? placeOnAgents(gang.request, agents, 'free') : undefined;
        if (result?.kind === 'placed') {
          out.push(this.launch(gang, result.assignments, snapshot, now));
          launched.add(gang.gangId);
          if (gatewayCores) addCores(gatewayCores, gang);
          const used = new Set(result.assignments.map((a) => a.agentId));
          for (const a of result.assignments) usedOffers.push(...a.offerIds);
          agents = agents.filter((a) => !used.has(a.agentId));
          continue;
        }
        const shortfall = () => (result?.kind === 'unplaceable' ? result.reasons.slice(0, 2).join('; ') : `no offers for role ${role} are held now`);
        if (head) {
          const ahead = head.gang.gangId;
          this.explanations.set(gang.gangId, () => `may start ahead of gang ${ahead} (backfill) but does not fit the offers held now: ${shortfall()}`);
          continue;
        }
        head = this.reserveHead(gang, agents, now);
        if (this.config.backfillOrder === 'shortest-first') {
          // The head keeps its place; behind it, the shortest wall times are tried first (EASY-SJBF).
          const rest = mine.slice(i + 1).sort((a, b) => a.wallTimeSeconds - b.wallTimeSeconds);
          mine.splice(i + 1, rest.length, ...rest);
        }
        headFits = spareRule === 'head-fits' || (spareRule === 'by-agent-shape' && head.atReservation !== undefined && oneRankPerAgent(gang.request, head.atReservation));
        if (this.config.backfillOnSpare !== false) spare = headFits ? head.atReservation : head.spare;
        if (head.fitsAt !== undefined) this.reservedRoles.add(role);
        const { fitsAt, headSince } = head;
        this.explanations.set(gang.gangId, () => {
          const estimate = fitsAt !== undefined
            ? `expected to fit by ${new Date(fitsAt).toISOString()} as running gangs end`
            : 'no end-time estimate: the capacity it needs is not held by gangs of this scheduler';
          return `first in line (reservation held for ${formatDuration(now - headSince)}); does not fit the offers held now: ${shortfall()}; ${estimate}`;
        });
      }
      if (!head) {
        this.heads.delete(role);
        this.headFitsAt.delete(role);
      }
    }

    for (const id of launched) this.dequeue(id);
    this.held.remove(usedOffers);
    const waitingRoles = new Set<string>();
    for (const q of this.queue) waitingRoles.add(q.gang.request.role);
    this.declineUnwanted(waitingRoles, now, out);
    this.reviveOrSuppress(waitingRoles, out);
  }

  /**
   * reserveForOldest: the oldest gang of the role not held by its quota, when fair share orders the
   * queue and it is not first in it (the first is the head, or starts); also the gang that
   * oldestLeadsAfterHours moves to the front.
   */
  private oldestOf(mine: readonly WaitingGang[], gatewayCores: ReadonlyMap<string, number> | undefined): WaitingGang | undefined {
    if (this.config.order !== 'fair-share' || this.config.fairShare?.reserveForOldest === false || mine.length < 2) return undefined;
    let at = -1;
    for (let i = 0; i < mine.length; i++) {
      if (gatewayCores && this.overQuota(mine[i], gatewayCores)) continue;
      if (at < 0 || mine[i].queuedAt < mine[at].queuedAt) at = i;
    }
    return at > 0 ? mine[at] : undefined;
  }

  /**
   * A role's waiting gangs in the order they are considered: the configured order, except that the
   * oldest goes first once it has waited `oldestLeadsAfterHours` (it starts when it fits, else it is
   * the head, whose reservation no gang may delay: EASY's guarantee to its oldest gang).
   */
  private roleOrder(mine: WaitingGang[], gatewayCores: ReadonlyMap<string, number> | undefined, now: number): WaitingGang[] {
    const hours = this.config.fairShare?.oldestLeadsAfterHours;
    if (hours === undefined) return mine;
    const oldest = this.oldestOf(mine, gatewayCores);
    if (!oldest || now - oldest.queuedAt < hours * 3_600_000) return mine;
    return [oldest, ...mine.filter((g) => g !== oldest)];
  }

  /** The oldest gang's reservation on what is free now; undefined without an estimate. */
  private reserveOldest(gang: WaitingGang, agents: readonly AgentResources[], now: number): { gang: WaitingGang; fitsAt: number; spare: ReadonlyMap<string, SpareResources> } | undefined {
    const e = this.estimateFor('oldest', gang, agents, now);
    return e && { gang, fitsAt: e.fitsAt, spare: e.spare };
  }

  /**
   * When `gang` is expected to fit, counting ended gangs' resources not yet offered back as free now;
   * kept in `slot` until the offers, the running gangs, the gang or the free agents change.
   */
  private estimateFor(slot: 'head' | 'oldest', gang: WaitingGang, freeAgents: readonly AgentResources[], now: number): ReservationEstimate | undefined {
    const key = `${this.held.version}/${this.runningVersion}/${gang.gangId}/${freeAgents.length}`;
    const cached = this.estimates[slot];
    if (cached?.key === key) return cached.value;
    const ended: RunningGang[] = [];
    for (const list of this.returning.values()) {
      for (const { share } of list) ended.push({ gangId: '', role: gang.request.role, expectedEndAt: now, shares: [share] });
    }
    const value = estimateReservation(gang.request, freeAgents, [...ended, ...this.running.values()]);
    this.estimates[slot] = { key, value };
    return value;
  }

  private reserveHead(gang: WaitingGang, freeAgents: readonly AgentResources[], now: number): HeadReservation {
    const role = gang.request.role;
    const prev = this.heads.get(role);
    const since = prev?.gangId === gang.gangId ? prev.since : now;
    this.heads.set(role, { gangId: gang.gangId, since });
    this.forgetReturning(now);
    const e = this.estimateFor('head', gang, freeAgents, now);
    if (e) this.headFitsAt.set(role, { gangId: gang.gangId, fitsAt: e.fitsAt });
    else this.headFitsAt.delete(role);
    return { gang, headSince: since, ...(e ? { fitsAt: e.fitsAt, spare: e.spare, atReservation: e.atReservation } : {}) };
  }

  /** Ended gangs' resources not offered back within `holdSeconds` went elsewhere (another framework). */
  private forgetReturning(now: number): void {
    for (const [agentId, list] of this.returning) {
      const kept = list.filter((r) => now - r.endedAt < this.config.holdSeconds * 1000);
      if (kept.length === list.length) continue;
      this.runningVersion++;
      if (kept.length) this.returning.set(agentId, kept);
      else this.returning.delete(agentId);
    }
  }

  /** Cores held per gateway by running gangs, when any gateway has a core quota (else undefined). */
  private gatewayCores(): Map<string, number> | undefined {
    const quotas = this.config.quotas;
    if (!quotas || !Object.values(quotas).some((q) => q.maxRunningCores !== undefined)) return undefined;
    const cores = new Map<string, number>();
    for (const r of this.running.values()) {
      const g = tenantOf(r.tenant).gateway;
      let c = 0;
      for (const s of r.shares) c += s.cpus;
      cores.set(g, (cores.get(g) ?? 0) + c);
    }
    return cores;
  }

  /** The wait reason when starting `gang` now would take its gateway past its core quota. */
  private overQuota(gang: WaitingGang, gatewayCores: ReadonlyMap<string, number>): string | undefined {
    const gateway = tenantOf(gang.tenant).gateway;
    const max = this.config.quotas?.[gateway]?.maxRunningCores;
    if (max === undefined) return undefined;
    if ((gatewayCores.get(gateway) ?? 0) + gangCores(gang) <= max) return undefined;
    return `gateway ${gateway} at its quota of ${max} cores`;
  }

  private launch(gang: WaitingGang, assignments: readonly Assignment[], snapshot: OfferSnapshot, now: number): PolicyDecision {
    this.runningVersion++;
    this.running.set(gang.gangId, {
      gangId: gang.gangId,
      role: gang.request.role,
      ...(gang.tenant ? { tenant: gang.tenant } : {}),
      launchedAt: now,
      expectedEndAt: now + gang.wallTimeSeconds * 1000,
      shares: assignments.map((a) => ({ agentId: a.agentId, hostname: a.hostname, cpus: a.cpus, mem: a.mem, disk: a.disk })),
    });
    return {
      type: 'launch',
      gangId: gang.gangId,
      role: gang.request.role,
      agents: assignments.map((a) => ({ ...a, resources: carveTaskResources(snapshot.offers(a.offerIds), a) })),
    };
  }

  /**
   * Offers no waiting gang wants go back at once; offers held too long go back with a short filter,
   * except while the head of their role holds a reservation with an end-time estimate: then they are
   * part of it (EASY keeps free processors for the head; declining them would let the estimate
   * forget them and backfill past the head).
   */
  private declineUnwanted(waitingRoles: ReadonlySet<string>, now: number, out: PolicyDecision[]): void {
    const idle: string[] = [];
    const expired: string[] = [];
    for (const h of this.held.entries()) {
      if (!waitingRoles.has(h.role)) idle.push(h.offer.id.value);
      else if (this.config.holdForReservation !== false && this.reservedRoles.has(h.role)) continue;
      else if (now - h.receivedAt >= this.config.holdSeconds * 1000) expired.push(h.offer.id.value);
      else continue;
      this.declinedSinceRevive.add(h.role);
    }
    if (idle.length) out.push({ type: 'decline', offerIds: idle, refuseSeconds: this.config.idleRefuseSeconds });
    if (expired.length) out.push({ type: 'decline', offerIds: expired, refuseSeconds: this.config.declineRefuseSeconds });
    this.held.remove(idle);
    this.held.remove(expired);
  }

  /**
   * REVIVE a role when work arrives or capacity frees and its offers are suppressed or filtered by our
   * declines; SUPPRESS a role nothing waits for. Each at most once per state change.
   */
  private reviveOrSuppress(waitingRoles: ReadonlySet<string>, out: PolicyDecision[]): void {
    const revive: string[] = [];
    const suppress: string[] = [];
    for (const role of this.config.roles) {
      if (waitingRoles.has(role)) {
        if (this.suppressed.has(role) || (this.reviveWanted.has(role) && this.declinedSinceRevive.has(role)) || this.endedSinceEvaluation.has(role)) {
          revive.push(role);
          this.suppressed.delete(role);
          this.declinedSinceRevive.delete(role);
        }
      } else if (!this.suppressed.has(role)) {
        suppress.push(role);
        this.suppressed.add(role);
      }
    }
    this.reviveWanted.clear();
    this.endedSinceEvaluation.clear();
    if (revive.length) out.push({ type: 'revive', roles: revive });
    if (suppress.length) out.push({ type: 'suppress', roles: suppress });
  }
}

/** The gangs of one role, in the queue's order. */
function gangsOfRole(order: readonly Queued[], role: string): WaitingGang[] {
  return order.filter((q) => q.gang.request.role === role).map((q) => q.gang);
}

/** `spare` less what `taken` holds there (a new map: evaluate's caches key on the map). */
function less(spare: ReadonlyMap<string, SpareResources>, taken: readonly Assignment[]): ReadonlyMap<string, SpareResources> {
  const left = new Map(spare);
  for (const a of taken) {
    const s = left.get(a.agentId);
    if (s) left.set(a.agentId, { cpus: s.cpus - a.cpus, mem: s.mem - a.mem, disk: s.disk - a.disk });
  }
  return left;
}

/** Per agent, the lesser of two spare maps (an agent missing from either has nothing). */
function leastOf(a: ReadonlyMap<string, SpareResources> | undefined, b: ReadonlyMap<string, SpareResources>): ReadonlyMap<string, SpareResources> | undefined {
  if (!a) return undefined;
  const out = new Map<string, SpareResources>();
  for (const [id, x] of a) {
    const y = b.get(id);
    if (y) out.set(id, { cpus: Math.min(x.cpus, y.cpus), mem: Math.min(x.mem, y.mem), disk: Math.min(x.disk, y.disk) });
  }
  return out;
}

function addCores(cores: Map<string, number>, gang: WaitingGang): void {
  const g = tenantOf(gang.tenant).gateway;
  cores.set(g, (cores.get(g) ?? 0) + gangCores(gang));
}

/**
 * True when no agent free at the head's reservation can hold two of its ranks: then where the head
 * goes is only a count of agents ('by-agent-shape' spare rule).
 */
export function oneRankPerAgent(head: WaitingGang['request'], atReservation: ReadonlyMap<string, SpareResources>): boolean {
  for (const s of atReservation.values()) {
    if (s.cpus >= 2 * head.cpusPerRank && s.mem >= 2 * head.memMbPerRank) return false;
  }
  return true;
}

/**
 * The share of its wall time a waiting gang is planned to run, from ended gangs' mean share: that
 * mean plus a quarter of the rest. The mean alone made the estimates of gangs behind the first early
 * on average on KTH (−45 min at positions 4–10), the whole wall time late (+2 to +3 h); a quarter
 * of the rest brought the bias to within ±20 min there.
 */
export function plannedRunFraction(meanShare: number): number {
  return meanShare + (1 - meanShare) * 0.25;
}

/** A mean in which each new value outweighs older ones by a factor e per `memory` values; 1 before any. */
class DecayingMean {
  private sum = 0;
  private weight = 0;
  private readonly keep: number;

  constructor(memory: number) {
    this.keep = Math.exp(-1 / memory);
  }

  add(x: number): void {
    const v = Math.min(1, Math.max(0, x));
    this.sum = this.sum * this.keep + v;
    this.weight = this.weight * this.keep + 1;
  }

  value(): number {
    return this.weight > 0 ? Math.max(0.01, this.sum / this.weight) : 1;
  }
}
