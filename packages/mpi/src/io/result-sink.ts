import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Logger } from '@msched/logging';
import type { Zk } from '@msched/zk';
import { formatResultLine, RESULT_FILE, type GangResult } from '../result';
import { createOnce } from './zk-watch';

/**
 * Publishes the verdict on every channel, each on its own: a full disk must not hide the result from
 * ZooKeeper and vice versa. The stderr line goes last and always.
 */
export async function publishResult(result: GangResult, where: { zk?: Zk; resultPath?: string; sandbox?: string; logger: Logger }): Promise<void> {
  if (where.sandbox) {
    try {
      writeFileSync(join(where.sandbox, RESULT_FILE), `${JSON.stringify(result, null, 2)}\n`);
    } catch (e) {
      where.logger.warn(`could not write ${RESULT_FILE}: ${(e as Error).message}`);
    }
  }
  if (where.zk && where.resultPath) {
    try {
      if (!(await createOnce(where.zk, where.resultPath, JSON.stringify(result)))) where.logger.warn('a result was already published; keeping the first');
    } catch (e) {
      where.logger.warn(`could not publish the result in ZooKeeper: ${(e as Error).message}`);
    }
  }
  process.stderr.write(`${formatResultLine(result)}\n`);
}
