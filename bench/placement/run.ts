import { OfferSnapshot, placeGang, type GangRequest } from '@msched/gang';
import type { Offer } from '@msched/mesos';
import { measure, ms, quantile } from './measure';
import { syntheticOffers } from './synthetic-offers';

/**
 * Placement benchmark: time of placeGang for gangs of 16 to 4,096 ranks over 100 to 10,000 offers
 * (one per agent), median and p99, against a baseline that only sums the free cpus of the same
 * offers (the least any placement must do). Snapshot building is timed on its own: the dispatcher
 * builds one snapshot per offer cycle and places every waiting gang on it.
 *
 * Usage: npm run bench:placement [-- --runs N]
 */
const RANKS = [16, 64, 256, 1024, 4096];
const OFFERS = [100, 1_000, 10_000];
const runsArg = process.argv.indexOf('--runs');
const RUNS = runsArg > 0 ? Number(process.argv[runsArg + 1]) : 200;

function baseline(offers: readonly Offer[]): number {
  let cpus = 0;
  for (const o of offers) for (const r of o.resources) if (r.name === 'cpus' && r.scalar) cpus += r.scalar.value;
  return cpus;
}

function row(cells: Array<string | number>): string {
  return `| ${cells.join(' | ')} |`;
}

const lines: string[] = [
  `Node ${process.version}, ${RUNS} runs per cell after warm-up; times in ms.`,
  '',
  row(['ranks', 'offers', 'result', 'agents used', 'place p50', 'place p99', 'baseline p50', 'ratio p50', 'snapshot p50']),
  row(['---:', '---:', '---', '---:', '---:', '---:', '---:', '---:', '---:']),
];

for (const offerCount of OFFERS) {
  const offers = syntheticOffers(offerCount);
  const snapshotTimes = measure(() => OfferSnapshot.fromOffers(offers), Math.max(20, Math.floor(RUNS / 4)));
  const snapshot = OfferSnapshot.fromOffers(offers);
  const base = measure(() => baseline(offers), RUNS);
  for (const ranks of RANKS) {
    const request: GangRequest = { ranks, cpusPerRank: 1, memMbPerRank: 2048, role: 'mpi', portsPerAgent: 1 };
    const result = placeGang(request, snapshot);
    const times = measure(() => placeGang(request, snapshot), RUNS);
    lines.push(row([
      ranks,
      offerCount,
      result.kind,
      result.kind === 'placed' ? result.assignments.length : '-',
      ms(quantile(times, 0.5)),
      ms(quantile(times, 0.99)),
      ms(quantile(base, 0.5)),
      `${(quantile(times, 0.5) / quantile(base, 0.5)).toFixed(1)}x`,
      ms(quantile(snapshotTimes, 0.5)),
    ]));
  }
}

const big = OfferSnapshot.fromOffers(syntheticOffers(10_000));
const aim = quantile(measure(() => placeGang({ ranks: 1024, cpusPerRank: 1, memMbPerRank: 2048, role: 'mpi' }, big), RUNS), 0.5);
lines.push('', `Aim: a 1,024-rank gang over 10,000 offers in under 10 ms: median ${ms(aim)} ms (${aim < 10 ? 'met' : 'NOT met'}).`);
process.stdout.write(`${lines.join('\n')}\n`);
