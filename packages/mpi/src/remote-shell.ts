/**
 * Stands in for ssh when mpirun/mpiexec start their daemons: `msched-remote-shell [ssh options] <host> <command>`.
 * Instead of logging in to <host>, it hands the daemon command to the gang task on that host through
 * ZooKeeper and, like ssh, stays until that daemon ends and exits with its code (255 when the
 * "connection" fails: unknown host, task gone). Runs next to the launcher, in its environment.
 */
import { Zk } from '@msched/zk';
import { isMpiDaemon } from './daemon-allowlist';
import { parseGangTaskEnv } from './env-contract';
import { exitCodeOf } from './exit-codes';
import { tokenizeCommand } from './command-tokenizer';
import { parseRemoteShellArgs } from './remote-shell-args';
import { readMembers } from './io/rendezvous';
import { createOnce, watchExists } from './io/zk-watch';
import { DAEMON_PREFIX, gangPaths } from './rendezvous-layout';
import { parseDaemonExit } from './records';
import { onTermination } from './io/signals';

/** ssh's code for "the remote side could not be reached". */
const CONNECTION_FAILED = 255;

function say(message: string): void {
  process.stderr.write(`msched-remote-shell: ${message}\n`);
}

export async function runRemoteShell(args: readonly string[]): Promise<number> {
  let requestPath: string | undefined;
  let zk: Zk | undefined;
  let killed: ((code: number) => void) | undefined;
  // Installed first: a remote shell killed while still connecting must not be left half-way.
  const unhook = onTermination((signal) => {
    if (!zk || !requestPath) process.exit(CONNECTION_FAILED);
    say(`received ${signal}: asking the remote task to stop the daemon`);
    createOnce(zk, `${requestPath}/kill`, signal).catch(() => undefined).finally(() => killed?.(CONNECTION_FAILED));
  });
  try {
    const call = parseRemoteShellArgs(args);
    const argv = tokenizeCommand(call.command);
    if (!isMpiDaemon(argv)) throw new Error(`refusing to run ${JSON.stringify(argv[0])}: only MPI daemons are started through the remote shell`);
    const gang = parseGangTaskEnv(process.env);
    const paths = gangPaths(gang.rendezvousPath);
    zk = await Zk.connect(gang.zk.connect, { sessionTimeoutMs: gang.zk.sessionTimeoutMs, connectTimeoutMs: 10000 });
    const client = zk;
    const target = (await readMembers(client, paths)).find((m) => m.hostname === call.host);
    if (!target) {
      say(`no task of this gang runs on host ${call.host}`);
      return CONNECTION_FAILED;
    }
    requestPath = await client.create(`${paths.daemons(target.index)}/${DAEMON_PREFIX}`, JSON.stringify({ argv, host: call.host }), 'persistent_sequential');
    const request = requestPath;
    return await new Promise<number>((resolve) => {
      let done = false;
      const finish = (code: number) => {
        if (done) return;
        done = true;
        exitWatch.stop();
        memberWatch.stop();
        launcherWatch.stop();
        resolve(code);
      };
      killed = finish;
      client.onSessionExpired(() => finish(CONNECTION_FAILED));
      const exitWatch = watchExists(client, `${request}/exit`, (exists) => {
        if (!exists) return;
        client.getData(`${request}/exit`).then((data) => {
          if (!data) return;
          const exit = parseDaemonExit(data);
          if (exit.error) say(`${call.host}: ${exit.error}`);
          finish(exit.error ? CONNECTION_FAILED : exitCodeOf(exit.code, exit.signal));
        }).catch((e: Error) => { say(e.message); finish(CONNECTION_FAILED); });
      }, (e) => { say(e.message); finish(CONNECTION_FAILED); });
      const memberWatch = watchExists(client, paths.member(target.index), (exists) => {
        if (!exists) {
          say(`the task on ${call.host} left the gang`);
          finish(CONNECTION_FAILED);
        }
      }, (e) => { say(e.message); finish(CONNECTION_FAILED); });
      // A remote shell outliving its launcher task (killed without warning) has nobody left to serve.
      const launcherWatch = watchExists(client, paths.member(0), (exists) => {
        if (!exists) {
          say('the launcher task left the gang');
          finish(CONNECTION_FAILED);
        }
      }, (e) => { say(e.message); finish(CONNECTION_FAILED); });
    });
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
