import { endTagged } from '../io/proc-tag';
import { publishResult } from '../io/result-sink';
import type { GangResult } from '../result';
import { removeScratch, type TaskContext } from './context';

/**
 * Ends every process this task started, then publishes the verdict: once the result is visible the
 * job is over, so nothing of it may still be running on this agent by then.
 */
export async function conclude(ctx: TaskContext, result: GangResult): Promise<number> {
  const ended = await endTagged(ctx.tag, ctx.gang.killGraceMs);
  if (ended > 0) ctx.logger.info(`ended ${ended} leftover process(es) of this task`);
  removeScratch(ctx);
  const log = result.state === 'COMPLETED' ? ctx.logger.info.bind(ctx.logger) : ctx.logger.error.bind(ctx.logger);
  log(`job ${result.state}: ${result.message}`, { exitCode: result.exitCode, reason: result.reason, failedRank: result.failedRank });
  await publishResult(result, { zk: ctx.zk, resultPath: ctx.paths.result, sandbox: ctx.gang.sandbox, logger: ctx.logger });
  return result.exitCode;
}
