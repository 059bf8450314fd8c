import { rmSync } from 'node:fs';
import { createServer, type Server, type Socket } from 'node:net';
import type { Logger } from '@msched/logging';
import type { GangZk } from './gang-zk';
import { CONNECTION_FAILED, placeRemoteCall, type RemoteCall } from '../remote-shell';
import { encodeExit, encodeMessage, RequestDecoder } from '../remote-shell-protocol';
import type { GangPaths } from '../rendezvous-layout';

export interface RemoteShellServerOptions {
  readonly zk: GangZk;
  /** See presenceGraceMs in roles/context.ts. */
  readonly presenceGraceMs: number;
  readonly paths: GangPaths;
  readonly logger: Logger;
  /** In a folder only the task's user can enter: whoever connects can ask for MPI daemons. */
  readonly socketPath: string;
}

/**
 * The launcher task's side of the native remote shell (native/remote-shell.c): each connection is
 * one ssh-like call, placed with the task's own ZooKeeper session; the answer is the daemon's exit
 * code. A connection closing before its answer (the remote shell was signalled or died) asks the
 * remote task to stop the daemon, as the node remote shell does on a signal.
 */
export class RemoteShellServer {
  private server?: Server;
  private readonly sockets = new Set<Socket>();

  constructor(private readonly o: RemoteShellServerOptions) {}

  async listen(): Promise<void> {
    rmSync(this.o.socketPath, { force: true });
    const server = createServer((socket) => this.serve(socket));
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(this.o.socketPath, () => {
        server.off('error', reject);
        resolve();
      });
    });
    server.on('error', (e) => this.o.logger.error(`remote shell socket: ${e.message}`));
    this.server = server;
  }

  close(): void {
    this.server?.close();
    for (const s of this.sockets) s.destroy();
    rmSync(this.o.socketPath, { force: true });
  }

  private serve(socket: Socket): void {
    this.sockets.add(socket);
    const decoder = new RequestDecoder();
    let requested = false;
    let answered = false;
    let closed = false;
    let call: RemoteCall | undefined;
    const say = (message: string) => {
      if (!closed) socket.write(encodeMessage(message));
    };
    const answer = (code: number) => {
      answered = true;
      if (!closed) socket.end(encodeExit(code));
    };
    socket.on('error', () => undefined);
    socket.on('close', () => {
      closed = true;
      this.sockets.delete(socket);
      if (call && !answered) call.giveUp('the remote shell went away');
    });
    socket.on('data', (chunk: Buffer) => {
      if (requested) return;
      let args: string[] | undefined;
      try {
        args = decoder.feed(chunk);
      } catch (e) {
        this.o.logger.error(`refused a remote shell call: ${(e as Error).message}`);
        say((e as Error).message);
        return answer(CONNECTION_FAILED);
      }
      if (!args) return;
      requested = true;
      placeRemoteCall(this.o.zk, this.o.paths, args, say, { presenceGraceMs: this.o.presenceGraceMs }).then((placed) => {
        call = placed;
        if (closed) placed.giveUp('the remote shell went away');
        return placed.exit.then(answer);
      }, (e: Error) => {
        this.o.logger.error(`refused a remote shell call: ${e.message}`);
        say(e.message);
        answer(CONNECTION_FAILED);
      });
    });
  }
}
