import type { Range, Resource } from '../protocol/mesos-types';
import { normalizeRanges, rangesContain, subtractRanges, unionRanges } from './ranges';

/**
 * Resource arithmetic. The local cluster offers unreserved resources only, so a bag is keyed by
 * resource name; scalars are kept to three decimals, as Mesos' fixed-point arithmetic does.
 */
export type Quantity =
  | { kind: 'scalar'; value: number }
  | { kind: 'ranges'; ranges: Range[] }
  | { kind: 'set'; items: string[] };

export type Bag = ReadonlyMap<string, Quantity>;

export const EMPTY: Bag = new Map();

const round = (n: number) => Math.round(n * 1000) / 1000;

export interface ParsedResources { bag: Bag; problems: string[] }

/** Reads Resource JSON, keeping a reason for every resource it cannot use. */
export function fromResources(list: readonly Resource[] | undefined): ParsedResources {
  const problems: string[] = [];
  let bag: Bag = EMPTY;
  for (const r of list ?? []) {
    const q = toQuantity(r);
    if (typeof q === 'string') problems.push(`Invalid resource '${r.name}': ${q}`);
    else bag = add(bag, new Map([[r.name, q]]));
  }
  return { bag, problems };
}

function toQuantity(r: Resource): Quantity | string {
  switch (r.type) {
    case 'SCALAR': {
      const v = r.scalar?.value;
      if (typeof v !== 'number' || !Number.isFinite(v)) return 'SCALAR resource without a scalar value';
      if (v < 0) return 'negative scalar value';
      return { kind: 'scalar', value: round(v) };
    }
    case 'RANGES': {
      const ranges = r.ranges?.range ?? [];
      if (ranges.some((x) => !Number.isInteger(x.begin) || !Number.isInteger(x.end) || x.begin > x.end)) return 'range with begin > end or non-integer bounds';
      return { kind: 'ranges', ranges: normalizeRanges(ranges) };
    }
    case 'SET':
      return { kind: 'set', items: [...new Set(r.set?.item ?? [])].sort() };
    default:
      return `unsupported resource type ${String(r.type)}`;
  }
}

function isZero(q: Quantity): boolean {
  if (q.kind === 'scalar') return q.value <= 0;
  if (q.kind === 'ranges') return q.ranges.length === 0;
  return q.items.length === 0;
}

export function add(a: Bag, b: Bag): Bag {
  const out = new Map(a);
  for (const [name, q] of b) {
    const cur = out.get(name);
    if (!cur) out.set(name, q);
    else if (cur.kind === 'scalar' && q.kind === 'scalar') out.set(name, { kind: 'scalar', value: round(cur.value + q.value) });
    else if (cur.kind === 'ranges' && q.kind === 'ranges') out.set(name, { kind: 'ranges', ranges: unionRanges(cur.ranges, q.ranges) });
    else if (cur.kind === 'set' && q.kind === 'set') out.set(name, { kind: 'set', items: [...new Set([...cur.items, ...q.items])].sort() });
  }
  return prune(out);
}

/** a minus b; what b has beyond a is ignored (callers check `contains` first when it matters). */
export function subtract(a: Bag, b: Bag): Bag {
  const out = new Map(a);
  for (const [name, q] of b) {
    const cur = out.get(name);
    if (!cur) continue;
    if (cur.kind === 'scalar' && q.kind === 'scalar') out.set(name, { kind: 'scalar', value: Math.max(0, round(cur.value - q.value)) });
    else if (cur.kind === 'ranges' && q.kind === 'ranges') out.set(name, { kind: 'ranges', ranges: subtractRanges(cur.ranges, q.ranges) });
    else if (cur.kind === 'set' && q.kind === 'set') out.set(name, { kind: 'set', items: cur.items.filter((i) => !q.items.includes(i)) });
  }
  return prune(out);
}

/** True when a holds at least everything in b. */
export function contains(a: Bag, b: Bag): boolean {
  for (const [name, q] of b) {
    if (isZero(q)) continue;
    const cur = a.get(name);
    if (!cur || cur.kind !== q.kind) return false;
    if (cur.kind === 'scalar' && q.kind === 'scalar' && round(cur.value - q.value) < 0) return false;
    if (cur.kind === 'ranges' && q.kind === 'ranges' && !rangesContain(cur.ranges, q.ranges)) return false;
    if (cur.kind === 'set' && q.kind === 'set' && !q.items.every((i) => cur.items.includes(i))) return false;
  }
  return true;
}

/** What b asks for beyond a, described for an error message ("cpus: 8 > 4"). */
export function shortfall(a: Bag, b: Bag): string[] {
  const out: string[] = [];
  for (const [name, q] of b) {
    if (contains(a, new Map([[name, q]]))) continue;
    const cur = a.get(name);
    out.push(`${name}: wants ${describe(q)}, has ${cur ? describe(cur) : 'none'}`);
  }
  return out;
}

function describe(q: Quantity): string {
  if (q.kind === 'scalar') return String(q.value);
  if (q.kind === 'ranges') return q.ranges.map((r) => `${r.begin}-${r.end}`).join(',');
  return `{${q.items.join(',')}}`;
}

export function isEmpty(bag: Bag): boolean {
  return [...bag.values()].every(isZero);
}

export function scalar(bag: Bag, name: string): number {
  const q = bag.get(name);
  return q?.kind === 'scalar' ? q.value : 0;
}

export function ranges(bag: Bag, name: string): Range[] {
  const q = bag.get(name);
  return q?.kind === 'ranges' ? q.ranges : [];
}

function prune(m: Map<string, Quantity>): Bag {
  for (const [k, q] of m) if (isZero(q)) m.delete(k);
  return m;
}

/** Resource JSON as a master puts it in offers and state: unreserved, optionally allocated to a role. */
export function toResources(bag: Bag, allocationRole?: string): Resource[] {
  return [...bag.entries()].sort(([a], [b]) => order(a) - order(b) || a.localeCompare(b)).map(([name, q]) => {
    const base: Resource = q.kind === 'scalar'
      ? { name, type: 'SCALAR', scalar: { value: q.value } }
      : q.kind === 'ranges'
        ? { name, type: 'RANGES', ranges: { range: q.ranges.map((r) => ({ ...r })) } }
        : { name, type: 'SET', set: { item: [...q.items] } };
    base.role = '*';
    if (allocationRole !== undefined) base.allocation_info = { role: allocationRole };
    return base;
  });
}

const ORDER = ['cpus', 'gpus', 'mem', 'disk', 'ports'];
function order(name: string): number {
  const i = ORDER.indexOf(name);
  return i < 0 ? ORDER.length : i;
}
