import assert from 'node:assert/strict';
import { Backoff } from '@msched/retry';
import { TaskUpdateStream, updateRetryPolicy } from '@msched/mesos-local/dist/internals';
import type { TaskState, TaskStatus } from '@msched/mesos-local';

const update = (state: TaskState, uuid: string): TaskStatus => ({ task_id: { value: 't' }, state, uuid });

describe('mesos-local status update stream', () => {
  it('sends one update at a time, in order, the next only when the head is acknowledged', () => {
    const s = new TaskUpdateStream();
    assert.equal(s.push(update('TASK_STARTING', 'u1')), true, 'the first update is sent at once');
    assert.equal(s.push(update('TASK_RUNNING', 'u2')), false, 'the second waits');
    assert.equal(s.push(update('TASK_FINISHED', 'u3')), false);
    assert.equal(s.head?.uuid, 'u1');
    assert.deepEqual(s.acknowledge('u2'), { kind: 'ignored', reason: 'uuid u2 is not the pending update\'s (u1, TASK_STARTING)' });
    assert.deepEqual(s.acknowledge('u1'), { kind: 'acknowledged', next: update('TASK_RUNNING', 'u2'), terminal: false });
    assert.equal(s.acknowledge('u1').kind, 'ignored', 'a duplicate acknowledgement is ignored');
    assert.deepEqual(s.acknowledge('u2'), { kind: 'acknowledged', next: update('TASK_FINISHED', 'u3'), terminal: false });
    assert.deepEqual(s.acknowledge('u3'), { kind: 'acknowledged', next: undefined, terminal: true });
    assert.equal(s.finished, true);
    assert.equal(s.push(update('TASK_RUNNING', 'u4')), false, 'nothing follows a terminal update');
  });

  it('backs off re-sends by doubling up to the ceiling', () => {
    const b = new Backoff(updateRetryPolicy({ baseMs: 10_000, maxMs: 600_000 }));
    const seq: number[] = [];
    for (let i = 0; i < 8; i++) seq.push(b.next());
    assert.deepEqual(seq, [10_000, 20_000, 40_000, 80_000, 160_000, 320_000, 600_000, 600_000]);
  });
});
