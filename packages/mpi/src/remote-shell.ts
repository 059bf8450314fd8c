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
import { Zk } from '@msched/zk';
import { isMpiDaemon } from './daemon-allowlist';
import { parseGangTaskEnv } from './env-contract';
import { exitCodeOf } from './exit-codes';
import { tokenizeCommand } from './command-tokenizer';
import { parseRemoteShellArgs } from './remote-shell-args';
import { readMembers } from './io/rendezvous';
import { createOnce, watchExists } from './io/zk-watch';
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
  /** Ends the call at once (the ZooKeeper session is gone). */
  fail(): void;
}

const ended = (code: number): RemoteCall => ({ exit: Promise.resolve(code), giveUp: () => undefined, fail: () => undefined });

/**
 * Asks the gang task on the call's host to run the daemon. Throws (RemoteShellUsageError,
 * CommandSyntaxError, RemoteShellRefusal) for a call that must not be placed at all.
 */
export async function placeRemoteCall(zk: Zk, paths: GangPaths, args: readonly string[], say: (message: string) => void): Promise<RemoteCall> {
  const call = parseRemoteShellArgs(args);
  const argv = tokenizeCommand(call.command);
  if (!isMpiDaemon(argv)) throw new RemoteShellRefusal(`refusing to run ${JSON.stringify(argv[0])}: only MPI daemons are started through the remote shell`);
  const target = (await readMembers(zk, paths)).find((m) => m.hostname === call.host);
  if (!target) {
    say(`no task of this gang runs on host ${call.host}`);
    return ended(CONNECTION_FAILED);
  }
  const request = await zk.create(`${paths.daemons(target.index)}/${DAEMON_PREFIX}`, JSON.stringify({ argv, host: call.host }), 'persistent_sequential');
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
    const exitWatch = watchExists(zk, `${request}/exit`, (exists) => {
      if (!exists) return;
      zk.getData(`${request}/exit`).then((data) => {
        if (!data) return;
        const report = parseDaemonExit(data);
        if (report.error) say(`${call.host}: ${report.error}`);
        finish(report.error ? CONNECTION_FAILED : exitCodeOf(report.code, report.signal));
      }).catch(lost);
    }, lost);
    const memberWatch = watchExists(zk, paths.member(target.index), (exists) => {
      if (!exists) {
        say(`the task on ${call.host} left the gang`);
        finish(CONNECTION_FAILED);
      }
    }, lost);
    // A call outliving its launcher task (killed without warning) has nobody left to serve.
    const launcherWatch = watchExists(zk, paths.member(0), (exists) => {
      if (!exists) {
        say('the launcher task left the gang');
        finish(CONNECTION_FAILED);
      }
    }, lost);
  });
  return {
    exit,
    giveUp(why: string) {
      say(`${why}: asking the remote task to stop the daemon`);
      createOnce(zk, `${request}/kill`, why).catch(() => undefined).finally(() => finish(CONNECTION_FAILED));
    },
    fail: () => finish(CONNECTION_FAILED),
  };
}

function say(message: string): void {
  process.stderr.write(`msched-remote-shell: ${message}\n`);
}

/** The node remote shell: a ZooKeeper session of its own, in the launcher's environment. */
export async function runRemoteShell(args: readonly string[]): Promise<number> {
  let zk: Zk | undefined;
  let placed: RemoteCall | undefined;
  // Installed first: a remote shell killed while still connecting must not be left half-way.
  const unhook = onTermination((signal) => {
    if (!placed) process.exit(CONNECTION_FAILED);
    placed.giveUp(`received ${signal}`);
  });
  try {
    const gang = parseGangTaskEnv(process.env);
    zk = await Zk.connect(gang.zk.connect, { sessionTimeoutMs: gang.zk.sessionTimeoutMs, connectTimeoutMs: 10000 });
    zk.onSessionExpired(() => placed?.fail());
    placed = await placeRemoteCall(zk, gangPaths(gang.rendezvousPath), args, say);
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
