import { randomUUID } from 'node:crypto';
import {
  ComputationalResourceSchedulingModel, DataType, ExperimentModel, ExperimentType, InputDataObjectType,
  OutputDataObjectType, UserConfigurationDataModel,
} from './generated';
import { toInt64 } from './int64';

export interface ExampleExperimentOptions {
  experimentId?: string;
  gatewayId?: string;
  userName?: string;
  resourceHostId?: string;
  queueName?: string;
  totalCPUCount?: number;
  nodeCount?: number;
  wallTimeLimit?: number;
  totalPhysicalMemory?: number;
  applicationInterfaceId?: string;
}

/**
 * A well-formed experiment as Airavata's orchestrator would send it: an MPI run with typed inputs
 * and outputs. For tests, the benchmark and demos; every field can be changed afterwards.
 */
export function exampleExperiment(o: ExampleExperimentOptions = {}): ExperimentModel {
  const experimentId = o.experimentId ?? `Exp_${randomUUID()}`;
  return new ExperimentModel({
    experimentId,
    projectId: 'default-project',
    gatewayId: o.gatewayId ?? 'test-gateway',
    experimentType: ExperimentType.SINGLE_APPLICATION,
    userName: o.userName ?? 'alice',
    experimentName: `example ${experimentId}`,
    creationTime: toInt64(1_763_780_000_000),
    description: 'an MPI ring over four ranks',
    executionId: o.applicationInterfaceId ?? 'mpi-ring',
    userConfigurationData: new UserConfigurationDataModel({
      airavataAutoSchedule: false,
      overrideManualScheduledParams: false,
      experimentDataDir: `/data/${experimentId}`,
      computationalResourceScheduling: new ComputationalResourceSchedulingModel({
        resourceHostId: o.resourceHostId ?? 'mesos-local',
        totalCPUCount: o.totalCPUCount ?? 4,
        nodeCount: o.nodeCount ?? 2,
        numberOfThreads: 1,
        queueName: o.queueName ?? 'normal',
        wallTimeLimit: o.wallTimeLimit ?? 10,
        totalPhysicalMemory: o.totalPhysicalMemory ?? 1024,
      }),
    }),
    experimentInputs: [
      new InputDataObjectType({ name: 'iterations', value: '1000', type: DataType.INTEGER, applicationArgument: '-n', inputOrder: 1, isRequired: true }),
      new InputDataObjectType({ name: 'tolerance', value: '0.001', type: DataType.FLOAT, applicationArgument: '-t', inputOrder: 2 }),
      new InputDataObjectType({ name: 'config', value: 'file:///etc/hostname', type: DataType.URI, inputOrder: 3 }),
      new InputDataObjectType({ name: 'label', value: 'ring', type: DataType.STRING, inputOrder: 4 }),
    ],
    experimentOutputs: [
      new OutputDataObjectType({ name: 'stdout', type: DataType.STDOUT }),
      new OutputDataObjectType({ name: 'result', type: DataType.URI, value: 'result.txt' }),
    ],
  });
}
