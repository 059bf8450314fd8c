import type { Abort } from '../result';

/** Remembers the first reason to stop the job; later ones are consequences of it. */
export class AbortLatch {
  private first?: Abort;
  private release!: (a: Abort) => void;
  readonly aborted: Promise<Abort>;

  constructor() {
    this.aborted = new Promise((resolve) => { this.release = resolve; });
  }

  trigger(abort: Abort): void {
    if (this.first) return;
    this.first = abort;
    this.release(abort);
  }

  get reason(): Abort | undefined {
    return this.first;
  }
}
