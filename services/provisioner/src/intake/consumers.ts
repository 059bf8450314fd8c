import type { DataSource } from 'typeorm';
import type { Consumer, Kafka } from 'kafkajs';
import { Envelope, startEnvelopeConsumer, topicName } from '@msched/bus';
import { Db, markProcessed, withTransaction } from '@msched/db';
import type { Logger } from '@msched/logging';
import { JOB_ENDED_TYPE, JobEnded, LAUNCH_ACCEPTED_TYPE, STAGE_WORK_TYPE, type StageWork } from '@msched/model';
import { parseLaunch } from '../messages/launch';
import { parseStageWork } from '../messages/stage-work';
import { queueStage, queueStageInTurn } from '@msched/stage-runs';
import { StageRunner } from '../pipeline/stage-runner';

export interface IntakeOptions {
  ds: DataSource;
  kafka: Kafka;
  logger: Logger;
  topicPrefix: string;
  sessionTimeoutMs: number;
  runner: StageRunner;
  /** Called after a transaction queued outbox rows, to wake the relay at once. */
  wake: () => void;
  /**
   * Partitions each consumer works on at once (one experiment's messages stay in order: one key,
   * one partition). Safe as running that many provisioners: stages are idempotent per job.
   */
  partitionsConcurrently?: number;
}

const LAUNCH_CONSUMER = 'provisioner.launch';
const ENDED_CONSUMER = 'provisioner.job-ended';

/**
 * The provisioner's Kafka inputs: accepted launches start the pipeline, stage work runs one stage
 * (retries, replays), ended jobs start output collection. With a chaining runner, the launch and
 * the ended job run their stages in their own consumer turn, one after the other. Each handler is idempotent (processed_messages / stage_runs).
 */
export async function startIntake(o: IntakeOptions): Promise<Consumer[]> {
  const t = (k: Parameters<typeof topicName>[1]) => topicName(o.topicPrefix, k);
  const poison = async (_m: unknown, meta: { topic: string; offset: string }, reason: string) => {
    o.logger.error(`dropped an unreadable message on ${meta.topic} at offset ${meta.offset}: ${reason}`);
  };

  const started: Consumer[] = [];
  try {
    started.push(await startLaunchConsumer(o, t, poison));
    started.push(await startStagesConsumer(o, t, poison));
    started.push(await startEndedConsumer(o, t, poison));
  } catch (e) {
    // All or none: a retried start-up must not leave members of the first try in their groups.
    await Promise.all(started.map((c) => c.disconnect().catch(() => undefined)));
    throw e;
  }
  return started;
}

type TopicOf = (k: Parameters<typeof topicName>[1]) => string;
type Poison = (m: unknown, meta: { topic: string; offset: string }, reason: string) => Promise<void>;

function startLaunchConsumer(o: IntakeOptions, t: TopicOf, poison: Poison): Promise<Consumer> {
  return startEnvelopeConsumer({
    kafka: o.kafka, groupId: `${o.topicPrefix}provisioner.launch`, topics: [t('launch')], logger: o.logger, onPoison: poison, sessionTimeoutMs: o.sessionTimeoutMs, partitionsConcurrently: o.partitionsConcurrently,
    handle: async (env: Envelope) => {
      if (env.type !== LAUNCH_ACCEPTED_TYPE) return;
      const l = parseLaunch(env.payload);
      const work: StageWork = { stage: 'resolve', experimentId: l.experimentId, processId: l.processId, jobId: l.jobId, gatewayId: l.gatewayId, taskId: l.taskId };
      await startStages(o, work, (tx) => markProcessed(tx, LAUNCH_CONSUMER, env.id));
    },
  });
}

function startStagesConsumer(o: IntakeOptions, t: TopicOf, poison: Poison): Promise<Consumer> {
  return startEnvelopeConsumer({
    kafka: o.kafka, groupId: `${o.topicPrefix}provisioner.stages`, topics: [t('provision')], logger: o.logger, onPoison: poison, sessionTimeoutMs: o.sessionTimeoutMs, partitionsConcurrently: o.partitionsConcurrently,
    handle: async (env: Envelope) => {
      if (env.type !== STAGE_WORK_TYPE) return;
      await o.runner.handle(parseStageWork(env.payload));
      o.wake();
    },
  });
}

function startEndedConsumer(o: IntakeOptions, t: TopicOf, poison: Poison): Promise<Consumer> {
  return startEnvelopeConsumer({
    kafka: o.kafka, groupId: `${o.topicPrefix}provisioner.job-ended`, topics: [t('jobEnded')], logger: o.logger, onPoison: poison, sessionTimeoutMs: o.sessionTimeoutMs, partitionsConcurrently: o.partitionsConcurrently,
    handle: async (env: Envelope) => {
      if (env.type !== JOB_ENDED_TYPE) return;
      const e = env.payload as JobEnded;
      // A retried attempt is not the end of the process: the next attempt's end will come.
      if (e.retried) {
        await withTransaction(o.ds, (tx) => markProcessed(tx, ENDED_CONSUMER, env.id));
        return;
      }
      const work: StageWork = { stage: 'collect-outputs', experimentId: e.experimentId, processId: e.processId, jobId: e.jobId, gatewayId: e.gatewayId, taskId: e.taskId, ended: e };
      await startStages(o, work, (tx) => markProcessed(tx, ENDED_CONSUMER, env.id));
    },
  });
}

/**
 * Queues a job's first stage once per message (`firstDelivery` records the message id in the same
 * transaction). A chaining runner then runs the stages in this turn. A message delivered again is
 * the one a crash cut short: the runner resumes at the first stage of the chain not done, if the
 * first stage was queued in a turn (one queued through Kafka is left to its own message).
 */
async function startStages(o: IntakeOptions, work: StageWork, firstDelivery: (tx: Db) => Promise<boolean>): Promise<void> {
  const first = await withTransaction(o.ds, async (tx) => {
    if (!(await firstDelivery(tx))) return false;
    if (o.runner.chains) await queueStageInTurn(tx, work);
    else await queueStage(tx, work);
    return true;
  });
  o.wake();
  if (!first) await o.runner.resume(work);
  else if (o.runner.chains) await o.runner.handle(work);
}
