import assert from 'node:assert/strict';
import {
  decodeStruct, encodeStruct, exampleExperiment, ExperimentModel, ExperimentState, ExperimentStatus, ProcessModel,
  StructDecodeError, TaskModel, TaskStatus, TaskState, TaskTypes, toInt64, toPlain, JobModel,
  AiravataWorkflow, ApplicationState, ApplicationStatus, ComponentType, DataBlock, DataType, ExperimentType, HandlerType,
  OutputDataObjectType, WorkflowApplication, WorkflowConnection, WorkflowHandler, WorkflowExecutionState, WorkflowStatus,
} from '@msched/airavata-thrift';
import { Bytes, T } from './wire';

/** Encodes `struct`, then splices `extra` field bytes in just before its closing STOP byte. */
function withExtraFields(struct: object, extra: Buffer): Buffer {
  const bytes = encodeStruct(struct);
  assert.equal(bytes[bytes.length - 1], T.STOP);
  return Buffer.concat([bytes.subarray(0, bytes.length - 1), extra, Buffer.from([T.STOP])]);
}

/** An AiravataWorkflow-shaped struct: strings, a nested list of structs, a map, an i64. */
function workflowLikeField(id: number): Buffer {
  return new Bytes()
    .field(T.STRUCT, id)
    .field(T.STRING, 1).str('WF_1234')
    .field(T.STRING, 2).str('<dag/>')
    .field(T.LIST, 3).i8(T.STRUCT).i32(2)
    .field(T.STRING, 1).str('app-a').field(T.I32, 2).i32(7).stop()
    .field(T.STRING, 1).str('app-b').field(T.LIST, 3).i8(T.I64).i32(1).i64(5).stop()
    .field(T.MAP, 4).i8(T.STRING).i8(T.STRING).i32(1).str('k').str('v')
    .field(T.I64, 5).i64(1_763_780_000_000)
    .stop()
    .build();
}

describe('decoding Airavata structs', () => {
  it('round-trips a full ExperimentModel, i64 and nested structs included', () => {
    const exp = exampleExperiment({ experimentId: 'Exp_round' });
    exp.experimentStatus = [new ExperimentStatus({ state: ExperimentState.CREATED, timeOfStateChange: toInt64(1_763_780_000_123), reason: 'made' })];
    exp.processes = [new ProcessModel({ processId: 'P1', experimentId: 'Exp_round', creationTime: toInt64(5), tasks: [
      new TaskModel({ taskId: 'T1', taskType: TaskTypes.JOB_SUBMISSION, parentProcessId: 'P1', creationTime: toInt64(1), lastUpdateTime: toInt64(2),
        taskStatuses: [new TaskStatus({ state: TaskState.EXECUTING })], subTaskModel: Buffer.from('opaque'),
        jobs: [new JobModel({ jobId: 'J1', taskId: 'T1', processId: 'P1', jobDescription: 'gang of 4' })] }),
    ] })];
    const back = decodeStruct(ExperimentModel, encodeStruct(exp));
    assert.deepEqual(toPlain(back), toPlain(exp));
    assert.equal(toPlain(back).experimentStatus?.[0].timeOfStateChange, 1_763_780_000_123);
    assert.equal(toPlain(back).processes?.[0].tasks?.[0].subTaskModel, Buffer.from('opaque').toString('base64'));
  });

  it('skips a field id ExperimentModel does not have (21), and keeps every other field', () => {
    const exp = exampleExperiment({ experimentId: 'Exp_wf' });
    const back = decodeStruct(ExperimentModel, withExtraFields(exp, workflowLikeField(21)));
    assert.deepEqual(toPlain(back), toPlain(exp));
    assert.equal((back as unknown as Record<string, unknown>)['21'], undefined);
  });

  it('decodes field 20 as the AiravataWorkflow, skipping its fields of the wrong wire type', () => {
    const exp = exampleExperiment({ experimentId: 'Exp_wf20' });
    const back = decodeStruct(ExperimentModel, withExtraFields(exp, workflowLikeField(20)));
    // Ids 1 and 2 are AiravataWorkflow.id and .experimentId; 3 (description) and 4 (applications)
    // arrive with other wire types and are skipped.
    assert.deepEqual(toPlain(back.workflow), { id: 'WF_1234', experimentId: '<dag/>' });
    assert.deepEqual({ ...toPlain(back), workflow: undefined }, { ...toPlain(exp), workflow: undefined });
  });

  it('round-trips a whole AiravataWorkflow: applications, handlers, connections, statuses', () => {
    const exp = exampleExperiment({ experimentId: 'Exp_dag' });
    exp.experimentType = ExperimentType.WORKFLOW;
    exp.workflow = new AiravataWorkflow({
      id: 'WF_dag', experimentId: 'Exp_dag', description: 'pre -> solve',
      applications: [new WorkflowApplication({ id: 'pre', processId: 'P_pre', applicationInterfaceId: 'prep', queueName: 'normal', nodeCount: 1, coreCount: 1, wallTimeLimit: 5, physicalMemory: 64,
        statuses: [new ApplicationStatus({ state: ApplicationState.COMPLETED, updatedAt: toInt64(7) })] })],
      handlers: [new WorkflowHandler({ id: 'start', type: HandlerType.FLOW_STARTER, outputs: [new OutputDataObjectType({ name: 'mesh', value: '/data/m', type: DataType.URI })] })],
      connections: [new WorkflowConnection({ id: 'c1', dataBlock: new DataBlock({ id: 'd1', value: 'x', type: DataType.STRING }), fromType: ComponentType.HANDLER, fromId: 'start', fromOutputName: 'mesh',
        toType: ComponentType.APPLICATION, toId: 'pre', toInputName: 'mesh' })],
      statuses: [new WorkflowStatus({ state: WorkflowExecutionState.RESTARTING })],
    });
    const back = decodeStruct(ExperimentModel, encodeStruct(exp));
    assert.deepEqual(toPlain(back), toPlain(exp));
    assert.equal(back.workflow?.statuses?.[0].state, 7);
  });

  it('skips unknown fields wherever they sit, also inside nested structs', () => {
    // Field 20 first, then the known fields: the decoder must not depend on field order.
    const known = encodeStruct(new ProcessModel({ processId: 'P9', experimentId: 'E9', computeResourceId: 'mesos-local' }));
    const bytes = Buffer.concat([
      new Bytes().field(T.LIST, 27).i8(T.STRUCT).i32(1)
        .field(T.STRING, 1).str('P9').field(T.STRING, 2).str('WF').field(T.I64, 3).i64(9).stop().build(),
      workflowLikeField(99),
      known,
    ]);
    const back = decodeStruct(ProcessModel, bytes);
    assert.equal(back.processId, 'P9');
    assert.equal(back.experimentId, 'E9');
    assert.equal(back.computeResourceId, 'mesos-local');
  });

  it('skips a known field that arrives with the wrong wire type instead of failing', () => {
    const bytes = new Bytes()
      .field(T.STRING, 1).str('Exp_types')
      .field(T.I32, 2).i32(42) // projectId must be a string
      .field(T.STRING, 3).str('gw')
      .field(T.STRING, 14).str('not a struct') // userConfigurationData must be a struct
      .field(T.STRING, 5).str('bob')
      .stop().build();
    const back = decodeStruct(ExperimentModel, bytes);
    assert.equal(back.experimentId, 'Exp_types');
    assert.equal(back.projectId, null);
    assert.equal(back.userConfigurationData, null);
    assert.equal(back.gatewayId, 'gw');
    assert.equal(back.userName, 'bob');
  });

  it('fails with StructDecodeError on truncated bytes', () => {
    const bytes = encodeStruct(exampleExperiment());
    assert.throws(() => decodeStruct(ExperimentModel, bytes.subarray(0, bytes.length - 10)), StructDecodeError);
  });
});

describe('toPlain', () => {
  it('turns i64 into numbers, binary into base64, drops unset fields and methods', () => {
    const t = new TaskModel({ taskId: 'T', taskType: TaskTypes.ENV_SETUP, parentProcessId: 'P', creationTime: toInt64(10),
      lastUpdateTime: toInt64(11), taskStatuses: [], subTaskModel: Buffer.from([0xff]) });
    assert.deepEqual(toPlain(t), { taskId: 'T', taskType: 0, parentProcessId: 'P', creationTime: 10, lastUpdateTime: 11, taskStatuses: [], subTaskModel: '/w==' });
    assert.equal(JSON.parse(JSON.stringify(toPlain(t))).creationTime, 10);
  });
});
