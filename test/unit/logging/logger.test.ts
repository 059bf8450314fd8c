import assert from 'node:assert/strict';
import { PassThrough } from 'node:stream';
import { createLogger, forJob } from '@msched/logging';

function capture(format: 'json' | 'pretty') {
  const stream = new PassThrough();
  const lines: string[] = [];
  stream.on('data', (d: Buffer) => lines.push(...d.toString().split('\n').filter(Boolean)));
  const logger = createLogger({ service: 'test', format, stream, level: 'debug' });
  return { logger, lines, flush: () => new Promise((r) => setImmediate(r)) };
}

describe('logging', () => {
  it('writes JSON lines carrying the job ids as fields', async () => {
    const { logger, lines, flush } = capture('json');
    forJob(logger, { experimentId: 'exp-1', processId: 'proc-1', jobId: 'job-1' }).info('gang placed', { ranks: 4 });
    await flush();
    const rec = JSON.parse(lines[0]);
    assert.equal(rec.message, 'gang placed');
    assert.equal(rec.experimentId, 'exp-1');
    assert.equal(rec.processId, 'proc-1');
    assert.equal(rec.jobId, 'job-1');
    assert.equal(rec.ranks, 4);
    assert.equal(rec.service, 'test');
    assert.equal(rec.level, 'info');
    assert.ok(!Number.isNaN(Date.parse(rec.timestamp)));
  });

  it('writes readable lines with the ids up front', async () => {
    const { logger, lines, flush } = capture('pretty');
    forJob(logger, { experimentId: 'exp-1', jobId: 'job-9' }).warn('rank 2 failed');
    await flush();
    assert.match(lines[0], /^\d\d:\d\d:\d\d\.\d{3} warn \[test\] experimentId=exp-1 jobId=job-9 rank 2 failed$/);
  });

  it('never logs secrets', async () => {
    const { logger, lines, flush } = capture('json');
    logger.info('connecting to postgres://msched:s3cret@db:5432/jobs', { password: 'p', accessToken: 'tok' });
    await flush();
    assert.doesNotMatch(lines[0], /s3cret|"p"|tok"/);
    const rec = JSON.parse(lines[0]);
    assert.equal(rec.password, '<redacted>');
    assert.equal(rec.accessToken, '<redacted>');
    assert.match(rec.message, /postgres:\/\/msched:<redacted>@db:5432\/jobs/);
  });
});
