/**
 * @msched/gang: gang scheduling as pure code over snapshots (no I/O).
 *
 * - request/    GangRequest, its rules, and its derivation from Airavata's scheduling model
 * - snapshot/   offers (free now) and cluster capacity (totals) as per-agent resources
 * - placement/  placeGang / fitsCluster: feasibility filters → ranker → plan, wired in place-gang.ts
 * - launch/     task resources cut from the offers of an assignment
 * - policy/     OfferPolicy: hold, decline, revive, suppress, reservation and backfill
 * - fate/       GangFate: one attempt's fate from Mesos task updates ("one fate")
 */
export * from './errors';
export * from './request/gang-request';
export * from './request/from-scheduling';
export * from './snapshot/agent-resources';
export * from './snapshot/offer-snapshot';
export * from './snapshot/cluster-capacity';
export * from './snapshot/cluster-membership';
export * from './snapshot/ports';
export * from './placement';
export * from './launch/carve-resources';
export * from './policy';
export * from './fate';
