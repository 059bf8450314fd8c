import type { AppSchedule, ConnectionSpec, WorkflowSpec } from './spec';

/** Which scheduling fields a queue needs every application to give (or inherit from the experiment). */
export type QueueNeeds = (queueName: string | undefined) => ReadonlyArray<keyof Omit<AppSchedule, 'queueName'>>;

/**
 * The default: every queue needs coreCount and wallTimeLimit (the gang's size and its deadline),
 * and nodeCount as soon as more than one core is asked for (how the gang spreads over agents).
 */
export const defaultQueueNeeds: QueueNeeds = () => ['coreCount', 'wallTimeLimit', 'nodeCount'];

export interface WorkflowProblem {
  readonly rule: 'structure' | 'duplicate id' | 'dangling id' | 'connection' | 'cycle' | 'scheduling';
  readonly message: string;
}

function duplicates(ids: readonly string[]): string[] {
  const seen = new Set<string>();
  const twice = new Set<string>();
  for (const id of ids) (seen.has(id) ? twice : seen).add(id);
  return [...twice];
}

function blank(v: unknown): boolean {
  return typeof v !== 'string' || v.trim() === '';
}

/**
 * Every problem of a workflow, each with its rule and a sentence naming the ids involved; empty
 * when the DAG can run. Checks structure, ids, every connection's ends and names, cycles and the
 * scheduling fields the queues need.
 */
export function validateWorkflow(w: WorkflowSpec, needs: QueueNeeds = defaultQueueNeeds): WorkflowProblem[] {
  const problems: WorkflowProblem[] = [];
  const add = (rule: WorkflowProblem['rule'], message: string) => problems.push({ rule, message });
  if (w.applications.length === 0) add('structure', 'the workflow has no applications');

  for (const [i, a] of w.applications.entries()) if (blank(a.id)) add('structure', `workflow applications[${i}] has no id`);
  for (const [i, h] of w.handlers.entries()) if (blank(h.id)) add('structure', `workflow handlers[${i}] has no id`);
  for (const [i, c] of w.connections.entries()) if (blank(c.id)) add('structure', `workflow connections[${i}] has no id`);
  for (const id of duplicates([...w.applications.map((a) => a.id), ...w.handlers.map((h) => h.id)].filter((x) => !blank(x)))) {
    add('duplicate id', `component id "${id}" is used by more than one application or handler`);
  }
  for (const id of duplicates(w.connections.map((c) => c.id).filter((x) => !blank(x)))) add('duplicate id', `connection id "${id}" appears more than once`);
  for (const pid of duplicates(w.applications.map((a) => a.processId ?? '').filter((x) => x !== ''))) {
    add('duplicate id', `processId "${pid}" is named by more than one application: each application runs as its own process`);
  }
  if (w.processIds) {
    const known = new Set(w.processIds);
    for (const a of w.applications) {
      if (blank(a.processId)) add('dangling id', `application "${a.id}" names no processId: it must name one of ExperimentModel.processes`);
      else if (!known.has(a.processId as string)) add('dangling id', `application "${a.id}" names processId "${a.processId}", which is not among ExperimentModel.processes`);
    }
  }
  for (const [i, h] of w.handlers.entries()) {
    if (h.type !== 'FLOW_STARTER' && h.type !== 'FLOW_TERMINATOR') add('structure', `workflow handlers[${i}] ("${h.id}") has type ${String(h.type)}, which is not a HandlerType`);
  }

  const apps = new Map(w.applications.map((a) => [a.id, a]));
  const handlers = new Map(w.handlers.map((h) => [h.id, h]));
  const fed = new Map<string, string>();
  for (const c of w.connections) problems.push(...checkConnection(c, apps, handlers, fed));

  problems.push(...checkStagedFiles(w));

  const cycle = findCycle(w);
  if (cycle) add('cycle', `the connections form a cycle: ${cycle.join(' -> ')}`);

  for (const a of w.applications) {
    const s = a.schedule;
    for (const field of needs(s.queueName)) {
      if (field === 'nodeCount' && !((s.coreCount ?? 0) > 1)) continue;
      const v = s[field];
      if (typeof v !== 'number' || v <= 0) add('scheduling', `application "${a.id}" has no ${field}, which queue "${s.queueName ?? '(none)'}" needs${field === 'nodeCount' ? ' for more than one core' : ''}`);
    }
  }
  return problems;
}

function checkConnection(
  c: ConnectionSpec,
  apps: ReadonlyMap<string, { inputs: readonly string[]; outputs: readonly string[] }>,
  handlers: ReadonlyMap<string, { type: string; inputs: readonly string[]; outputs: readonly string[] }>,
  fed: Map<string, string>,
): WorkflowProblem[] {
  const out: WorkflowProblem[] = [];
  const label = `connection "${c.id}"`;
  const from = c.fromType === 'APPLICATION' ? apps.get(c.fromId) : c.fromType === 'HANDLER' ? handlers.get(c.fromId) : undefined;
  const to = c.toType === 'APPLICATION' ? apps.get(c.toId) : c.toType === 'HANDLER' ? handlers.get(c.toId) : undefined;
  if (!from) out.push({ rule: 'dangling id', message: `${label} comes from ${c.fromType === 'HANDLER' ? 'handler' : 'application'} "${c.fromId}", which the workflow does not have` });
  if (!to) out.push({ rule: 'dangling id', message: `${label} goes to ${c.toType === 'HANDLER' ? 'handler' : 'application'} "${c.toId}", which the workflow does not have` });
  if (from && 'type' in from && from.type !== 'FLOW_STARTER') out.push({ rule: 'connection', message: `${label} comes from handler "${c.fromId}", a ${from.type}: only a FLOW_STARTER supplies values` });
  if (to && 'type' in to && to.type !== 'FLOW_TERMINATOR') out.push({ rule: 'connection', message: `${label} goes to handler "${c.toId}", a ${to.type}: only a FLOW_TERMINATOR collects values` });
  if (c.fromType === 'HANDLER' && c.toType === 'HANDLER') out.push({ rule: 'connection', message: `${label} joins two handlers: a value must pass through an application` });
  if (from && !from.outputs.includes(c.fromOutputName)) {
    out.push({ rule: 'connection', message: `${label} names output "${c.fromOutputName}" of "${c.fromId}", which has no such output (outputs: ${from.outputs.join(', ') || 'none'})` });
  }
  if (to && !to.inputs.includes(c.toInputName)) {
    out.push({ rule: 'connection', message: `${label} names input "${c.toInputName}" of "${c.toId}", which has no such input (inputs: ${to.inputs.join(', ') || 'none'})` });
  }
  if (to) {
    const key = `${c.toType}\u0000${c.toId}\u0000${c.toInputName}`;
    const other = fed.get(key);
    if (other) out.push({ rule: 'connection', message: `${label} feeds input "${c.toInputName}" of "${c.toId}", which connection "${other}" already feeds` });
    else fed.set(key, c.id);
  }
  return out;
}

/** The application ids of one cycle (first node repeated at the end), or undefined for a DAG. */
export function findCycle(w: Pick<WorkflowSpec, 'applications' | 'connections'>): string[] | undefined {
  const next = new Map<string, string[]>(w.applications.map((a) => [a.id, []]));
  for (const c of w.connections) {
    if (c.fromType === 'APPLICATION' && c.toType === 'APPLICATION' && next.has(c.fromId) && next.has(c.toId)) next.get(c.fromId)!.push(c.toId);
  }
  const colour = new Map<string, 'grey' | 'black'>();
  const path: string[] = [];
  const visit = (id: string): string[] | undefined => {
    colour.set(id, 'grey');
    path.push(id);
    for (const n of next.get(id) ?? []) {
      if (colour.get(n) === 'grey') return [...path.slice(path.indexOf(n)), n];
      if (!colour.has(n)) {
        const found = visit(n);
        if (found) return found;
      }
    }
    path.pop();
    colour.set(id, 'black');
    return undefined;
  };
  for (const id of next.keys()) {
    if (!colour.has(id)) {
      const found = visit(id);
      if (found) return found;
    }
  }
  return undefined;
}

/**
 * What an application receives from its predecessors lands in its sandbox under each file's name:
 * two inputs with one file name would overwrite each other, and a stream (STDOUT/STDERR, collected
 * as "stdout"/"stderr") would land on the task's own stdout/stderr.
 */
function checkStagedFiles(w: WorkflowSpec): WorkflowProblem[] {
  const out: WorkflowProblem[] = [];
  const apps = new Map(w.applications.map((a) => [a.id, a]));
  const byTarget = new Map<string, Array<{ file: string; from: string }>>();
  for (const c of w.connections) {
    if (c.fromType !== 'APPLICATION' || c.toType !== 'APPLICATION') continue;
    const kind = apps.get(c.fromId)?.outputKinds?.[c.fromOutputName];
    if (!kind) continue;
    if (kind.kind === 'stream') {
      out.push({ rule: 'connection', message: `connection "${c.id}" feeds output "${c.fromOutputName}" of "${c.fromId}", a STDOUT/STDERR stream, into application "${c.toId}": declare it as a URI output (a file the application writes) to pass it on` });
    } else if (kind.kind === 'file') {
      byTarget.set(c.toId, [...(byTarget.get(c.toId) ?? []), { file: kind.fileName, from: `${c.fromId}.${c.fromOutputName}` }]);
    }
  }
  for (const [target, files] of byTarget) {
    const seen = new Map<string, string>();
    for (const f of files) {
      const other = seen.get(f.file);
      if (other && other !== f.from) out.push({ rule: 'connection', message: `application "${target}" would receive two files named "${f.file}" (from ${other} and ${f.from}): they would overwrite each other in its sandbox; give the outputs distinct file names` });
      else seen.set(f.file, f.from);
    }
  }
  return out;
}
