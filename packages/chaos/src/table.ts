import { CheckResult, countByKind, VIOLATION_KINDS } from './checker';
import type { FaultRecord } from './histories';

const row = (k: string, v: string | number) => `  ${k.padEnd(44)} ${String(v).padStart(10)}`;
const fmt = (n: number | null) => (n === null ? '-' : n.toFixed(1));

/** The run's report as a plain-text table. */
export function renderTable(seed: number, faults: readonly FaultRecord[], r: CheckResult): string {
  const lines: string[] = [`chaos run, seed ${seed}`, '', 'faults injected'];
  const byKind = new Map<string, { ok: number; failed: number }>();
  for (const f of faults) {
    const c = byKind.get(f.kind) ?? { ok: 0, failed: 0 };
    if (f.ok) c.ok++; else c.failed++;
    byKind.set(f.kind, c);
  }
  for (const [k, c] of [...byKind].sort()) lines.push(row(k, c.failed ? `${c.ok} (+${c.failed} failed)` : c.ok));
  lines.push(row('total', faults.filter((f) => f.ok).length));
  const s = r.summary;
  lines.push('', 'workload');
  lines.push(row('launch calls ok / refused / unknown', `${s.launches.ok}/${s.launches.error}/${s.launches.unknown}`));
  lines.push(row('completed', s.outcomes.COMPLETED), row('failed', s.outcomes.FAILED), row('cancelled', s.outcomes.CANCELED), row('not ended', s.outcomes.notEnded));
  lines.push(row('gang attempts (retried gangs)', `${s.gangAttempts} (${s.retriedGangs})`));
  lines.push(row('ended otherwise than intended (not a violation)', s.unexpectedOutcomes.length));
  for (const [ch, n] of Object.entries(s.redeliveries)) lines.push(row(`redelivered by id on ${ch} (allowed)`, n));
  const p = s.placementAfterLeaderKill;
  lines.push(row('gangs waiting at a leader kill: placed / never', `${p.samples}/${p.neverPlaced}`));
  lines.push(row('time to place them after the kill p50/p99/max s', `${fmt(p.p50)}/${fmt(p.p99)}/${fmt(p.max)}`));
  const q = s.placementAfterLeaderKillFitting;
  lines.push(row('  of them, those that fit the free cluster', `${q.samples}/${q.neverPlaced}`));
  lines.push(row('  their time to placement p50/p99/max s', `${fmt(q.p50)}/${fmt(q.p99)}/${fmt(q.max)}`));
  lines.push('', 'violations');
  const counts = countByKind(r.violations);
  const names: Record<string, string> = {
    lost: 'lost (accepted, never ended)', 'extra-terminal': 'duplicated terminal states', 'left-behind': 'refused launches that left something',
    'partial-gang': 'partial gangs', 'rank-twice': 'duplicated ranks', 'unkilled-rank': 'ranks running after their attempt ended',
    'missing-outputs': 'COMPLETED with outputs missing', 'missing-event': 'missing events', 'duplicated-event': 'duplicated events',
    'out-of-order': 'out-of-order events', 'orphan-process': 'orphan processes', 'orphan-sandbox': 'orphan sandboxes',
    'orphan-rendezvous': 'orphan rendezvous nodes', 'held-offer': 'held offers',
  };
  for (const k of VIOLATION_KINDS) lines.push(row(names[k], counts[k]));
  lines.push(row('TOTAL', r.violations.length));
  return lines.join('\n');
}
