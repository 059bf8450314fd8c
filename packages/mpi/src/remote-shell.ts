/**
 * Stands in for ssh when mpirun/mpiexec start their daemons: `msched-remote-shell [ssh options] <host> <command>`.
 * Instead of logging in to <host>, the daemon command goes to the gang task on that host through
 * ZooKeeper and, like ssh, the call lasts until that daemon ends and ends with its code (255 when
 * the "connection" fails: unknown host, task gone).
 *
 * placeRemoteCall is the whole of it. Two front ends use it: the launcher task itself, for the
 * native remote shell that reaches it over a Unix socket (io/remote-shell-server.ts: no process
 * start and no ZooKeeper session per call), and this file's node program (runRemoteShell), used
 * where the native programs were not built.
 */
import { randomUUID } from 'node:crypto';
import type { Zk } from '@msched/zk';
import { isMpiDaemon } from './daemon-allowlist';
import { parseGangTaskEnv } from './env-contract';
import { exitCodeOf } from './exit-codes';
import { tokenizeCommand } from './command-tokenizer';
import { parseRemoteShellArgs } from './remote-shell-args';
import { readMembers } from './io/rendezvous';
import { GangZk } from './io/gang-zk';
import { createOnce, watchExists, watchPresence } from './io/zk-watch';
import { DAEMON_PREFIX, gangPaths, type GangPaths } from './rendezvous-layout';
import { parseDaemonExit } from './records';
import { onTermination } from './io/signals';

/** ssh's code for "the remote side could not be reached". */
export const CONNECTION_FAILED = 255;

export class RemoteShellRefusal extends Error {}

export interface RemoteCall {
  /** The daemon's exit code as ssh reports it; CONNECTION_FAILED when the remote side is lost. */
  readonly exit: Promise<number>;
  /** The caller went away (signal, closed socket): asks the remote task to stop the daemon, then ends. */
  giveUp(why: string): void;
}

const ended = (code: number): RemoteCall => ({ exit: Promise.resolve(code), giveUp: () => undefined });

/**
 * Asks the gang task on the call's host to run the daemon. Throws (RemoteShellUsageError,
 * CommandSyntaxError, RemoteShellRefusal) for a call that must not be placed at all.
 */
/**
 * Creates the daemon request once even when retried: a sequential create whose answer was lost in an
 * outage may have happened, and a second request would start a second daemon. The request carries a
 * nonce; a retry first looks for it.
 */
async function createRequestOnce(zk: Zk, folder: string, data: string, nonce: string): Promise<string> {
  for (const child of (await zk.getChildren(folder)).filter((c) => c.startsWith(DAEMON_PREFIX))) {
    const existing = await zk.getData(`${folder}/${child}`);
    if (existing?.toString().includes(nonce)) return `${folder}/${child}`;
  }
  return zk.create(`${folder}/${DAEMON_PREFIX}`, data, 'persistent_sequential');
}

export interface PlaceOptions {
  /** How long a member's node may be missing before the call takes that task as gone (see context.ts). */
  readonly presenceGraceMs: number;
}

export async function placeRemoteCall(gz: GangZk, paths: GangPaths, args: readonly string[], say: (message: string) => void, o: PlaceOptions): Promise<RemoteCall> {
  const call = parseRemoteShellArgs(args);
  const argv = tokenizeCommand(call.command);
  if (!isMpiDaemon(argv)) throw new RemoteShellRefusal(`refusing to run ${JSON.stringify(argv[0])}: only MPI daemons are started through the remote shell`);
  const target = (await gz.call('read the members', (zk) => readMembers(zk, paths))).find((m) => m.hostname === call.host);
  if (!target) {
    say(`no task of this gang runs on host ${call.host}`);
    return ended(CONNECTION_FAILED);
  }
  const nonce = randomUUID();
  const request = await gz.call('place the daemon request', (zk) => createRequestOnce(zk, paths.daemons(target.index), JSON.stringify({ argv, host: call.host, nonce }), nonce));
  let finish: (code: number) => void = () => undefined;
  const exit = new Promise<number>((resolve) => {
    let done = false;
    finish = (code: number) => {
      if (done) return;
      done = true;
      exitWatch.stop();
      memberWatch.stop();
      launcherWatch.stop();
      resolve(code);
    };
    const lost = (e: Error) => { say(e.message); finish(CONNECTION_FAILED); };
    const exitWatch = watchExists(gz, `${request}/exit`, (exists) => {
      if (!exists) return;
      gz.call('read the daemon exit', (zk) => zk.getData(`${request}/exit`)).then((data) => {
        if (!data) return;
        const report = parseDaemonExit(data);
        if (report.error) say(`${call.host}: ${report.error}`);
        finish(report.error ? CONNECTION_FAILED : exitCodeOf(report.code, report.signal));
      }).catch(lost);
    }, lost);
    // Absences only count after the grace: a ZooKeeper outage must not end a healthy daemon's call
    // (mpirun would take the daemon as dead and fail the job).
    const memberWatch = watchPresence(gz, paths.member(target.index), {
      graceMs: o.presenceGraceMs,
      leftPath: paths.left(target.index),
      gone: () => {
        say(`the task on ${call.host} left the gang`);
        finish(CONNECTION_FAILED);
      },
      onError: lost,
    });
    // A call outliving its launcher task (killed without warning) has nobody left to serve.
    const launcherWatch = watchPresence(gz, paths.member(0), {
      graceMs: o.presenceGraceMs,
      gone: () => {
        say('the launcher task left the gang');
        finish(CONNECTION_FAILED);
      },
      onError: lost,
    });
  });
  return {
    exit,
    giveUp(why: string) {
      say(`${why}: asking the remote task to stop the daemon`);
      gz.call('ask to stop the daemon', (zk) => createOnce(zk, `${request}/kill`, why), 2 * o.presenceGraceMs).catch(() => undefined).finally(() => finish(CONNECTION_FAILED));
    },
  };
}

function say(message: string): void {
  process.stderr.write(`msched-remote-shell: ${message}\n`);
}

/** The node remote shell: a ZooKeeper session of its own, in the launcher's environment. */
export async function runRemoteShell(args: readonly string[]): Promise<number> {
  let zk: GangZk | undefined;
  let placed: RemoteCall | undefined;
  // Installed first: a remote shell killed while still connecting must not be left half-way.
  const unhook = onTermination((signal) => {
    if (!placed) process.exit(CONNECTION_FAILED);
    placed.giveUp(`received ${signal}`);
  });
  try {
    const gang = parseGangTaskEnv(process.env);
    // A lost session is replaced (GangZk), not the end of the call: the daemon may well be healthy.
    zk = await GangZk.open({ connect: gang.zk.connect, sessionTimeoutMs: gang.zk.sessionTimeoutMs, retryMs: gang.zk.retryMs }, 10000);
    placed = await placeRemoteCall(zk, gangPaths(gang.rendezvousPath), args, say, { presenceGraceMs: 2 * gang.zk.sessionTimeoutMs });
    return await placed.exit;
  } finally {
    unhook();
    zk?.close();
  }
}

/** Entry point of the executable the launcher writes (io/remote-shell-file.ts). */
export function remoteShellMain(args: readonly string[]): void {
  runRemoteShell(args).then((code) => process.exit(code), (e: Error) => {
    say(e.message);
    process.exit(CONNECTION_FAILED);
  });
}

if (require.main === module) remoteShellMain(process.argv.slice(2));
