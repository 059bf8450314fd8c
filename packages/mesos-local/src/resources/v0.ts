import type { Bag } from './bag';
import { formatRanges } from './ranges';

/** The v0 resource map of /master/state: `{"cpus":8,"mem":4096,"disk":0,"gpus":0,"ports":"[31000-32000]"}`. */
export function toV0(bag: Bag): Record<string, number | string> {
  const out: Record<string, number | string> = { cpus: 0, gpus: 0, mem: 0, disk: 0 };
  for (const [name, q] of bag) {
    if (q.kind === 'scalar') out[name] = q.value;
    else if (q.kind === 'ranges') out[name] = formatRanges(q.ranges);
    else out[name] = `{${q.items.join(', ')}}`;
  }
  return out;
}
