import assert from 'node:assert/strict';
import { setTimeout as sleep } from 'node:timers/promises';
import { createLogger } from '@msched/logging';
import {
  AgentBook, AgentLifecycle, FrameworkBook, OfferBook, TaskBook, UpdateFaults, frameworkTraits,
} from '@msched/mesos-local/dist/internals';

type Lifecycle = InstanceType<typeof AgentLifecycle>;
type Link = Parameters<Lifecycle['register']>[1];
type Registration = Parameters<Lifecycle['register']>[0];

/** An agent's command stream as the lifecycle sees it: what was sent, how it was closed. */
class FakeLink {
  readonly id = 'link';
  sent: Array<Record<string, unknown>> = [];
  ended = false;
  cutOff = false;
  private readonly closeHandlers: Array<(byPeer: boolean) => void> = [];
  send(m: unknown): void {
    this.sent.push(m as Record<string, unknown>);
  }
  end(): void {
    this.ended = true;
  }
  cut(): void {
    this.cutOff = true;
  }
  onClose(h: (byPeer: boolean) => void): void {
    this.closeHandlers.push(h);
  }
  /** The agent's side of the connection goes away. */
  drop(): void {
    this.closeHandlers.forEach((h) => h(true));
  }
  get asLink(): Link {
    return this as unknown as Link;
  }
}

const resources = [{ name: 'cpus', type: 'SCALAR' as const, scalar: { value: 2 } }];
const task = (id: string) => ({ name: id, task_id: { value: id }, agent_id: { value: 'M-S0' }, resources: [{ name: 'cpus', type: 'SCALAR' as const, scalar: { value: 1 } }] });
const registration = (extra: Partial<Registration> = {}): Registration => ({ hostname: 'h1', resources, attributes: [], work_dir: '/w', frameworks: [], tasks: [], ...extra });

/** An AgentLifecycle over real books and a clock the test sets; what it asks of the coordinator is recorded. */
function lifecycle(disconnectTimeoutMs = 60_000) {
  const clock = { t: 1_700_000_000_000 };
  const now = () => clock.t;
  const logger = createLogger({ service: 'test', silent: true });
  const agents = new AgentBook('M');
  const frameworks = new FrameworkBook('M');
  const tasks = new TaskBook(now);
  const offers = new OfferBook({ idPrefix: 'M', now, logger, agent: (id) => agents.get(id), rescinded: () => undefined, offered: () => undefined });
  const recorded = { saves: 0, masterUpdates: [] as Array<{ frameworkId?: string; status: Record<string, unknown> }>, events: [] as Array<{ frameworkId: string; event: Record<string, unknown> }> };
  const state = { stopped: false };
  const life = new AgentLifecycle({
    masterId: 'M', logger, agents, frameworks, tasks, offers, faults: new UpdateFaults(), agentDisconnectTimeoutMs: disconnectTimeoutMs, now,
    isStopped: () => state.stopped,
    send: (fw, event) => recorded.events.push({ frameworkId: fw.id, event: event as unknown as Record<string, unknown> }),
    sendMasterUpdate: (fw, status) => recorded.masterUpdates.push({ frameworkId: fw?.id, status: status as unknown as Record<string, unknown> }),
    saveRegistry: () => recorded.saves++,
  });
  const addFramework = (id: string) => {
    const info = { user: 'u', name: id, id: { value: id } };
    const traits = frameworkTraits(info);
    assert.ok(traits.ok);
    frameworks.add({ id, info, traits: traits.traits, suppressedRoles: new Set(), stream: null, state: 'connected', registeredTime: now() });
  };
  return { clock, life, agents, frameworks, tasks, recorded, state, addFramework };
}

describe('mesos-local agent lifecycle', () => {
  it('registers an agent at the injected time, and learns what a re-registering agent reports: its frameworks, its tasks, and TASK_GONE for a launched task it lost', () => {
    const { clock, life, agents, frameworks, tasks, recorded, addFramework } = lifecycle();
    const first = new FakeLink();
    life.register(registration(), first.asLink);
    assert.deepEqual(first.sent, [{ type: 'REGISTERED', agent_id: 'M-S0', master_id: 'M' }]);
    assert.equal(agents.get('M-S0')?.registeredTime, clock.t);
    assert.equal(recorded.saves, 1, 'a new agent goes into the registry');

    addFramework('F1');
    tasks.add('F1', 'M-S0', task('lost'), new Map(), 'lost');
    clock.t += 5000;
    const second = new FakeLink();
    life.register(registration({
      agent_id: 'M-S0',
      frameworks: [{ user: 'u', name: 'other', id: { value: 'F2' } }],
      tasks: [{ framework_id: 'F2', task: task('kept'), executor_id: 'kept', state: 'TASK_RUNNING', directory: '/w/kept' }],
    }), second.asLink);
    assert.equal(first.cutOff, true, 'the old link is dropped');
    assert.deepEqual(second.sent, [{ type: 'REGISTERED', agent_id: 'M-S0', master_id: 'M' }]);
    assert.equal(agents.get('M-S0')?.reregisteredTime, clock.t);
    assert.equal(recorded.saves, 1, 'a known agent re-registering does not change the registry');
    assert.equal(frameworks.get('F2')?.state, 'recovered');
    assert.equal(frameworks.get('F2')?.registeredTime, clock.t);
    assert.equal(tasks.get('F2', 'kept')?.state, 'TASK_RUNNING');
    assert.equal(tasks.get('F2', 'kept')?.directory, '/w/kept');
    assert.deepEqual(recorded.masterUpdates.map((u) => [u.frameworkId, (u.status.task_id as { value: string }).value, u.status.state, u.status.timestamp]), [['F1', 'lost', 'TASK_GONE', clock.t / 1000]]);
  });

  it('marks an agent unreachable once its link has been gone for the disconnect timeout, then gone on request; a gone agent is refused', async () => {
    const { clock, life, agents, tasks, recorded, addFramework } = lifecycle(20);
    const link = new FakeLink();
    life.register(registration(), link.asLink);
    addFramework('F1');
    tasks.setState(tasks.add('F1', 'M-S0', task('t1'), new Map(), 't1'), 'TASK_RUNNING');

    link.drop();
    assert.equal(agents.get('M-S0')?.link, null);
    clock.t += 20;
    await sleep(80);
    assert.equal(agents.standing('M-S0'), 'unreachable');
    assert.deepEqual(agents.unreachableList(), [{ id: 'M-S0', hostname: 'h1', since: clock.t }]);
    assert.deepEqual(recorded.masterUpdates.map((u) => [u.frameworkId, u.status.state, u.status.reason, u.status.timestamp]), [['F1', 'TASK_UNREACHABLE', 'REASON_AGENT_REMOVED', clock.t / 1000]]);
    assert.deepEqual(recorded.events.map((e) => [e.frameworkId, e.event.type]), [['F1', 'FAILURE']]);
    assert.equal(recorded.saves, 2, 'registered, then unreachable');

    clock.t += 1000;
    assert.equal(life.markGone('M-S0'), true);
    assert.deepEqual(agents.goneList(), [{ id: 'M-S0', hostname: 'h1', since: clock.t }]);
    assert.equal(life.markGone('M-S0'), false, 'already gone');

    const again = new FakeLink();
    life.register(registration({ agent_id: 'M-S0' }), again.asLink);
    assert.deepEqual(again.sent, [{ type: 'SHUTDOWN', message: 'Agent M-S0 has been marked gone' }]);
    assert.equal(again.ended, true);
  });

  it('leaves agents alone when their links close because the master stopped', async () => {
    const { life, agents, recorded, state } = lifecycle(10);
    const link = new FakeLink();
    life.register(registration(), link.asLink);
    state.stopped = true;
    life.stop();
    assert.equal(link.cutOff, true);
    link.drop();
    await sleep(40);
    assert.equal(agents.standing('M-S0'), 'registered');
    assert.equal(recorded.saves, 1);
  });
});
