import type { DataSource } from 'typeorm';
import { appendStatus, enqueueOutbox, lockExperiment, setState, withTransaction } from '@msched/db';
import { STATUS_EVENT_TYPE, STATUS_EVENT_VERSION, StatusEvent } from '@msched/model';
import { Principal, requireGateway } from '../auth/authorizer';
import { InvalidRequest, NotFound } from '../errors';
import { CANCEL_EVENT_TYPE, CANCEL_EVENT_VERSION, CancelRequested } from '../events';
import { API_SOURCE } from '../launch/plan';
import { decideTermination } from './decide';

export interface TerminationOutcome {
  /** false when the experiment was already canceling or canceled. */
  requested: boolean;
  state: string;
}

/**
 * Records CANCELING (experiment) and CANCELLING (process) and hands a cancel message for the latest
 * job to the workers, all in one transaction. The experiment row is locked first so a concurrent
 * status change cannot interleave.
 */
export async function terminateExperiment(ds: DataSource, who: Principal, experimentId: string, gatewayId: string): Promise<TerminationOutcome> {
  return withTransaction(ds, async (tx) => {
    const cur = await lockExperiment(tx, experimentId);
    if (!cur || cur.gatewayId !== gatewayId) throw new NotFound(`no experiment "${experimentId}" in gateway "${gatewayId}"`);
    requireGateway(who, cur.gatewayId);
    const decision = decideTermination(cur.state);
    if (decision.kind === 'already') return { requested: false, state: decision.state };
    if (decision.kind === 'finished') throw new InvalidRequest(`experiment "${experimentId}" is already ${decision.state}: there is nothing to terminate`);

    const reason = `terminated by ${who.userName ?? 'the gateway'}`;
    const time = new Date().toISOString();
    const changes = [
      { entityType: 'experiment' as const, entityId: experimentId, state: 'CANCELING', previous: cur.state },
      { entityType: 'process' as const, entityId: cur.processId, state: 'CANCELLING', previous: cur.processState },
    ];
    for (const c of changes) {
      await setState(tx, c.entityType, c.entityId, c.state);
      await appendStatus(tx, { entityType: c.entityType, entityId: c.entityId, experimentId, state: c.state, reason, source: API_SOURCE });
    }
    const cancel: CancelRequested = { experimentId, processId: cur.processId, jobId: cur.jobId, gatewayId, reason };
    await enqueueOutbox(tx, { topic: 'cancel', key: experimentId, type: CANCEL_EVENT_TYPE, version: CANCEL_EVENT_VERSION, payload: cancel });
    for (const c of changes) {
      const event: StatusEvent = {
        entity: c.entityType, state: c.state, previousState: c.previous, reason, gatewayId, experimentId,
        ...(c.entityType === 'process' ? { processId: cur.processId } : {}), source: API_SOURCE, time,
      };
      await enqueueOutbox(tx, { topic: 'events', key: experimentId, type: STATUS_EVENT_TYPE, version: STATUS_EVENT_VERSION, payload: event });
    }
    return { requested: true, state: 'CANCELING' };
  });
}
