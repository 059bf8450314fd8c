import type { AuthzToken } from '../gen-nodejs/security_model_types';
import type { ExperimentModel } from '../gen-nodejs/experiment_model_types';
import type { ExperimentStatus, ProcessStatus } from '../gen-nodejs/status_models_types';
import type { JobModel } from '../gen-nodejs/job_model_types';
import type { LaunchResult } from '../gen-nodejs/metascheduler_types';

/**
 * MetaSchedulerService as TypeScript sees it. The server's handler implements it (the generated
 * processor calls each method with exactly these arguments and awaits the promise); clients call it.
 * A method rejects with one of the exceptions its IDL declares.
 */
export interface MetaSchedulerApi {
  getAPIVersion(): Promise<string>;
  launchExperiment(authzToken: AuthzToken, experiment: ExperimentModel): Promise<LaunchResult>;
  validateExperiment(authzToken: AuthzToken, experiment: ExperimentModel): Promise<boolean>;
  terminateExperiment(authzToken: AuthzToken, experimentId: string, gatewayId: string): Promise<void>;
  getExperimentStatus(authzToken: AuthzToken, experimentId: string): Promise<ExperimentStatus>;
  getProcessStatus(authzToken: AuthzToken, processId: string): Promise<ProcessStatus>;
  getJobs(authzToken: AuthzToken, experimentId: string): Promise<JobModel[]>;
}

export const API_METHODS = [
  'getAPIVersion', 'launchExperiment', 'validateExperiment', 'terminateExperiment',
  'getExperimentStatus', 'getProcessStatus', 'getJobs',
] as const satisfies ReadonlyArray<keyof MetaSchedulerApi>;
