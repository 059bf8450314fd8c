import { ExperimentRow } from './experiment';
import { ProcessRow } from './process';
import { JobRow } from './job';
import { TaskRow } from './task';
import { StatusHistoryRow } from './status-history';
import { OutboxRow } from './outbox-message';
import { ProcessedMessageRow } from './processed-message';
import { StageRunRow } from './stage-run';
import { FrameworkRow } from './framework';

export { ExperimentRow, ProcessRow, JobRow, TaskRow, StatusHistoryRow, OutboxRow, ProcessedMessageRow, StageRunRow, FrameworkRow };
export type { EntityType } from './status-history';

/** Every TypeORM entity of the job database. The schema itself only changes through migrations/. */
// eslint-disable-next-line @typescript-eslint/ban-types
export const entities: Function[] = [
  ExperimentRow, ProcessRow, JobRow, TaskRow, StatusHistoryRow, OutboxRow, ProcessedMessageRow, StageRunRow, FrameworkRow,
];
