import { JobDatabase1763780400000 } from './1763780400000-job-database';
import { OperatorViews1763780400001 } from './1763780400001-operator-views';
import { StageRetries1763780400100 } from './1763780400100-stage-retries';
import { DispatcherBookkeeping1763780400200 } from './1763780400200-dispatcher-bookkeeping';
import { ConsoleJobsIndex1765080000000 } from './1765080000000-console-jobs-index';
import { JobOverviewWait1765080000150 } from './1765080000150-job-overview-wait';
import { Workflows1765100000022 } from './1765100000022-workflows';
import { FairShare1765130000023 } from './1765130000023-fair-share';
import { ConsoleQueueIndex1765140000021 } from './1765140000021-console-queue-index';

/**
 * Ordered list of schema migrations. Each migration is a class in this folder named
 * `<timestamp>-<what>.ts`; add new ones at the end, never edit an applied one.
 */
// eslint-disable-next-line @typescript-eslint/ban-types
export const migrations: Function[] = [JobDatabase1763780400000, OperatorViews1763780400001, StageRetries1763780400100, DispatcherBookkeeping1763780400200,
  ConsoleJobsIndex1765080000000, JobOverviewWait1765080000150, Workflows1765100000022,
  FairShare1765130000023, ConsoleQueueIndex1765140000021];
