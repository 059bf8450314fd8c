import net from 'node:net';
import { TBinaryProtocol, TFramedTransport, Thrift } from 'thrift';

/** A bare TCP connection for sending bytes no Thrift client would send. */
export interface RawConnection {
  send(bytes: Buffer): void;
  /** Half-closes our side (FIN). */
  end(): void;
  received(): Buffer;
  /** Resolves when the server has closed the connection. */
  closed: Promise<void>;
  isClosed(): boolean;
  destroy(): void;
}

export async function openRaw(port: number): Promise<RawConnection> {
  const socket = net.connect(port, '127.0.0.1');
  await new Promise<void>((resolve, reject) => { socket.once('connect', resolve); socket.once('error', reject); });
  const chunks: Buffer[] = [];
  let isClosed = false;
  socket.on('data', (d) => chunks.push(d));
  socket.on('error', () => undefined);
  const closed = new Promise<void>((resolve) => socket.once('close', () => { isClosed = true; resolve(); }));
  return {
    send: (b) => { socket.write(b); },
    end: () => socket.end(),
    received: () => Buffer.concat(chunks),
    closed,
    isClosed: () => isClosed,
    destroy: () => socket.destroy(),
  };
}

/** Waits until `raw` has received a whole reply of at least `min` bytes, or the connection closed. */
export async function replyOrClose(raw: RawConnection, min = 1): Promise<void> {
  for (let i = 0; i < 400 && !raw.isClosed() && raw.received().length < min; i++) await new Promise((r) => setTimeout(r, 25));
}

/** The header of a reply and a protocol positioned on its body. */
export function readReply(buf: Buffer): { name: string; type: number; seqid: number; body: TBinaryProtocol } {
  const p = new TBinaryProtocol(new TFramedTransport(buf));
  const h = p.readMessageBegin();
  return { name: h.fname, type: h.mtype, seqid: h.rseqid, body: p };
}

export const MessageType = Thrift.MessageType;
