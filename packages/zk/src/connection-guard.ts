// node-zookeeper-client ships no types for its connection manager: only the members used here.
// eslint-disable-next-line @typescript-eslint/no-require-imports
const ConnectionManager = require('node-zookeeper-client/lib/ConnectionManager') as {
  prototype: {
    pendingBuffer: Buffer | null;
    socket?: { destroy(): void };
    onSocketData(this: ConnectionManagerLike, buffer: Buffer): void;
    onSocketClosed(this: ConnectionManagerLike, hasError: boolean): void;
    __mschedGuarded?: boolean;
  };
};
type ConnectionManagerLike = typeof ConnectionManager.prototype;

/**
 * Two faults of node-zookeeper-client 1.1.3 (unmaintained upstream), fixed where they live:
 * - it keeps the unread part of a response across a lost connection, so the next connection's
 *   first bytes are framed after a stale partial packet: the client then waits for bytes that never
 *   come, or reads garbage as an error code;
 * - it parses responses inside the socket's 'data' handler and throws on garbage ("Unknown code:
 *   -71630848"), an uncaught exception that ends the whole process (seen in a test that restarts
 *   ZooKeeper; upstream issues #23, #39, #70).
 * Here a closed connection forgets its partial response, and a response that cannot be parsed
 * drops the connection instead (the library then reconnects and fails the requests in flight with
 * CONNECTION_LOSS, which callers already retry). Applied once, when this package loads.
 */
function guardConnections(): void {
  const proto = ConnectionManager.prototype;
  if (proto.__mschedGuarded) return;
  proto.__mschedGuarded = true;
  const onSocketData = proto.onSocketData;
  const onSocketClosed = proto.onSocketClosed;
  proto.onSocketClosed = function (hasError) {
    this.pendingBuffer = null;
    onSocketClosed.call(this, hasError);
  };
  proto.onSocketData = function (buffer) {
    try {
      onSocketData.call(this, buffer);
    } catch {
      this.pendingBuffer = null;
      this.socket?.destroy();
    }
  };
}

guardConnections();
