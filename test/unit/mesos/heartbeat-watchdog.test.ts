import assert from 'node:assert/strict';
import { HeartbeatWatchdog, type Timers } from '@msched/mesos';

/** Timers under test control: nothing fires until the test says so. */
class ManualTimers implements Timers {
  pending = new Map<number, { fn: () => void; ms: number }>();
  private next = 1;
  setTimeout(fn: () => void, ms: number): unknown {
    const id = this.next++;
    this.pending.set(id, { fn, ms });
    return id;
  }
  clearTimeout(handle: unknown): void {
    this.pending.delete(handle as number);
  }
  only(): { fn: () => void; ms: number } {
    assert.equal(this.pending.size, 1, 'exactly one timer should be pending');
    return [...this.pending.values()][0];
  }
  fire(): void {
    const [id, t] = [...this.pending.entries()][0];
    this.pending.delete(id);
    t.fn();
  }
}

describe('mesos: heartbeat watchdog', () => {
  it('declares the stream dead after missLimit silent intervals', () => {
    const timers = new ManualTimers();
    const silences: number[] = [];
    const w = new HeartbeatWatchdog((ms) => silences.push(ms), timers);
    w.arm(15, 5);
    assert.equal(timers.only().ms, 75_000);
    timers.fire();
    assert.deepEqual(silences, [75_000]);
    assert.equal(w.armed, false);
  });

  it('starts counting again at every event, and stops when disarmed', () => {
    const timers = new ManualTimers();
    let fired = 0;
    const w = new HeartbeatWatchdog(() => fired++, timers);
    w.beat();
    assert.equal(timers.pending.size, 0, 'a disarmed watchdog sets no timer');
    w.arm(0.1, 5);
    w.beat();
    w.beat();
    assert.equal(timers.only().ms, 500);
    w.disarm();
    assert.equal(timers.pending.size, 0);
    assert.equal(fired, 0);
  });

  it('refuses nonsense intervals', () => {
    assert.throws(() => new HeartbeatWatchdog(() => undefined).arm(0, 5), RangeError);
  });
});
