import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PassThrough } from 'node:stream';
import { gzipSync } from 'node:zlib';
import { COMMAND_GROUPS, runCli } from '@msched/cli';

/** A tiny SWF trace written by the test: 2 nodes × 4 procs, eight jobs, one with no run time. */
const SWF = [
  '; MaxNodes: 2',
  '; MaxProcs: 8',
  '1 0 0 100 4 -1 -1 4 200 -1 1 1 1 1 1 1 -1 -1',
  '2 5 0 50 8 -1 -1 8 60 -1 1 1 1 1 1 1 -1 -1',
  '3 6 0 30 2 -1 -1 2 40 -1 1 1 1 1 1 1 -1 -1',
  '4 7 0 300 2 -1 -1 2 400 -1 1 1 1 1 1 1 -1 -1',
  '5 8 0 -1 2 -1 -1 2 400 -1 5 1 1 1 1 1 -1 -1',
  '6 9 0 20 1 -1 -1 1 30 -1 1 1 1 1 1 1 -1 -1',
  '7 20 0 90 6 -1 -1 6 100 -1 1 1 1 1 1 1 -1 -1',
  '8 21 0 10 1 -1 -1 1 10 -1 1 1 1 1 1 1 -1 -1',
].join('\n');

describe('msched sim', () => {
  let dir: string;
  before(() => {
    dir = mkdtempSync(join(tmpdir(), 'msched-sim-'));
    writeFileSync(join(dir, 'tiny.swf'), SWF);
    writeFileSync(join(dir, 'tiny.swf.gz'), gzipSync(SWF));
  });
  after(() => rmSync(dir, { recursive: true, force: true }));

  const run = async (args: string[]) => {
    const out = new PassThrough();
    const err = new PassThrough();
    let text = '';
    let errText = '';
    out.on('data', (b) => (text += b));
    err.on('data', (b) => (errText += b));
    const code = await runCli(COMMAND_GROUPS, args, { out, err, env: {} });
    return { code, text, errText };
  };

  it('prints the table for a plain or gzip SWF file, the same both times', async () => {
    const plain = await run(['sim', '--trace', join(dir, 'tiny.swf')]);
    assert.equal(plain.code, 0, plain.errText);
    assert.match(plain.text, /7 jobs simulated of 8 lines \(skipped: 1 no run time/);
    assert.match(plain.text, /cluster 2x4 \(8 cpus\)/);
    for (const s of ['ours', 'FCFS', 'EASY', 'Conservative']) assert.match(plain.text, new RegExp(`^${s} `, 'm'));
    const gz = await run(['sim', '--trace', join(dir, 'tiny.swf.gz'), '--json']);
    const j = JSON.parse(gz.text);
    assert.equal(j.jobs, 7);
    assert.equal(j.results.length, 4);
  });

  it('takes --cluster over the header and rejects a bad one with the reason', async () => {
    const r = await run(['sim', '--trace', join(dir, 'tiny.swf'), '--cluster', '8x1', '--json', '--baselines', 'easy']);
    assert.equal(JSON.parse(r.text).cluster, '8x1');
    const bad = await run(['sim', '--trace', join(dir, 'tiny.swf'), '--cluster', 'big']);
    assert.equal(bad.code, 1);
    assert.match(bad.errText, /--cluster must be AGENTSxCPUS/);
    const missing = await run(['sim', '--trace', join(dir, 'nope.swf')]);
    assert.equal(missing.code, 1);
    assert.match(missing.errText, /cannot read trace/);
  });
});
