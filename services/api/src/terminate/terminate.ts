import type { DataSource } from 'typeorm';
import { enqueueOutbox, lockExperiment, withTransaction } from '@msched/db';
import { recordTransition, terminateWorkflow } from '@msched/state-recorder';
import { Principal, requireAccess } from '../auth/access';
import { InvalidRequest, NotFound } from '../errors';
import { CANCEL_REQUESTED_TYPE, CANCEL_REQUESTED_VERSION, type CancelRequested } from '@msched/model';
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
    requireAccess(who, 'terminate', { gatewayId: cur.gatewayId, ownerUserName: cur.userName });
    const decision = decideTermination(cur.state);
    if (decision.kind === 'already') return { requested: false, state: decision.state };
    if (decision.kind === 'finished') throw new InvalidRequest(`experiment "${experimentId}" is already ${decision.state}: there is nothing to terminate`);

    const reason = `terminated by ${who.userName ?? 'the gateway'}`;
    const workflow = await terminateWorkflow(tx, experimentId, reason, API_SOURCE);
    if (workflow) return { requested: workflow.requested, state: 'CANCELING' };
    const subject = { gatewayId, experimentId, processId: cur.processId };
    // Experiment first, so Airavata hears CANCELING before the process's CANCELLING (the process
    // change then derives the same experiment state, a duplicate that is dropped).
    for (const change of [{ entity: 'experiment' as const, id: experimentId, to: 'CANCELING' }, { entity: 'process' as const, id: cur.processId, to: 'CANCELLING' }]) {
      const r = await recordTransition(tx, { ...change, reason, source: API_SOURCE, subject });
      if (!r.applied && r.kind !== 'duplicate') throw new InvalidRequest(`experiment "${experimentId}" cannot be terminated now: ${r.reason}`);
    }
    const cancel: CancelRequested = { experimentId, processId: cur.processId, jobId: cur.jobId, gatewayId, reason };
    await enqueueOutbox(tx, { topic: 'cancel', key: experimentId, type: CANCEL_REQUESTED_TYPE, version: CANCEL_REQUESTED_VERSION, payload: cancel });
    return { requested: true, state: 'CANCELING' };
  });
}
