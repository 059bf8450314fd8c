import { JOB_MONITOR_STATUS, JobState } from '@msched/state-model';
import type { PublishedEvent } from './event';
import { EXPERIMENT_HEADER, MESSAGE_ID_HEADER, OutboundMessage } from './outbound';

/**
 * Airavata's realtime job monitor (`helix-airavata-mq`): one JSON object per job status,
 * `{"jobName","status","task"}` with the monitor's status names (JOB_MONITOR_STATUS). Keyed by
 * jobId. Only job events have a place here; everything else encodes to nothing.
 */
export const JOB_MONITOR_CONTENT_TYPE = 'application/json';

export function encodeJobMonitor(pe: PublishedEvent): OutboundMessage[] {
  if (pe.kind !== 'status' || pe.event.entity !== 'job') return [];
  const ev = pe.event;
  const jobId = ev.jobId!;
  // Field order is part of the fixture: Airavata parses it as JSON, people diff it as text.
  const body = { jobName: ev.jobName ?? jobId, status: JOB_MONITOR_STATUS[ev.state as JobState], task: ev.taskId! };
  return [{
    id: pe.envelopeId, key: jobId, value: Buffer.from(JSON.stringify(body)), experimentId: ev.experimentId,
    type: 'job-monitor', contentType: JOB_MONITOR_CONTENT_TYPE, time: pe.timeMs,
    headers: { [MESSAGE_ID_HEADER]: pe.envelopeId, [EXPERIMENT_HEADER]: ev.experimentId },
  }];
}
