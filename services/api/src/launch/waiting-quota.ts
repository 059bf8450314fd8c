import { Db, lockGatewayLaunches, waitingGangsAndExperiment } from '@msched/db';
import { QuotaExceeded } from '../errors';

/** A gateway's limit on launches not running yet (MSCHED_SCHEDULING_MAX_WAITING_GANGS). */
export interface WaitingQuota {
  readonly gatewayId: string;
  readonly experimentId: string;
  readonly maxWaitingGangs: number;
}

/**
 * Inside the launch's transaction, before anything is written: takes the gateway's launch lock
 * (held until commit, so concurrent launches of the gateway are counted one after the other) and
 * refuses a new launch that would pass the quota. A repeated launch of a recorded experiment is
 * let through: it writes nothing and gets its ids back.
 */
export async function checkWaitingQuota(tx: Db, q: WaitingQuota): Promise<void> {
  // Two statements: the count must see every launch committed before the lock was granted, and a
  // statement's snapshot is taken when it starts (READ COMMITTED), so not in the lock's own.
  await lockGatewayLaunches(tx, q.gatewayId);
  const { waiting, experimentExists } = await waitingGangsAndExperiment(tx, q.gatewayId, q.experimentId);
  if (experimentExists) return;
  if (waiting >= q.maxWaitingGangs) {
    throw new QuotaExceeded(`gateway "${q.gatewayId}" has ${waiting} launches waiting to run, its quota is ${q.maxWaitingGangs}; launch again once some have started`);
  }
}
