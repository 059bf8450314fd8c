/**
 * What the native remote shell (native/remote-shell.c) and the launcher task (io/remote-shell-server.ts)
 * say over their Unix socket. Request: u32 count, then count times (u32 length, bytes), big-endian:
 * the remote shell's arguments as ssh got them. Replies: 'M' u32 length bytes (a line for the remote
 * shell's stderr), then 'X' u8 (its exit code).
 */
export const REMOTE_SHELL_SOCKET_VARIABLE = 'MSCHED_GANG_REMOTE_SHELL_SOCKET';

/** Far above any MPI daemon command line; a peer sending more is not a remote shell. */
const MAX_ARGS = 4096;
const MAX_BYTES = 1 << 20;

export class RemoteShellProtocolError extends Error {}

export function encodeRequest(args: readonly string[]): Buffer {
  const parts = [u32(args.length)];
  for (const a of args) {
    const b = Buffer.from(a, 'utf8');
    parts.push(u32(b.length), b);
  }
  return Buffer.concat(parts);
}

function u32(n: number): Buffer {
  const b = Buffer.alloc(4);
  b.writeUInt32BE(n);
  return b;
}

/** Collects a request from the chunks a stream delivers; the arguments once complete. */
export class RequestDecoder {
  private buf = Buffer.alloc(0);

  feed(chunk: Buffer): string[] | undefined {
    this.buf = Buffer.concat([this.buf, chunk]);
    if (this.buf.length > MAX_BYTES) throw new RemoteShellProtocolError(`request larger than ${MAX_BYTES} bytes`);
    if (this.buf.length < 4) return undefined;
    const count = this.buf.readUInt32BE(0);
    if (count > MAX_ARGS) throw new RemoteShellProtocolError(`request with ${count} arguments`);
    const args: string[] = [];
    let at = 4;
    for (let i = 0; i < count; i++) {
      if (this.buf.length < at + 4) return undefined;
      const len = this.buf.readUInt32BE(at);
      if (this.buf.length < at + 4 + len) return undefined;
      args.push(this.buf.toString('utf8', at + 4, at + 4 + len));
      at += 4 + len;
    }
    if (at !== this.buf.length) throw new RemoteShellProtocolError('bytes after the request');
    return args;
  }
}

export function encodeMessage(text: string): Buffer {
  const b = Buffer.from(text, 'utf8');
  return Buffer.concat([Buffer.from('M'), u32(b.length), b]);
}

export function encodeExit(code: number): Buffer {
  if (!Number.isInteger(code) || code < 0 || code > 255) throw new RangeError(`exit code ${code} is not 0-255`);
  return Buffer.from([0x58 /* X */, code]);
}
