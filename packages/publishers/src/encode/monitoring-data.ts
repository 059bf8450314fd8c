import type { PublishedEvent } from './event';
import { EncodeError } from '../errors';
import { EXPERIMENT_HEADER, MESSAGE_ID_HEADER, OutboundMessage } from './outbound';

/**
 * Airavata's job monitoring topic (`monitoring-data`): key = jobId, value = the CSV line
 * `jobId,jobName,JOBSTATE_NAME,publisherName`. Airavata splits on commas, so a comma or line break
 * inside a field would shift the columns: job names have them replaced by `_`; ids cannot have them.
 */
export const MONITORING_CONTENT_TYPE = 'text/csv';

export function encodeMonitoringData(pe: PublishedEvent, publisherName: string): OutboundMessage[] {
  if (pe.kind !== 'status' || pe.event.entity !== 'job') return [];
  const ev = pe.event;
  const jobId = ev.jobId!;
  for (const [what, v] of [['jobId', jobId], ['publisherName', publisherName]] as const) {
    if (/[,\r\n]/.test(v)) throw new EncodeError(`${what} ${JSON.stringify(v)} cannot be a monitoring-data CSV field`);
  }
  const jobName = (ev.jobName ?? jobId).replace(/[,\r\n]/g, '_');
  const line = [jobId, jobName, ev.state, publisherName].join(',');
  return [{
    id: pe.envelopeId, key: jobId, value: Buffer.from(line), experimentId: ev.experimentId,
    type: 'monitoring-data', contentType: MONITORING_CONTENT_TYPE, time: pe.timeMs,
    headers: { [MESSAGE_ID_HEADER]: pe.envelopeId, [EXPERIMENT_HEADER]: ev.experimentId },
  }];
}
