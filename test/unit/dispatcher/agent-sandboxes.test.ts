import assert from 'node:assert/strict';
import { agentAddress, parseAgentSandboxes } from '@msched/dispatcher';

/** The shapes of a real Mesos agent's `GET /state` and master's `slaves[]` (v0 JSON). */
describe('sandboxes from a real agent\'s /state', () => {
  const agentState = {
    id: 'S1', hostname: 'agent1',
    frameworks: [{
      id: 'F-1',
      executors: [{ id: 'job7.0', directory: '/var/lib/mesos/slaves/S1/frameworks/F-1/executors/job7.0/runs/c1', tasks: [{ id: 'job7.0', state: 'TASK_RUNNING' }], completed_tasks: [] }],
      completed_executors: [{ id: 'job6.1', directory: '/var/lib/mesos/slaves/S1/frameworks/F-1/executors/job6.1/runs/c0', tasks: [], completed_tasks: [{ id: 'job6.1', state: 'TASK_FINISHED' }] }],
    }, {
      id: 'F-other', executors: [{ id: 'x', directory: '/elsewhere', tasks: [{ id: 'x' }] }],
    }],
    completed_frameworks: [],
  };

  it('finds running and completed tasks of our framework only', () => {
    assert.deepEqual([...parseAgentSandboxes(agentState, 'F-1')], [
      ['job7.0', '/var/lib/mesos/slaves/S1/frameworks/F-1/executors/job7.0/runs/c1'],
      ['job6.1', '/var/lib/mesos/slaves/S1/frameworks/F-1/executors/job6.1/runs/c0'],
    ]);
    assert.equal(parseAgentSandboxes(agentState, 'F-none').size, 0);
    assert.equal(parseAgentSandboxes('garbage', 'F-1').size, 0);
  });

  it('addresses an agent by its pid, else hostname and port', () => {
    const master = { slaves: [{ id: 'S1', pid: 'slave(1)@10.0.0.7:5051', hostname: 'agent1', port: 5051 }, { id: 'S2', hostname: 'agent2', port: 5052 }] };
    assert.equal(agentAddress(master, 'S1'), 'http://10.0.0.7:5051');
    assert.equal(agentAddress(master, 'S2'), 'http://agent2:5052');
    assert.equal(agentAddress(master, 'S9'), undefined);
  });
});
