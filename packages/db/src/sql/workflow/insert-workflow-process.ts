import type { Db } from '../db';

export interface NewWorkflowProcess {
  id: string;
  experimentId: string;
  resourceSchedule: unknown;
  applicationInterfaceId: string | null;
  applicationDeploymentId: string | null;
  computeResourceId: string | undefined;
  experimentDataDir: string | null;
  /** The ProcessModel as plain JSON. */
  model: unknown;
}

/** Inserts the process, CREATED, that runs one application of a workflow. */
export async function insertWorkflowProcess(tx: Db, p: NewWorkflowProcess): Promise<void> {
  await tx.query(`INSERT INTO processes (id, experiment_id, state, resource_schedule, application_interface_id, application_deployment_id, compute_resource_id, experiment_data_dir, model)
    VALUES ($1, $2, 'CREATED', $3, $4, $5, $6, $7, $8)`,
  [p.id, p.experimentId, JSON.stringify(p.resourceSchedule), p.applicationInterfaceId, p.applicationDeploymentId,
    p.computeResourceId, p.experimentDataDir, JSON.stringify(p.model)]);
}
