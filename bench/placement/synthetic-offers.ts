import type { Offer } from '@msched/mesos';

/** Deterministic pseudo-random numbers (mulberry32) so every run measures the same cluster. */
export function seeded(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const SIZES = [4, 8, 16, 32, 64];

/**
 * `count` offers as a MULTI_ROLE master sends them, one per agent, of mixed sizes and partly used
 * (free cpus between a quarter and all of the agent), each with a port range.
 */
export function syntheticOffers(count: number, seed = 42): Offer[] {
  const random = seeded(seed);
  const offers: Offer[] = [];
  for (let i = 0; i < count; i++) {
    const size = SIZES[Math.floor(random() * SIZES.length)];
    const cpus = Math.max(1, Math.round(size * (0.25 + 0.75 * random())));
    const alloc = { allocation_info: { role: 'mpi' } };
    offers.push({
      id: { value: `O-${seed}-${i}` },
      framework_id: { value: 'F-bench' },
      agent_id: { value: `S-${String(i).padStart(6, '0')}` },
      hostname: `node${i}.bench`,
      allocation_info: { role: 'mpi' },
      resources: [
        { name: 'cpus', type: 'SCALAR', scalar: { value: cpus }, role: '*', ...alloc },
        { name: 'mem', type: 'SCALAR', scalar: { value: cpus * 4096 }, role: '*', ...alloc },
        { name: 'disk', type: 'SCALAR', scalar: { value: 100_000 }, role: '*', ...alloc },
        { name: 'ports', type: 'RANGES', ranges: { range: [{ begin: 31000, end: 32000 }] }, role: '*', ...alloc },
      ],
      attributes: [{ name: 'rack', type: 'TEXT', text: { value: `r${i % 40}` } }],
    });
  }
  return offers;
}
