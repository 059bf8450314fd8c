/**
 * Every failure this package reports is one of these classes. `retriable` tells the caller whether
 * trying the same thing again later can help (a master still electing a leader) or not (a body the
 * master refuses will be refused again).
 */
export abstract class MesosError extends Error {
  abstract readonly retriable: boolean;
  constructor(message: string) {
    super(message);
    this.name = new.target.name;
  }
}

/** HTTP status codes of the scheduler endpoint that say the call itself is wrong (mesos-v1.md, Wire). */
const NON_RETRIABLE_STATUS = new Set([400, 403, 404, 405, 406, 415, 501]);

/** The master answered a call with a status other than 200/202. */
export class MesosCallError extends MesosError {
  readonly retriable: boolean;
  constructor(
    readonly callType: string,
    readonly status: number,
    /** The master's own words (the body of its answer), trimmed. */
    readonly body: string,
    readonly master: string,
  ) {
    super(`${callType} to ${master} answered ${status}${body ? `: ${body}` : ''}`);
    // 307 means the master stopped leading: the call must go to the new leader over a new stream.
    this.retriable = !NON_RETRIABLE_STATUS.has(status) && (status >= 500 || status === 307 || status === 429);
  }
}

/** The request never got an HTTP answer: refused connection, reset, timeout. */
export class MesosConnectionError extends MesosError {
  readonly retriable = true;
  constructor(message: string, override readonly cause?: unknown) {
    super(message);
  }
}

/** A call was made while no subscription is open (connecting, failing over, or stopped). */
export class MesosNotSubscribedError extends MesosError {
  readonly retriable = true;
  constructor(callType: string) {
    super(`cannot send ${callType}: the scheduler is not subscribed to a master right now`);
  }
}

/** Bytes or JSON from the master that do not follow the protocol. Reconnecting is the only cure. */
export class MesosProtocolError extends MesosError {
  readonly retriable = false;
}

/** A master URL that cannot be used (wrong scheme, no path, credentials we cannot honour). */
export class MasterUrlError extends MesosError {
  readonly retriable = false;
}

/** No master is leading right now (no json.info_ node, or 503 from the redirect endpoint). */
export class NoLeaderError extends MesosError {
  readonly retriable = true;
}

/** The master's ERROR event: the framework was refused, removed or failed over to another scheduler. */
export class FrameworkErrorEvent extends MesosError {
  readonly retriable = false;
}
