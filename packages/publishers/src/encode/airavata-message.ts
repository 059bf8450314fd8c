import {
  DataType, encodeStruct, enumValue, ExperimentStatusChangeEvent, JobIdentifier, JobStatusChangeEvent, Message,
  MessageLevel, MessageType, OutputDataObjectType, ProcessIdentifier, ProcessStatusChangeEvent, TaskIdentifier,
  TaskOutputChangeEvent, TaskStatusChangeEvent, toInt64,
} from '@msched/airavata-thrift';
import { stateValue } from '@msched/state-model';
import type { OutputsEvent, StatusEvent } from '@msched/model';
import { EncodeError } from '../errors';
import type { PublishedEvent } from './event';
import { EXPERIMENT_HEADER, MESSAGE_ID_HEADER, OutboundMessage } from './outbound';
import { routingKey, RoutedType } from './routing-key';

/**
 * Our status events as Airavata messaging events (messaging_events.thrift): the *ChangeEvent is
 * serialized with TBinaryProtocol into Message.event, and the Message is serialized again as the
 * body, exactly what Airavata's RabbitMQ publisher sends. Pure: same event in, same bytes out.
 */
export const THRIFT_CONTENT_TYPE = 'application/x-thrift';

/** Message ids: the envelope id, plus `#n` only if one event ever yields several messages. */
export function messageIdFor(envelopeId: string, index: number, count: number): string {
  return count === 1 ? envelopeId : `${envelopeId}#${index}`;
}

export function encodeMessagingEvent(pe: PublishedEvent): OutboundMessage[] {
  const parts = pe.kind === 'status' ? [statusPart(pe.event)] : [outputsPart(pe.event)];
  return parts.map((part, i) => {
    const id = messageIdFor(pe.envelopeId, i, parts.length);
    const message = new Message({
      event: encodeStruct(part.event),
      messageId: id,
      messageType: MessageType[part.type],
      updatedTime: toInt64(pe.timeMs),
      messageLevel: MessageLevel.INFO,
    });
    const headers: Record<string, string> = {
      [MESSAGE_ID_HEADER]: id,
      messageType: part.type,
      [EXPERIMENT_HEADER]: pe.event.experimentId,
      ...part.headers,
    };
    return {
      id, key: routingKey(part.type, part.ids), value: encodeStruct(message), experimentId: pe.event.experimentId,
      type: part.type, contentType: THRIFT_CONTENT_TYPE, time: pe.timeMs, headers,
    };
  });
}

interface Part {
  type: RoutedType;
  event: object;
  ids: StatusEvent | OutputsEvent;
  /** What the Thrift event has no field for (the state name, the failure reason) travels as headers. */
  headers: Record<string, string>;
}

function statusPart(ev: StatusEvent): Part {
  const headers: Record<string, string> = { state: ev.state };
  if (ev.reason) headers.reason = ev.reason;
  const state = stateValue(ev.entity, ev.state);
  const gatewayId = ev.gatewayId;
  const experimentId = ev.experimentId;
  switch (ev.entity) {
    case 'experiment':
      return { type: 'EXPERIMENT', ids: ev, headers, event: new ExperimentStatusChangeEvent({ state, experimentId, gatewayId }) };
    case 'process':
      return {
        type: 'PROCESS', ids: ev, headers,
        event: new ProcessStatusChangeEvent({ state, processIdentity: new ProcessIdentifier({ processId: ev.processId!, experimentId, gatewayId }) }),
      };
    case 'task':
      return {
        type: 'TASK', ids: ev, headers,
        event: new TaskStatusChangeEvent({ state, taskIdentity: new TaskIdentifier({ taskId: ev.taskId!, processId: ev.processId!, experimentId, gatewayId }) }),
      };
    case 'job':
      return {
        type: 'JOB', ids: ev, headers,
        event: new JobStatusChangeEvent({
          state,
          jobIdentity: new JobIdentifier({ jobId: ev.jobId!, taskId: ev.taskId!, processId: ev.processId!, experimentId, gatewayId }),
        }),
      };
  }
}

function outputsPart(ev: OutputsEvent): Part {
  const output = ev.outputs.map((o) => new OutputDataObjectType({ name: o.name, value: o.value, type: dataType(o.type) }));
  return {
    type: 'PROCESSOUTPUT', ids: ev, headers: {},
    event: new TaskOutputChangeEvent({
      output,
      taskIdentity: new TaskIdentifier({ taskId: ev.taskId, processId: ev.processId, experimentId: ev.experimentId, gatewayId: ev.gatewayId }),
    }),
  };
}

function dataType(name: string | undefined): DataType | undefined {
  if (name === undefined) return undefined;
  try {
    return enumValue(DataType, name, 'DataType');
  } catch {
    throw new EncodeError(`output type ${JSON.stringify(name)} is not an Airavata DataType`);
  }
}
