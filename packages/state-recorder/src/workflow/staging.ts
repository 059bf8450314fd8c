import { isAbsolute, join, normalize } from 'node:path';
import { Db, lastJobOf, processDataObjects } from '@msched/db';
import { feedsOf } from '@msched/workflow';
import type { NodeRow, StoredSpec } from './store';

const URI = 3;
const STDOUT = 5;
const STDERR = 6;

/** An Airavata Input/OutputDataObjectType as stored (plain JSON; the fields we read). */
export interface DataObject {
  name: string;
  value?: string;
  type?: number;
  [k: string]: unknown;
}

/**
 * Where an application's output ended up once its process finished: a file the provisioner
 * collected into the experiment data directory (URI: <job working_dir>/<declared path>; STDOUT and
 * STDERR: the collected streams), else the declared value itself.
 */
export async function outputLocation(tx: Db, processId: string, outputName: string): Promise<DataObject | undefined> {
  const outputs = await processDataObjects<DataObject>(tx, processId, 'outputs');
  const o = (outputs ?? []).find((x) => x.name === outputName);
  if (!o) return undefined;
  const job = await lastJobOf(tx, processId);
  if (o.type === STDOUT) return job?.stdOut ? { name: o.name, value: job.stdOut, type: URI } : undefined;
  if (o.type === STDERR) return job?.stdErr ? { name: o.name, value: job.stdErr, type: URI } : undefined;
  if (o.type === URI && o.value) {
    const rel = normalize(o.value);
    if (!job?.workingDir || isAbsolute(rel) || rel.startsWith('..')) return undefined;
    return { name: o.name, value: join(job.workingDir, rel), type: URI };
  }
  return o.value !== undefined ? { name: o.name, value: o.value, type: o.type } : undefined;
}

/**
 * The inputs an application starts with: its ProcessModel's inputs, each one fed by a connection
 * taking the value the connection delivers (a starter handler's output, or where a finished
 * predecessor's output was collected). Returns the inputs and the ones that could not be filled.
 */
export async function stagedInputs(tx: Db, spec: StoredSpec, nodes: readonly NodeRow[], appId: string, processId: string): Promise<{ inputs: DataObject[]; missing: string[] }> {
  const declared = await processDataObjects<DataObject>(tx, processId, 'inputs');
  const inputs = (declared ?? []).map((i) => ({ ...i }));
  const missing: string[] = [];
  for (const c of feedsOf(spec, appId)) {
    const target = inputs.find((i) => i.name === c.toInputName);
    if (!target) { missing.push(c.toInputName); continue; }
    let value: DataObject | undefined;
    if (c.fromType === 'HANDLER') {
      const handler = nodes.find((n) => n.nodeId === c.fromId);
      value = ((handler?.data as { outputs?: DataObject[] } | null)?.outputs ?? []).find((o) => o.name === c.fromOutputName);
    } else {
      const from = nodes.find((n) => n.nodeId === c.fromId);
      value = from?.processId ? await outputLocation(tx, from.processId, c.fromOutputName) : undefined;
    }
    if (value?.value === undefined) { missing.push(c.toInputName); continue; }
    target.value = value.value;
  }
  return { inputs, missing };
}
