import { join } from 'node:path';
import { Db, nodeOfProcess } from '@msched/db';

/**
 * Where a process's outputs are collected: the experiment data directory itself, or for an
 * application of a WORKFLOW experiment its own sub-directory `applications/<application id>`, so
 * parallel branches never overwrite each other's stdout or files (docs/workflows.md).
 */
export async function applicationDataDir(db: Db, processId: string, experimentDir: string): Promise<string> {
  const row = await nodeOfProcess(db, processId);
  return row ? join(experimentDir, 'applications', row.nodeId.replace(/[^A-Za-z0-9._-]/g, '_')) : experimentDir;
}
