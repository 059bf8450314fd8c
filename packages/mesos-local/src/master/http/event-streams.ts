import { randomUUID } from 'node:crypto';
import type { ServerResponse } from 'node:http';
import { AGENT_LINK_HEADER } from '../../protocol/agent-link';
import { events } from '../../protocol/events';
import type { MasterInfoJson } from '../../protocol/mesos-types';
import { RecordStream } from './record-stream';

/** A SUBSCRIBE's answer: 200 and a RecordIO stream of events under a new Mesos-Stream-Id. */
export function openSchedulerStream(res: ServerResponse): RecordStream {
  const stream = new RecordStream(res, randomUUID());
  stream.open({ 'Mesos-Stream-Id': stream.id });
  return stream;
}

/** Starts a subscribed framework's stream: SUBSCRIBED, a first HEARTBEAT, then one per interval. */
export function startSubscribedStream(stream: RecordStream, frameworkId: string, heartbeatSeconds: number, master: MasterInfoJson): void {
  stream.send(events.subscribed(frameworkId, heartbeatSeconds, master));
  stream.send(events.heartbeat());
  stream.repeat(heartbeatSeconds * 1000, () => events.heartbeat());
}

/** An agent's registration answer: the stream its commands come on, under a new link id. */
export function openAgentCommandStream(res: ServerResponse): RecordStream {
  const stream = new RecordStream(res, randomUUID());
  stream.open({ [AGENT_LINK_HEADER]: stream.id });
  return stream;
}
