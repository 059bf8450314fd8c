import assert from 'node:assert/strict';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { dispatcherSuite, eventually, jobsOfProcess, seedJob } from './support';

/**
 * Done when: a runtime URI that answers 404 fails the gang as an infrastructure failure naming the
 * URI, retried whole, then FAILED. The agents have no node: nothing but the URI could run the task.
 */
describe('dispatcher: the task runtime cannot be fetched', function () {
  this.timeout(120_000);
  let server: Server;
  let uri: string;
  let requests = 0;
  const suite = dispatcherSuite('drt', { agents: 2, cpus: 2 }, async () => {
    server = createServer((req, res) => {
      requests++;
      res.writeHead(404).end('gone\n');
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()));
    uri = `http://127.0.0.1:${(server.address() as AddressInfo).port}/runtime/msched-task-${'0'.repeat(64)}`;
    return { MSCHED_RUNTIME_URI: uri, MSCHED_DISPATCHER_MAX_GANG_ATTEMPTS: '2' };
  });
  after(() => { server?.close(); });

  it('fails each attempt as an infrastructure failure naming the URI, retries the gang whole, then FAILED', async () => {
    const job = await seedJob(suite.ds, { ranks: 2, mpi: 'openmpi', argv: ['/bin/true'] });
    const attempts = await eventually('both attempts to end', async () => {
      const jobs = await jobsOfProcess(suite.ds, job.processId);
      return jobs.length === 2 && jobs.every((j) => j.state === 'FAILED' && j.settled_at) ? jobs : undefined;
    }, 90_000);
    assert.deepEqual(attempts.map((j) => [j.attempt, j.state, j.failure_kind]), [[1, 'FAILED', 'infrastructure'], [2, 'FAILED', 'infrastructure']]);
    for (const j of attempts) {
      assert.ok(j.reason?.includes(uri), `the reason names the URI: ${j.reason}`);
      assert.match(j.reason!, /HTTP 404/);
      assert.match(j.reason!, /check that the agents reach that URI .*MSCHED_RUNTIME_URI/, 'the reason says what to do');
    }
    assert.ok(requests >= 2, `the agents asked for the runtime (${requests} requests)`);
    const counters = suite.cluster.agents.map((a) => a.fetcher);
    assert.equal(counters.reduce((n, c) => n + c.hits + c.misses, 0), 0, 'a failed download is never cached');
    assert.ok(counters.reduce((n, c) => n + c.failures, 0) >= 2, JSON.stringify(counters));
  });
});
