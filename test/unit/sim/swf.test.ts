import assert from 'node:assert/strict';
import { gzipSync } from 'node:zlib';
import { parseClusterShape, parseSwf, shapeFromHeader, SimInputError, swfText } from '@msched/sim';

/** One SWF data line from the fields that matter here (the rest -1). */
function line(f: { id: number; submit: number; run: number; alloc?: number; req?: number; reqTime?: number; user?: number; group?: number }): string {
  const fields = Array(18).fill(-1);
  fields[0] = f.id;
  fields[1] = f.submit;
  fields[2] = 0;
  fields[3] = f.run;
  fields[4] = f.alloc ?? -1;
  fields[7] = f.req ?? -1;
  fields[8] = f.reqTime ?? -1;
  fields[11] = f.user ?? -1;
  fields[12] = f.group ?? -1;
  fields[10] = 1;
  return fields.join(' ');
}

const HEADER = ['; Version: 2.2', '; Computer: Test machine', '; MaxNodes: 16', '; MaxProcs: 128', '; UnixStartTime: 1000000'].join('\n');

describe('SWF parsing', () => {
  it('reads the header: MaxProcs, MaxNodes, start time, computer', () => {
    const t = parseSwf(`${HEADER}\n${line({ id: 1, submit: 0, run: 10, req: 4, reqTime: 60 })}\n`);
    assert.deepEqual(t.header, { computer: 'Test machine', maxNodes: 16, maxProcs: 128, unixStartTime: 1000000 });
    assert.deepEqual(shapeFromHeader(t.header), { agents: 16, cpusPerAgent: 8 });
  });

  it('keeps a job with its requested processors and time, run time cut at the limit', () => {
    const t = parseSwf([HEADER, line({ id: 7, submit: 5, run: 100, alloc: 8, req: 6, reqTime: 60, user: 12, group: 3 })].join('\n'));
    assert.deepEqual(t.jobs, [{ id: 7, submit: 5, procs: 6, wallTime: 60, recordedRunTime: 100, runTime: 60, exactEstimate: false, user: 12, group: 3 }]);
  });

  it('skips and counts jobs with missing fields, never guessing them', () => {
    const t = parseSwf([
      HEADER,
      line({ id: 1, submit: -1, run: 10, req: 4, reqTime: 60 }),
      line({ id: 2, submit: 0, run: -1, req: 4, reqTime: 60 }),
      line({ id: 3, submit: 0, run: 10, reqTime: 60 }),
      '4 0 0 10 4',
      line({ id: 5, submit: 0, run: 10, alloc: 3, reqTime: 60 }),
    ].join('\n'));
    assert.deepEqual(Object.fromEntries(t.skipped), { 'no submit time': 1, 'no run time': 1, 'no processor count': 1, 'fewer than 18 fields': 1 });
    assert.deepEqual(t.jobs.map((j) => [j.id, j.procs]), [[5, 3]]);
    assert.equal(t.dataLines, 5);
  });

  it('without a requested time: the run time is the limit (counted), or the job is skipped', () => {
    const text = [HEADER, line({ id: 1, submit: 0, run: 50, req: 2 }), line({ id: 2, submit: 1, run: 0, req: 2 })].join('\n');
    const exact = parseSwf(text);
    assert.deepEqual(exact.jobs.map((j) => [j.wallTime, j.runTime, j.exactEstimate]), [[50, 50, true], [1, 0, true]]);
    assert.equal(exact.exactEstimates, 2);
    const skip = parseSwf(text, { noEstimate: 'skip' });
    assert.equal(skip.jobs.length, 0);
    assert.deepEqual(Object.fromEntries(skip.skipped), { 'no requested time': 2 });
  });

  it('orders jobs by submit time, then job number', () => {
    const t = parseSwf([line({ id: 3, submit: 9, run: 1, req: 1, reqTime: 5 }), line({ id: 2, submit: 4, run: 1, req: 1, reqTime: 5 }), line({ id: 1, submit: 9, run: 1, req: 1, reqTime: 5 })].join('\n'));
    assert.deepEqual(t.jobs.map((j) => j.id), [2, 1, 3]);
  });

  it('reads gzip by its magic number, and plain text as is', () => {
    const text = `${HEADER}\n${line({ id: 1, submit: 0, run: 10, req: 4, reqTime: 60 })}\n`;
    assert.equal(swfText(gzipSync(Buffer.from(text))), text);
    assert.equal(swfText(Buffer.from(text)), text);
    assert.throws(() => swfText(Buffer.from([0x1f, 0x8b, 1, 2, 3])), SimInputError);
  });

  it('rejects a header number that is not one, with the line', () => {
    assert.throws(() => parseSwf('; MaxProcs: lots\n'), /SWF header line 1: MaxProcs must be a number, got "lots"/);
  });

  it('takes the cluster shape from --cluster, or one cpu per agent when MaxProcs does not divide by MaxNodes', () => {
    assert.deepEqual(parseClusterShape('16x8'), { agents: 16, cpusPerAgent: 8 });
    assert.deepEqual(parseClusterShape('128x1'), { agents: 128, cpusPerAgent: 1 });
    assert.throws(() => parseClusterShape('128'), SimInputError);
    assert.throws(() => parseClusterShape('0x4'), SimInputError);
    assert.deepEqual(shapeFromHeader({ maxProcs: 100, maxNodes: 30 }), { agents: 100, cpusPerAgent: 1 });
    assert.deepEqual(shapeFromHeader({ maxNodes: 64 }), { agents: 64, cpusPerAgent: 1 });
    assert.throws(() => shapeFromHeader({}), /pass --cluster/);
  });
});
