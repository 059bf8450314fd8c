import type { PoolScheduler, PoolView } from './pool-sim';

/** First come, first served: jobs start strictly in submit order; nothing passes a waiting head. */
export class FcfsScheduler implements PoolScheduler {
  readonly name = 'FCFS';
  schedule(view: PoolView): void {
    while (view.queue.length && view.queue[0].procs <= view.free()) view.start(0);
  }
}
