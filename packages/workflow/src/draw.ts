import { levels, predecessors } from './decide';
import type { WorkflowSpec } from './spec';

export interface DrawInput {
  readonly workflowId: string;
  readonly state: string;
  readonly policy: string;
  readonly spec: WorkflowSpec;
  /** State of each application and handler, by id. */
  readonly states: ReadonlyMap<string, string>;
  /** Extra words per node (e.g. "process P_1, job J_2 attempt 1"). */
  readonly notes?: ReadonlyMap<string, string>;
}

const MARK: Record<string, string> = {
  COMPLETED: '[x]', FAILED: '[!]', CANCELED: '[-]', CANCELING: '[~]', EXECUTING: '[>]', LAUNCHED: '[>]', SCHEDULED: '[.]', CREATED: '[ ]',
};

/**
 * The workflow as text for a terminal: one row per DAG level (applications in the same row may run
 * at the same time), each node with its state and the nodes it waits for, then the data edges.
 */
export function drawWorkflow(d: DrawInput): string[] {
  const out = [`workflow ${d.workflowId}  ${d.state}  (failure policy ${d.policy})`];
  const lv = levels(d.spec);
  const rows = new Map<number, string[]>();
  for (const a of d.spec.applications) {
    const l = lv.get(a.id) ?? 0;
    rows.set(l, [...(rows.get(l) ?? []), a.id]);
  }
  const mark = (id: string) => MARK[d.states.get(id) ?? 'CREATED'] ?? '[?]';
  const starters = d.spec.handlers.filter((h) => h.type === 'FLOW_STARTER');
  const terminators = d.spec.handlers.filter((h) => h.type === 'FLOW_TERMINATOR');
  for (const h of starters) out.push(`  ${mark(h.id)} ${h.id}  FLOW_STARTER ${d.states.get(h.id) ?? 'CREATED'}`);
  for (const l of [...rows.keys()].sort((a, b) => a - b)) {
    out.push(`  ${l === 0 && starters.length === 0 ? '' : '   |'}`.trimEnd() || '     |');
    const ids = rows.get(l) ?? [];
    out.push(`  level ${l}${ids.length > 1 ? `  (${ids.length} in parallel)` : ''}`);
    for (const id of ids) {
      const waits = predecessors(d.spec, id);
      const note = d.notes?.get(id);
      out.push(`    ${mark(id)} ${id}  ${d.states.get(id) ?? 'CREATED'}${waits.length ? `  <- ${waits.join(', ')}` : ''}${note ? `  (${note})` : ''}`);
    }
  }
  for (const h of terminators) {
    out.push('     |');
    out.push(`  ${mark(h.id)} ${h.id}  FLOW_TERMINATOR ${d.states.get(h.id) ?? 'CREATED'}`);
  }
  if (d.spec.connections.length) {
    out.push('  data:');
    for (const c of d.spec.connections) out.push(`    ${c.fromId}.${c.fromOutputName} -> ${c.toId}.${c.toInputName}`);
  }
  return out;
}
