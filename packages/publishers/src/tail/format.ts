import type { Envelope } from '@msched/bus';
import { OUTPUTS_EVENT_TYPE, OutputsEvent, STATUS_EVENT_TYPE, StatusEvent, WORKFLOW_STATUS_EVENT_TYPE, WorkflowStatusEvent } from '@msched/model';

/**
 * One readable line per event for `msched events tail`. Pure. Columns: time of the change,
 * experiment, entity, the entity's own id, state (← previous), then the reason or details.
 */
export function formatEventLine(env: Envelope): string {
  const p = (env.payload ?? {}) as Record<string, unknown>;
  if (env.type === STATUS_EVENT_TYPE && typeof p.entity === 'string') {
    const e = p as unknown as StatusEvent;
    const id = ({ experiment: e.experimentId, process: e.processId, task: e.taskId, job: e.jobId } as Record<string, string | undefined>)[e.entity] ?? '?';
    const details = [
      e.entity === 'task' && e.taskType ? `type=${e.taskType}` : '',
      e.entity === 'job' && e.jobName ? `name=${e.jobName}` : '',
      e.exitCode !== undefined ? `exit=${e.exitCode}` : '',
      e.failedRank !== undefined ? `rank=${e.failedRank}` : '',
      e.reason ? `reason: ${oneLine(e.reason)}` : '',
    ].filter(Boolean);
    const state = e.previousState ? `${e.state} ← ${e.previousState}` : e.state;
    return columns(e.time, e.experimentId, e.entity, id, state, details.join('  '));
  }
  if (env.type === OUTPUTS_EVENT_TYPE && Array.isArray(p.outputs)) {
    const e = p as unknown as OutputsEvent;
    const outs = e.outputs.map((o) => `${o.name}=${oneLine(String(o.value))}`).join(', ');
    return columns(e.time, e.experimentId, 'outputs', e.taskId, `${e.outputs.length} output${e.outputs.length === 1 ? '' : 's'}`, outs);
  }
  if (env.type === WORKFLOW_STATUS_EVENT_TYPE && typeof p.entity === 'string') {
    // A workflow's own states: the workflow by its id, an application or handler by its node id.
    const e = p as unknown as WorkflowStatusEvent;
    const state = e.previousState ? `${e.state} ← ${e.previousState}` : e.state;
    const details = [e.processId ? `process=${e.processId}` : '', e.reason ? `reason: ${oneLine(e.reason)}` : ''].filter(Boolean);
    return columns(e.time, e.experimentId, e.entity, e.nodeId ?? e.workflowId, state, details.join('  '));
  }
  return columns(env.time, typeof p.experimentId === 'string' ? p.experimentId : '-', env.type, env.id, `v${env.version}`, '');
}

function columns(time: unknown, experimentId: unknown, entity: string, id: unknown, state: string, rest: string): string {
  return [String(time ?? '-'), String(experimentId ?? '-'), entity.padEnd(10), String(id ?? '-'), state, rest]
    .filter((c, i) => i < 5 || c !== '').join('  ');
}

function oneLine(s: string): string {
  return s.replace(/\s*\n\s*/g, ' ⏎ ');
}

/** Whether an envelope belongs to an experiment (the message key is the experiment id; the payload says it too). */
export function isOfExperiment(env: Envelope, key: string | null, experimentId: string): boolean {
  const p = env.payload as { experimentId?: unknown } | null;
  return key === experimentId || (typeof p === 'object' && p !== null && p.experimentId === experimentId);
}
