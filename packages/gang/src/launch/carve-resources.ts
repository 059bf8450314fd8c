import { numbersToRanges, SCALAR_EPSILON, type Offer, type Resource } from '@msched/mesos/protocol';
import { ResourceCarveError } from '../errors';
import type { Assignment } from '../placement/types';
import { usableForRanks } from '../snapshot/offer-snapshot';

/**
 * The Resource list of the task of one assignment, cut from the agent's offers. Each piece keeps the
 * role, allocation_info and reservations of the offered resource it comes from: a MULTI_ROLE master
 * refuses task resources that do not match what it offered.
 */
export function carveTaskResources(offers: readonly Offer[], a: Pick<Assignment, 'cpus' | 'mem' | 'disk' | 'ports'>): Resource[] {
  const need = new Map<string, number>([['cpus', a.cpus], ['mem', a.mem], ['disk', a.disk]]);
  const ports = new Set(a.ports);
  const out: Resource[] = [];
  for (const offer of offers) {
    for (const r of offer.resources) {
      if (!usableForRanks(r)) continue;
      if (r.scalar && need.has(r.name)) {
        const wanted = need.get(r.name)!;
        if (wanted <= SCALAR_EPSILON) continue;
        const take = Math.min(wanted, r.scalar.value);
        if (take <= 0) continue;
        // Mesos keeps three decimals; rounding here avoids 0.30000000000000004-style values on the wire.
        out.push({ ...r, scalar: { value: Math.round(take * 1000) / 1000 } });
        need.set(r.name, wanted - take);
      } else if (r.name === 'ports' && r.ranges && ports.size) {
        const mine: number[] = [];
        for (const range of r.ranges.range) for (const p of ports) if (p >= range.begin && p <= range.end) mine.push(p);
        if (mine.length) {
          out.push({ ...r, ranges: { range: numbersToRanges(mine) } });
          for (const p of mine) ports.delete(p);
        }
      }
    }
  }
  const missing = [...need].filter(([, v]) => v > SCALAR_EPSILON).map(([k, v]) => `${Math.round(v * 1000) / 1000} ${k}`);
  if (ports.size) missing.push(`ports ${[...ports].join(',')}`);
  if (missing.length) throw new ResourceCarveError(`the offers lack ${missing.join(', ')} for this assignment`);
  return out;
}
