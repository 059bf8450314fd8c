import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Logger } from '@msched/logging';
import { formatResultLine, RESULT_FILE, type GangResult } from '../result';
import type { GangZk } from './gang-zk';
import { createOnce } from './zk-watch';

/**
 * Publishes the verdict on every channel, each on its own: a full disk must not hide the result from
 * ZooKeeper and vice versa. The stderr line goes last and always. ZooKeeper is retried through an
 * outage (the workers wait for this node to end with the job's verdict).
 */
export async function publishResult(result: GangResult, where: { zk?: GangZk; resultPath?: string; sandbox?: string; logger: Logger }): Promise<void> {
  if (where.sandbox) {
    try {
      writeFileSync(join(where.sandbox, RESULT_FILE), `${JSON.stringify(result, null, 2)}\n`);
    } catch (e) {
      where.logger.warn(`could not write ${RESULT_FILE}: ${(e as Error).message}`);
    }
  }
  if (where.zk && where.resultPath) {
    try {
      const path = where.resultPath;
      const data = JSON.stringify(result);
      // A retry after a lost answer finds our own node: only someone else's is worth a warning.
      const existing = await where.zk.call('publish the result', async (zk) => ((await createOnce(zk, path, data)) ? undefined : (await zk.getData(path))?.toString()));
      if (existing !== undefined && existing !== data) where.logger.warn('a result was already published; keeping the first');
    } catch (e) {
      where.logger.warn(`could not publish the result in ZooKeeper: ${(e as Error).message}`);
    }
  }
  process.stderr.write(`${formatResultLine(result)}\n`);
}
