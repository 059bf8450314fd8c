import { randomUUID } from 'node:crypto';
import type { DataSource } from 'typeorm';
import {
  AiravataSystemException, AuthzToken, ExperimentModel, ExperimentStatus, JobModel, LaunchResult, METASCHEDULER_API_VERSION, MetaSchedulerApi, ProcessStatus,
  UnknownEnumValueError,
} from '@msched/airavata-thrift';
import { isRetriableDbError } from '@msched/db';
import { forJob, Logger } from '@msched/logging';
import type { Metrics } from '@msched/observability';
import { requireAccess } from '../auth/access';
import type { Authorizer } from '../auth/authorizer';
import { ApiError, InternalFault, InvalidRequest, ValidationFailed } from '../errors';
import { IdSource, randomIds } from '../launch/ids';
import { LaunchPlan, planLaunch } from '../launch/plan';
import { LaunchOutcome, recordLaunch, recordLaunchWithinQuota } from '../launch/record-launch';
import { experimentJobs, experimentStatus, processStatus } from '../status/queries';
import { terminateExperiment } from '../terminate/terminate';
import type { LaunchPolicy } from '../validation/policy';
import { validateLaunch } from '../validation/validate';
import { launchWorkflow } from '../workflow/launch-workflow';
import { isWorkflowExperiment } from '../workflow/to-spec';
import { toLaunchValidationException, toThriftError } from './to-thrift-error';

export interface HandlerDeps {
  ds: DataSource;
  authorize: Authorizer;
  policy: LaunchPolicy;
  /** Gateway id → most launches it may have waiting to run (absent: unlimited). */
  maxWaitingGangs?: Readonly<Record<string, number>>;
  logger: Logger;
  metrics?: Pick<Metrics, 'launches'>;
  ids?: IdSource;
  now?: () => Date;
  /** Writes a planned launch (default: alone; the app passes its group commit). */
  recordLaunch?: (plan: LaunchPlan) => Promise<LaunchOutcome>;
  /** Called after a call committed outbox rows (wakes the relay). */
  afterCommit?: () => void;
}

function asFault(e: unknown): ApiError {
  if (e instanceof ApiError) return e;
  if (e instanceof UnknownEnumValueError) return new InternalFault(`the job database holds ${e.message}`, false, e);
  return new InternalFault((e as Error)?.message ?? String(e), isRetriableDbError(e), e);
}

function requireId(value: unknown, what: string): string {
  if (typeof value !== 'string' || value.trim() === '') throw new InvalidRequest(`${what} is missing`);
  return value;
}

/**
 * MetaSchedulerService. Every method authorizes, does its one job, and turns any failure into an
 * exception the IDL declares: nothing a client sends can make a method throw anything else. Each
 * method takes exactly the IDL's arguments (the generated processor checks the arity).
 */
export class MetaSchedulerHandler implements MetaSchedulerApi {
  private readonly ids: IdSource;
  private readonly now: () => Date;
  private readonly record: (plan: LaunchPlan) => Promise<LaunchOutcome>;

  constructor(private readonly deps: HandlerDeps) {
    this.ids = deps.ids ?? randomIds;
    this.now = deps.now ?? (() => new Date());
    this.record = deps.recordLaunch ?? ((plan) => recordLaunch(deps.ds, plan));
  }

  private async run<T>(method: string, ctx: Record<string, unknown>, fn: () => Promise<T>): Promise<T> {
    try {
      return await fn();
    } catch (e) {
      const fault = asFault(e);
      const ref = randomUUID();
      const log = forJob(this.deps.logger, ctx);
      if (fault instanceof InternalFault) log.error(`${method} failed (ref ${ref}): ${fault.message}`, { ref, retriable: fault.retriable, stack: (fault.cause as Error)?.stack });
      else log.info(`${method} refused: ${fault.message}`, { refusal: fault.name });
      throw toThriftError(fault, ref);
    }
  }

  async getAPIVersion(): Promise<string> {
    return METASCHEDULER_API_VERSION;
  }

  async launchExperiment(authzToken: AuthzToken, experiment: ExperimentModel): Promise<LaunchResult> {
    let outcome: 'accepted' | 'duplicate' | 'rejected' | 'error' = 'error';
    try {
      return await this.run('launchExperiment', { experimentId: experiment?.experimentId, gatewayId: experiment?.gatewayId }, async () => {
        const who = await this.deps.authorize(authzToken);
        const problems = validateLaunch(experiment, this.deps.policy);
        if (problems.length) throw new ValidationFailed(problems.map((p) => p.message));
        requireAccess(who, 'launch', { gatewayId: experiment.gatewayId, ownerUserName: experiment.userName });
        const quotas = this.deps.maxWaitingGangs ?? {};
        const quota = Object.hasOwn(quotas, experiment.gatewayId) ? quotas[experiment.gatewayId] : undefined;
        const r = isWorkflowExperiment(experiment)
          ? await launchWorkflow(this.deps.ds, experiment, this.deps.policy, this.now(), quota)
          // A gateway with a waiting quota is counted and written under its lock, one launch at a
          // time; the others go through group commit.
          : quota !== undefined
            ? await recordLaunchWithinQuota(this.deps.ds, planLaunch(experiment, this.deps.policy, this.ids, this.now()), quota)
            : await this.record(planLaunch(experiment, this.deps.policy, this.ids, this.now()));
        if (r.created) this.deps.afterCommit?.();
        outcome = r.created ? 'accepted' : 'duplicate';
        if (this.deps.logger.isInfoEnabled()) {
          forJob(this.deps.logger, { experimentId: r.experimentId, processId: r.processId, jobId: r.jobId, gatewayId: experiment.gatewayId })
            .info(r.created ? 'launch accepted' : 'launch repeated: returning the ids of the first one');
        }
        return new LaunchResult(r);
      });
    } catch (e) {
      outcome = e instanceof AiravataSystemException ? 'error' : 'rejected';
      throw e;
    } finally {
      this.deps.metrics?.launches.inc({ outcome });
    }
  }

  async validateExperiment(authzToken: AuthzToken, experiment: ExperimentModel): Promise<boolean> {
    const problems = await this.run('validateExperiment', { experimentId: experiment?.experimentId }, async () => {
      const who = await this.deps.authorize(authzToken);
      const found = validateLaunch(experiment, this.deps.policy);
      if (found.length === 0) requireAccess(who, 'validate', { gatewayId: experiment.gatewayId, ownerUserName: experiment.userName });
      return found;
    });
    if (problems.length) throw toLaunchValidationException(problems, new ValidationFailed(problems.map((p) => p.message)).message);
    return true;
  }

  async terminateExperiment(authzToken: AuthzToken, experimentId: string, gatewayId: string): Promise<void> {
    await this.run('terminateExperiment', { experimentId, gatewayId }, async () => {
      const who = await this.deps.authorize(authzToken);
      const outcome = await terminateExperiment(this.deps.ds, who, requireId(experimentId, 'experimentId'), requireId(gatewayId, 'gatewayId'));
      if (outcome.requested) this.deps.afterCommit?.();
      forJob(this.deps.logger, { experimentId }).info(outcome.requested ? 'termination requested' : `termination repeated: already ${outcome.state}`);
    });
  }

  async getExperimentStatus(authzToken: AuthzToken, experimentId: string): Promise<ExperimentStatus> {
    return this.run('getExperimentStatus', { experimentId }, async () =>
      experimentStatus(this.deps.ds, await this.deps.authorize(authzToken), requireId(experimentId, 'experimentId')));
  }

  async getProcessStatus(authzToken: AuthzToken, processId: string): Promise<ProcessStatus> {
    return this.run('getProcessStatus', { processId }, async () =>
      processStatus(this.deps.ds, await this.deps.authorize(authzToken), requireId(processId, 'processId')));
  }

  async getJobs(authzToken: AuthzToken, experimentId: string): Promise<JobModel[]> {
    return this.run('getJobs', { experimentId }, async () =>
      experimentJobs(this.deps.ds, await this.deps.authorize(authzToken), requireId(experimentId, 'experimentId')));
  }
}
