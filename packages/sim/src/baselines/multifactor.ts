import { DEFAULT_FAIR_SHARE, fairShareFactors, priorityKey, tenantKey, UsageLedger, type FairShareConfig, type Tenant } from '@msched/gang';
import type { TraceJob } from '../swf/parse-swf';
import { shadowOf } from './easy';
import type { PoolScheduler, PoolView } from './pool-sim';

/** As the offer policy: factors follow running usage at most this stale (Slurm's PriorityCalcPeriod). */
const CALC_PERIOD_SECONDS = 300;

/**
 * A Slurm-like multifactor scheduler: jobs ordered by fair share (the same two-level factor and
 * decayed usage as the offer policy's fair-share order) plus age, then EASY backfilling on that
 * order (the first job that does not fit holds a reservation at its shadow time). It sees the whole
 * machine, as Slurm does; our policy reaches the same decisions only through offers.
 */
export class MultifactorScheduler implements PoolScheduler {
  readonly name = 'Multifactor';
  private readonly ledger: UsageLedger;
  /** Jobs started and not yet seen ended, with their start (seconds). */
  private readonly started = new Map<TraceJob, number>();
  private factors: { at: number; version: number; byTenant: Map<string, number> } | undefined;
  /** Each waiting job's tenant and its key, worked out once. */
  private readonly tenants = new Map<TraceJob, { tenant: Tenant; key: string }>();

  constructor(private readonly tenantOf: (job: TraceJob) => Tenant, private readonly config: FairShareConfig = DEFAULT_FAIR_SHARE) {
    this.ledger = new UsageLedger(config.halfLifeSeconds);
  }

  schedule(view: PoolView, changes: { readonly ended: number }): void {
    const nowMs = view.now * 1000;
    if (changes.ended) {
      const live = new Set(view.running.map((r) => r.job));
      for (const [job, start] of this.started) {
        if (live.has(job)) continue;
        this.started.delete(job);
        this.ledger.charge(this.tenantOf(job), job.procs * (view.now - start), nowMs);
      }
    }
    if (view.queue.length === 0) return;
    const factors = this.currentFactors(view);
    const starving = this.config.starvationHours === undefined ? -Infinity : view.now - this.config.starvationHours * 3600;
    const keyed = view.queue.map((job) => ({ job, key: job.submit <= starving ? Infinity : priorityKey(this.config, factors.get(this.tenant(job).key) ?? 1, job.submit * 1000) }));
    keyed.sort((a, b) => (a.key === b.key ? 0 : b.key - a.key) || a.job.submit - b.job.submit || a.job.id - b.job.id);
    const order = keyed.map((k) => k.job);
    const start = (job: TraceJob) => {
      view.start(view.queue.indexOf(job));
      this.started.set(job, view.now);
      this.tenants.delete(job);
    };
    let i = 0;
    while (i < order.length && order[i].procs <= view.free()) start(order[i++]);
    if (i >= order.length - 1 || view.free() === 0) return;
    let { shadowTime, extra } = shadowOf(view, order[i].procs);
    for (let k = i + 1; k < order.length && view.free() > 0; k++) {
      const job = order[k];
      if (job.procs > view.free()) continue;
      if (view.now + job.wallTime <= shadowTime) start(job);
      else if (job.procs <= extra) {
        extra -= job.procs;
        start(job);
      }
    }
  }

  private tenant(job: TraceJob): { tenant: Tenant; key: string } {
    let t = this.tenants.get(job);
    if (!t) {
      const tenant = this.tenantOf(job);
      this.tenants.set(job, (t = { tenant, key: tenantKey(tenant) }));
    }
    return t;
  }

  private currentFactors(view: PoolView): Map<string, number> {
    const f = this.factors;
    if (f && f.version === this.ledger.version && view.now - f.at < CALC_PERIOD_SECONDS) {
      // New tenants in the queue make them stale too.
      if (view.queue.every((j) => f.byTenant.has(this.tenant(j).key))) return f.byTenant;
    }
    const nowMs = view.now * 1000;
    const loads = new Map<string, { tenant: Tenant; coreSeconds: number }>();
    const add = (tenant: Tenant, coreSeconds: number) => {
      const key = tenantKey(tenant);
      const l = loads.get(key);
      if (l) l.coreSeconds += coreSeconds;
      else loads.set(key, { tenant, coreSeconds });
    };
    for (const u of this.ledger.snapshot(nowMs)) add(u.tenant, u.coreSeconds);
    for (const [job, start] of this.started) add(this.tenantOf(job), job.procs * (view.now - start));
    for (const job of view.queue) add(this.tenant(job).tenant, 0);
    const byTenant = fairShareFactors([...loads.values()], this.config.gatewayShares);
    this.factors = { at: view.now, version: this.ledger.version, byTenant };
    return byTenant;
  }
}
