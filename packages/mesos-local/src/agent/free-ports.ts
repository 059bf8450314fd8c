import { createServer } from 'node:net';
import type { Range } from '../protocol/mesos-types';

/** True when nothing listens on the port (checked by binding it on all interfaces, briefly). */
export function portIsFree(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const srv = createServer();
    srv.once('error', () => resolve(false));
    srv.listen({ port, host: '0.0.0.0', exclusive: true }, () => srv.close(() => resolve(true)));
  });
}

/**
 * Picks `count` blocks of `size` consecutive ports that are free right now and do not overlap,
 * scanning upward from `from`: each agent offers its own block, so tasks on different agents of
 * one cluster can never be given the same port.
 */
export async function findFreePortBlocks(count: number, size: number, from: number, to = 65000): Promise<Range[]> {
  const blocks: Range[] = [];
  let base = from;
  while (blocks.length < count) {
    if (base + size - 1 > to) throw new Error(`could not find ${count} blocks of ${size} free ports between ${from} and ${to}`);
    let firstBusy = -1;
    for (let p = base; p < base + size; p++) {
      if (!(await portIsFree(p))) {
        firstBusy = p;
        break;
      }
    }
    if (firstBusy < 0) {
      blocks.push({ begin: base, end: base + size - 1 });
      base += size;
    } else base = firstBusy + 1;
  }
  return blocks;
}

/** Checks a given range is free and splits it into `count` equal blocks, one per agent. */
export async function splitFreeRange(range: Range, count: number): Promise<Range[]> {
  const total = range.end - range.begin + 1;
  const size = Math.floor(total / count);
  if (size < 1) throw new Error(`port range ${range.begin}-${range.end} is too small for ${count} agents`);
  const busy: number[] = [];
  for (let p = range.begin; p < range.begin + size * count; p++) if (!(await portIsFree(p))) busy.push(p);
  if (busy.length) throw new Error(`ports ${busy.slice(0, 10).join(', ')}${busy.length > 10 ? '...' : ''} in ${range.begin}-${range.end} are in use`);
  return Array.from({ length: count }, (_, i) => ({ begin: range.begin + i * size, end: range.begin + (i + 1) * size - 1 }));
}
