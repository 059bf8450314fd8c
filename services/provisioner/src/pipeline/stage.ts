import type { DataSource } from 'typeorm';
import type { Db } from '@msched/db';
import type { Logger } from '@msched/logging';
import type { StageName, StageWork } from '@msched/model';

/**
 * One provisioning step. `run` does the slow effect outside any transaction and must be safe to
 * repeat (a crash between the effect and the commit runs it again); `commit` writes what the step
 * decided in the same transaction that marks it done and queues the next step, so those writes
 * happen exactly once.
 */
export interface Stage<R = unknown> {
  readonly name: StageName;
  /** Airavata process state while the stage runs (set when its first attempt starts). */
  readonly processState: string;
  run(ctx: StageContext): Promise<R>;
  commit?(tx: Db, ctx: StageContext, result: R): Promise<void>;
  /** When false, the runner queues no next stage (the stage hands off elsewhere itself). */
  readonly continues?: boolean;
}

export interface StageContext {
  work: StageWork;
  attempt: number;
  ds: DataSource;
  logger: Logger;
}
