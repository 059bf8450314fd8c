import type { ServerResponse } from 'node:http';
import { encodeRecord } from '../../protocol/recordio';

/**
 * One streaming HTTP response framed as RecordIO: the scheduler event stream of a framework, or
 * the command stream of an agent link. Knows whether it was closed by us or by the peer.
 */
export class RecordStream {
  private ended = false;
  private readonly closeHandlers: Array<(byPeer: boolean) => void> = [];
  private timer: NodeJS.Timeout | undefined;

  constructor(private readonly res: ServerResponse, readonly id: string) {
    res.socket?.setNoDelay(true);
    res.on('close', () => {
      const byPeer = !this.ended;
      this.ended = true;
      this.stopRepeating();
      this.closeHandlers.forEach((h) => h(byPeer));
    });
  }

  /** Sends the 200 with the stream headers. */
  open(headers: Record<string, string>): void {
    this.res.writeHead(200, { 'Content-Type': 'application/json', 'Cache-Control': 'no-cache', ...headers });
    // Flush the headers now: a client learns the stream id before any event arrives.
    this.res.flushHeaders();
  }

  get isOpen(): boolean {
    return !this.ended && !this.res.destroyed;
  }

  send(message: unknown): void {
    if (!this.isOpen) return;
    this.res.write(encodeRecord(JSON.stringify(message)));
  }

  /** Sends `make()` every `ms` until the stream closes (heartbeats). */
  repeat(ms: number, make: () => unknown): void {
    this.stopRepeating();
    this.timer = setInterval(() => this.send(make()), ms);
    this.timer.unref();
  }

  onClose(handler: (byPeer: boolean) => void): void {
    this.closeHandlers.push(handler);
  }

  /** Ends the response cleanly (after a final ERROR, for instance). */
  end(): void {
    if (this.ended) return;
    this.ended = true;
    this.stopRepeating();
    this.res.end();
  }

  /** Drops the connection without a clean end, as a crashed master or a broken network would. */
  cut(): void {
    this.ended = true;
    this.stopRepeating();
    this.res.socket?.destroy();
    this.res.destroy();
  }

  private stopRepeating(): void {
    if (this.timer) clearInterval(this.timer);
    this.timer = undefined;
  }
}
