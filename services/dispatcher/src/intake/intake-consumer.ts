import type { Consumer, Kafka } from 'kafkajs';
import type { DataSource } from 'typeorm';
import { startEnvelopeConsumer, topicName, type Envelope } from '@msched/bus';
import { markProcessed, withTransaction } from '@msched/db';
import type { Logger } from '@msched/logging';
import { CANCEL_REQUESTED_TYPE, GANG_READY_TYPE } from '@msched/model';
import { handleCancel } from './cancel';
import { handleGangReady } from './gang-ready';
import { InvalidMessageError, parseCancelRequest, parseGangReady } from './messages';

export interface IntakeOptions {
  readonly kafka: Kafka;
  readonly ds: DataSource;
  readonly topicPrefix: string;
  /** How long a killed replica holds its partitions (MSCHED_KAFKA_SESSION_TIMEOUT_MS). */
  readonly sessionTimeoutMs?: number;
  readonly logger: Logger;
  /** Wall time of a gang that comes without one. */
  readonly defaultWallTimeSeconds: number;
  /** Called after each commit that may give the leader work (it may run in this process or another). */
  readonly wake: () => void;
}

export const INVALID_CONSUMER = 'dispatcher.invalid';

/**
 * Every replica consumes `dispatch` and `cancel` in one consumer group and only writes to the
 * database, so Kafka consumption does not depend on who leads and a leader change loses nothing.
 */
export async function startIntake(o: IntakeOptions): Promise<Consumer> {
  return startEnvelopeConsumer({
    kafka: o.kafka,
    groupId: `${o.topicPrefix}dispatcher.intake`,
    topics: [topicName(o.topicPrefix, 'dispatch'), topicName(o.topicPrefix, 'cancel')],
    logger: o.logger,
    sessionTimeoutMs: o.sessionTimeoutMs,
    onPoison: async (_m, meta, reason) => void o.logger.error(`poison message on ${meta.topic}[${meta.partition}]@${meta.offset} skipped: ${reason}`),
    handle: async (env: Envelope) => {
      try {
        if (env.type === GANG_READY_TYPE) await handleGangReady(o.ds, env.id, parseGangReady(env.payload), o.logger, o.defaultWallTimeSeconds);
        else if (env.type === CANCEL_REQUESTED_TYPE) await handleCancel(o.ds, env.id, parseCancelRequest(env.payload), o.logger);
        else return;
      } catch (e) {
        if (!(e instanceof InvalidMessageError)) throw e;
        // It can never succeed: keep its reason in the log and never look at it again.
        o.logger.error(`${env.type} ${env.id} refused: ${e.message}`);
        await withTransaction(o.ds, (tx) => markProcessed(tx, INVALID_CONSUMER, env.id));
        return;
      }
      o.wake();
    },
  });
}
