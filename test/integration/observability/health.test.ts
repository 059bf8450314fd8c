import assert from 'node:assert/strict';
import { createMetrics, startHealthServer } from '@msched/observability';

describe('health and metrics endpoints', () => {
  it('answers liveness, readiness per dependency, and Prometheus metrics', async () => {
    const metrics = createMetrics('test');
    let kafkaUp = true;
    const hs = await startHealthServer({
      host: '127.0.0.1', port: 0, registry: metrics.registry,
      checks: [{ name: 'postgres', check: async () => true }, { name: 'kafka', check: async () => kafkaUp }],
    });
    try {
      const base = `http://127.0.0.1:${hs.port}`;
      assert.equal((await fetch(`${base}/healthz`)).status, 200);
      let r = await fetch(`${base}/readyz`);
      assert.equal(r.status, 200);
      assert.deepEqual(await r.json(), { status: 'ready', checks: { postgres: 'ok', kafka: 'ok' } });
      kafkaUp = false;
      r = await fetch(`${base}/readyz`);
      assert.equal(r.status, 503);
      assert.deepEqual(await r.json(), { status: 'not ready', checks: { postgres: 'ok', kafka: 'failing' } });
      metrics.launches.inc({ outcome: 'accepted' }, 3);
      const text = await (await fetch(`${base}/metrics`)).text();
      assert.match(text, /msched_launches_total\{outcome="accepted",service="test"\} 3/);
      assert.match(text, /# TYPE msched_gang_wait_seconds histogram/);
      assert.equal((await fetch(`${base}/nope`)).status, 404);
      assert.equal((await fetch(`${base}/healthz`, { method: 'POST' })).status, 405);
    } finally {
      await hs.close();
    }
  });
});
