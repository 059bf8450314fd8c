import { numbersToRanges, SCALAR_EPSILON, type Offer, type Resource } from '@msched/mesos/protocol';
import { ResourceCarveError } from '../errors';
import type { Assignment } from '../placement/types';
import { usableForRanks } from '../snapshot/offer-snapshot';

/** Read once: each read of the re-exported binding is a getter call, and this runs per resource of every launch. */
const EPSILON = SCALAR_EPSILON;

const SCALARS = ['cpus', 'mem', 'disk'] as const;

/** Where a scalar resource's need is kept (-1: not one carved per rank). No map per call: this runs for every agent of every launch. */
function scalarIndex(name: string): number {
  return name === 'cpus' ? 0 : name === 'mem' ? 1 : name === 'disk' ? 2 : -1;
}

/**
 * The Resource list of the task of one assignment, cut from the agent's offers. Each piece keeps the
 * role, allocation_info and reservations of the offered resource it comes from: a MULTI_ROLE master
 * refuses task resources that do not match what it offered.
 */
export function carveTaskResources(offers: readonly Offer[], a: Pick<Assignment, 'cpus' | 'mem' | 'disk' | 'ports'>): Resource[] {
  const need = [a.cpus, a.mem, a.disk];
  const ports = a.ports.length ? new Set(a.ports) : undefined;
  const out: Resource[] = [];
  for (const offer of offers) {
    for (const r of offer.resources) {
      if (!usableForRanks(r)) continue;
      const k = r.scalar ? scalarIndex(r.name) : -1;
      if (k >= 0) {
        const wanted = need[k];
        if (wanted <= EPSILON) continue;
        const take = Math.min(wanted, r.scalar!.value);
        if (take <= 0) continue;
        // Mesos keeps three decimals; rounding here avoids 0.30000000000000004-style values on the wire.
        out.push({ ...r, scalar: { value: Math.round(take * 1000) / 1000 } });
        need[k] = wanted - take;
      } else if (r.name === 'ports' && r.ranges && ports?.size) {
        const mine: number[] = [];
        for (const range of r.ranges.range) for (const p of ports) if (p >= range.begin && p <= range.end) mine.push(p);
        if (mine.length) {
          out.push({ ...r, ranges: { range: numbersToRanges(mine) } });
          for (const p of mine) ports.delete(p);
        }
      }
    }
  }
  const missing: string[] = [];
  for (let k = 0; k < SCALARS.length; k++) if (need[k] > EPSILON) missing.push(`${Math.round(need[k] * 1000) / 1000} ${SCALARS[k]}`);
  if (ports?.size) missing.push(`ports ${[...ports].join(',')}`);
  if (missing.length) throw new ResourceCarveError(`the offers lack ${missing.join(', ')} for this assignment`);
  return out;
}
