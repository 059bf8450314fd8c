import { randomUUID } from 'node:crypto';
import {
  ComputationalResourceSchedulingModel, DataType, ExperimentModel, ExperimentType, InputDataObjectType,
  OutputDataObjectType, UserConfigurationDataModel,
} from '@msched/airavata-thrift';

/**
 * The experiment the demo launches, built the way Airavata's orchestrator fills ExperimentModel:
 * 4 MPI ranks on 2 nodes, an integer input passed as an argument, a string input with shell
 * metacharacters (it must reach the program literally), stdout and a result file as outputs.
 */
export function demoExperiment(gatewayId: string): ExperimentModel {
  const experimentId = `DemoPi_${randomUUID()}`;
  return new ExperimentModel({
    experimentId,
    projectId: 'demo-project',
    gatewayId,
    experimentType: ExperimentType.SINGLE_APPLICATION,
    userName: 'demo-user',
    experimentName: 'pi over 4 MPI ranks on 2 agents',
    description: 'msched demo: OpenMPI across Mesos agents, launched over Thrift',
    executionId: 'mpi-pi',
    userConfigurationData: new UserConfigurationDataModel({
      airavataAutoSchedule: false,
      overrideManualScheduledParams: false,
      computationalResourceScheduling: new ComputationalResourceSchedulingModel({
        resourceHostId: 'mesos-local', totalCPUCount: 4, nodeCount: 2, numberOfThreads: 1, queueName: 'normal', wallTimeLimit: 10, totalPhysicalMemory: 512,
      }),
    }),
    experimentInputs: [
      new InputDataObjectType({ name: 'steps', value: '20000000', type: DataType.INTEGER, inputOrder: 1, isRequired: true, requiredToAddedToCommandLine: true }),
      new InputDataObjectType({ name: 'label', value: 'demo; rm -rf / $(whoami)', type: DataType.STRING, inputOrder: 2, requiredToAddedToCommandLine: true }),
    ],
    experimentOutputs: [
      new OutputDataObjectType({ name: 'console', type: DataType.STDOUT }),
      new OutputDataObjectType({ name: 'result', type: DataType.URI, value: 'result.txt' }),
    ],
  });
}
