import assert from 'node:assert/strict';
import { createServer, Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { fetchTaskSandboxes } from '@msched/dispatcher';

/**
 * Against real Mesos the master lists no task directories: the dispatcher asks the agent that ran
 * the task, over HTTP, as Mesos' own web UI does. Two small HTTP servers stand in for the master's
 * and the agent's state endpoints (shapes of Mesos' v0 JSON).
 */
describe('dispatcher: sandbox directories from the agent when the master lists none', () => {
  const servers: Server[] = [];
  const serve = async (body: (port: number) => unknown): Promise<number> => {
    const srv = createServer((req, res) => res.writeHead(200, { 'Content-Type': 'application/json' }).end(JSON.stringify(body((srv.address() as AddressInfo).port))));
    servers.push(srv);
    await new Promise<void>((r) => srv.listen(0, '127.0.0.1', r));
    return (srv.address() as AddressInfo).port;
  };
  after(() => servers.forEach((s) => s.close()));

  it('finds the sandbox through the agent\'s /state', async () => {
    const agentPort = await serve(() => ({ frameworks: [{ id: 'F-1', executors: [{ id: 'job7.0', directory: '/var/lib/mesos/run/job7.0', tasks: [{ id: 'job7.0' }] }] }] }));
    const masterPort = await serve(() => ({
      slaves: [{ id: 'S1', pid: `slave(1)@127.0.0.1:${agentPort}`, hostname: 'agent1', port: agentPort }],
      frameworks: [{ id: 'F-1', tasks: [{ id: 'job7.0', slave_id: 'S1', state: 'TASK_RUNNING' }], completed_tasks: [] }],
    }));
    const found = await fetchTaskSandboxes(`http://127.0.0.1:${masterPort}`, 'F-1', 2000, { taskId: 'job7.0', agentId: 'S1' });
    assert.equal(found.get('job7.0'), '/var/lib/mesos/run/job7.0');
    const unknownAgent = await fetchTaskSandboxes(`http://127.0.0.1:${masterPort}`, 'F-1', 2000, { taskId: 'job7.0', agentId: 'S9' });
    assert.equal(unknownAgent.has('job7.0'), false);
  });
});
