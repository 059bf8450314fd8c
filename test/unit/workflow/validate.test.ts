import assert from 'node:assert/strict';
import { findCycle, validateWorkflow, WorkflowSpec } from '@msched/workflow';
import { app, diamond, edge } from './fixtures';

function only(w: WorkflowSpec, rule: string, words: RegExp): void {
  const problems = validateWorkflow(w);
  assert.equal(problems.length, 1, JSON.stringify(problems));
  assert.equal(problems[0].rule, rule);
  assert.match(problems[0].message, words);
}

describe('workflow validation (pure)', () => {
  it('accepts the diamond', () => {
    assert.deepEqual(validateWorkflow(diamond()), []);
  });

  it('refuses a workflow without applications', () => {
    only({ applications: [], handlers: [], connections: [] }, 'structure', /has no applications/);
  });

  it('refuses a cycle and names it', () => {
    const w = diamond();
    only({ ...w, connections: [...w.connections, { ...edge('d', 'a'), fromOutputName: 'out', toInputName: 'in', id: 'back' }].filter((c) => c.id !== 'c0') }, 'cycle', /cycle: a -> [bc] -> d -> a/);
  });

  it('refuses an application feeding itself', () => {
    assert.deepEqual(findCycle({ applications: [app('x')], connections: [edge('x', 'x')] }), ['x', 'x']);
  });

  it('refuses a component id used twice', () => {
    const w = diamond();
    only({ ...w, applications: [...w.applications, app('b', { processId: 'P_b2' })], processIds: [...(w.processIds ?? []), 'P_b2'] }, 'duplicate id', /component id "b" is used by more than one/);
  });

  it('refuses a handler and an application sharing an id', () => {
    const w = diamond();
    only({ ...w, handlers: [...w.handlers, { id: 'a', type: 'FLOW_TERMINATOR', inputs: [], outputs: [] }] }, 'duplicate id', /component id "a"/);
  });

  it('refuses a connection id used twice', () => {
    const w = diamond();
    only({ ...w, connections: w.connections.map((c) => (c.id === 'c9' ? { ...c, id: 'c0' } : c)) }, 'duplicate id', /connection id "c0" appears more than once/);
  });

  it('refuses two applications naming the same process', () => {
    const w = diamond();
    only({ ...w, applications: w.applications.map((a) => (a.id === 'c' ? { ...a, processId: 'P_b' } : a)) }, 'duplicate id', /processId "P_b" is named by more than one application/);
  });

  it('refuses a connection from an application that does not exist', () => {
    const w = diamond();
    only({ ...w, connections: w.connections.map((c) => (c.id === 'b->d' ? { ...c, fromId: 'ghost' } : c)) }, 'dangling id', /comes from application "ghost", which the workflow does not have/);
  });

  it('refuses a connection to a handler that does not exist', () => {
    const w = diamond();
    only({ ...w, connections: w.connections.map((c) => (c.id === 'c9' ? { ...c, toId: 'nowhere' } : c)) }, 'dangling id', /goes to handler "nowhere"/);
  });

  it('refuses an application naming a processId the experiment did not send', () => {
    const w = diamond();
    only({ ...w, processIds: ['P_a', 'P_b', 'P_c'] }, 'dangling id', /application "d" names processId "P_d", which is not among ExperimentModel.processes/);
  });

  it('refuses a connection naming an output the source does not have', () => {
    const w = diamond();
    only({ ...w, connections: w.connections.map((c) => (c.id === 'a->b' ? { ...c, fromOutputName: 'mesh' } : c)) }, 'connection', /names output "mesh" of "a", which has no such output \(outputs: out\)/);
  });

  it('refuses a connection naming an input the target does not have', () => {
    const w = diamond();
    only({ ...w, connections: w.connections.map((c) => (c.id === 'c9' ? { ...c, toInputName: 'nope' } : c)) }, 'connection', /names input "nope" of "end", which has no such input \(inputs: result\)/);
  });

  it('refuses two connections feeding the same input', () => {
    const w = diamond();
    only({ ...w, connections: w.connections.map((c) => (c.id === 'c-d' || c.id === 'c->d' ? { ...c, toInputName: 'left' } : c)) }, 'connection', /feeds input "left" of "d", which connection "b->d" already feeds/);
  });

  it('refuses a FLOW_TERMINATOR used as a source', () => {
    const w = diamond();
    only({ ...w, handlers: w.handlers.map((h) => (h.id === 'start' ? { ...h, type: 'FLOW_TERMINATOR' as const } : h)) }, 'connection', /handler "start", a FLOW_TERMINATOR: only a FLOW_STARTER supplies values/);
  });

  for (const field of ['coreCount', 'wallTimeLimit'] as const) {
    it(`refuses an application without ${field}`, () => {
      const w = diamond();
      only({ ...w, applications: w.applications.map((a) => (a.id === 'b' ? { ...a, schedule: { ...a.schedule, [field]: undefined } } : a)) }, 'scheduling', new RegExp(`application "b" has no ${field}, which queue "normal" needs`));
    });
  }

  it('refuses a multi-core application without nodeCount, and accepts a serial one without it', () => {
    const w = diamond();
    only({ ...w, applications: w.applications.map((a) => (a.id === 'c' ? { ...a, schedule: { ...a.schedule, coreCount: 4 } } : a)) }, 'scheduling', /application "c" has no nodeCount, which queue "normal" needs for more than one core/);
    assert.deepEqual(validateWorkflow({ ...w, applications: w.applications.map((a) => (a.id === 'c' ? { ...a, schedule: { ...a.schedule, coreCount: 4, nodeCount: 2 } } : a)) }), []);
  });

  it('asks the queue which fields it needs', () => {
    const w = diamond();
    const relaxed = () => [] as const;
    assert.deepEqual(validateWorkflow({ ...w, applications: w.applications.map((a) => ({ ...a, schedule: { queueName: 'debug' } })) }, relaxed), []);
  });

  it('refuses two inputs of one application that would land on one sandbox file', () => {
    const w = diamond();
    const file = (name: string) => ({ out: { kind: 'file' as const, fileName: name } });
    only({ ...w, applications: w.applications.map((a) => (a.id === 'b' || a.id === 'c' ? { ...a, outputKinds: file('out.txt') } : a)) }, 'connection',
      /application "d" would receive two files named "out.txt" \(from b.out and c.out\)/);
    assert.deepEqual(validateWorkflow({ ...w, applications: w.applications.map((a) => (a.id === 'b' || a.id === 'c' ? { ...a, outputKinds: file(`${a.id}.txt`) } : a)) }), []);
  });

  it('refuses a STDOUT stream fed into another application, and accepts it into the terminator', () => {
    const w = diamond();
    const problems = validateWorkflow({ ...w, applications: w.applications.map((a) => (a.id === 'a' ? { ...a, outputKinds: { out: { kind: 'stream' as const } } } : a)) });
    assert.deepEqual(problems.map((p) => p.rule), ['connection', 'connection']);
    assert.match(problems[0].message, /connection "a->b" feeds output "out" of "a", a STDOUT\/STDERR stream, into application "b": declare it as a URI output/);
    assert.match(problems[1].message, /connection "a->c"/);
    assert.deepEqual(validateWorkflow({ ...w, applications: w.applications.map((a) => (a.id === 'd' ? { ...a, outputKinds: { out: { kind: 'stream' as const } } } : a)) }), []);
  });
});
