import { existsSync, readdirSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { compareSchedulers, readSwfFile, renderComparison, settingsFromFlags, shapeFromHeader, SIM_FLAG_SPEC, type Comparison } from '@msched/sim';

/**
 * npm run bench:trace [-- --dir DIR] [--json] [simulator flags]: every SWF trace in DIR (default
 * ../shared/traces beside the repository) through our policy and the three baselines, one table each,
 * then one summary line per trace: ours ÷ EASY and the simulator's speed (jobs per CPU second);
 * with --fair-share, also ours with fair share against ours (FIFO) on the issue's fairness aims.
 */
function main(): number {
  const { values } = parseArgs({ args: process.argv.slice(2), options: { dir: { type: 'string' }, json: { type: 'boolean', default: false }, ...SIM_FLAG_SPEC }, strict: true });
  const dir = resolve(values.dir ?? join(__dirname, '../../../../shared/traces'));
  if (!existsSync(dir)) {
    process.stderr.write(`bench:trace: no trace folder at ${dir} (pass --dir DIR)\n`);
    return 1;
  }
  const files = readdirSync(dir).filter((f) => /\.swf(\.gz)?$/.test(f)).sort();
  if (files.length === 0) {
    process.stderr.write(`bench:trace: no .swf or .swf.gz file in ${dir}\n`);
    return 1;
  }
  const settings = settingsFromFlags(values);
  const all: Comparison[] = [];
  for (const f of files) {
    const trace = readSwfFile(join(dir, f), { noEstimate: settings.noEstimate });
    const c = compareSchedulers(f, trace, shapeFromHeader(trace.header), settings.compare);
    all.push(c);
    if (!values.json) process.stdout.write(`${renderComparison(c)}\n`);
  }
  if (values.json) {
    process.stdout.write(`${JSON.stringify(all, null, 2)}\n`);
    return 0;
  }
  process.stdout.write('summary: ours ÷ EASY (util ≥ 1, bsld ≤ 1, max wait ≤ 1 is a win); simulator speed\n');
  for (const c of all) {
    const ours = c.results[0];
    const v = ours.vsEasy;
    const verdict = v ? (v.utilization >= 0.9995 && v.meanBoundedSlowdown <= 1 && v.maxWait <= 1 && ours.neverRan === 0 ? 'WIN' : 'not yet') : '-';
    process.stdout.write(`${c.trace.padEnd(36)} util ${v?.utilization.toFixed(3)}  bsld ${v?.meanBoundedSlowdown.toFixed(3)}  max wait ${v?.maxWait.toFixed(3)}  not run ${ours.neverRan}  ${verdict}  ${Math.round(ours.jobsPerCpuSecond)} jobs/cpu-s (${ours.cpuSeconds.toFixed(1)} s for ${c.jobs} jobs)\n`);
  }
  if (all.some((c) => c.results.some((r) => r.scheduler.startsWith('ours+fair')))) {
    process.stdout.write('\nfair share: ours+fair against ours (FIFO per role) and EASY; expected starts of ours+fair, first 10 waiting\n');
    for (const c of all) {
      const fifo = c.results[0];
      const fair = c.results.find((r) => r.scheduler.startsWith('ours+fair'));
      const easy = c.results.find((r) => r.scheduler === 'EASY');
      if (!fair) continue;
      const aims = [
        fair.jainIndex > fifo.jainIndex,
        (fair.worstUser?.meanBoundedSlowdown ?? 0) < (fifo.worstUser?.meanBoundedSlowdown ?? 0),
        Math.abs(fair.utilization - fifo.utilization) <= 0.01 * fifo.utilization,
        !easy || fair.maxWait <= easy.maxWait,
      ];
      const est = (fair.estimates ?? []).filter((e) => e.position <= 10 && e.samples > 0);
      const worstRel = est.length ? Math.max(...est.map((e) => e.medianRelativeError)) : NaN;
      const worstOfWait = est.length ? Math.max(...est.map((e) => e.medianErrorOfWait)) : NaN;
      process.stdout.write(`${c.trace.padEnd(36)} Jain ${fifo.jainIndex.toFixed(3)} -> ${fair.jainIndex.toFixed(3)} (of bsld ${fifo.jainOfSlowdown.toFixed(3)} -> ${fair.jainOfSlowdown.toFixed(3)})  worst user bsld ${fifo.worstUser?.meanBoundedSlowdown.toFixed(1)} -> ${fair.worstUser?.meanBoundedSlowdown.toFixed(1)}  util ${(fair.utilization / fifo.utilization).toFixed(4)}× FIFO  max wait ${easy ? (fair.maxWait / easy.maxWait).toFixed(3) : '-'}× EASY  aims met ${aims.filter(Boolean).length}/4  estimates, worst median of #1-#10: ${Number.isNaN(worstRel) ? '-' : `${(worstRel * 100).toFixed(0)}% of the wait left, ${(worstOfWait * 100).toFixed(0)}% of the whole wait`}\n`);
    }
  }
  return 0;
}

process.exitCode = main();
