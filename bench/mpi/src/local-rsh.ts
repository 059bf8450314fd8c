/**
 * The baseline's "ssh" for a two-host hosts file on one machine: `local-rsh [options] <host>
 * <command>` runs the MPI daemon command here, whatever the host, and ends as it ends. Gives plain
 * mpirun the system's hosts file shape (one daemon per "agent") without the system. No shell: the
 * command is split by the same tokenizer the system's MPI remote shell uses.
 */
import { spawn } from 'node:child_process';
import { parseRemoteShellArgs, tokenizeCommand } from '@msched/mpi';

const call = parseRemoteShellArgs(process.argv.slice(2));
const argv = tokenizeCommand(call.command);
const child = spawn(argv[0], argv.slice(1), { stdio: 'inherit' });
for (const s of ['SIGTERM', 'SIGINT', 'SIGHUP'] as const) process.on(s, () => child.kill(s));
child.on('error', (e) => { process.stderr.write(`local-rsh: ${e.message}\n`); process.exit(255); });
child.on('exit', (code, signal) => process.exit(code ?? (signal ? 128 : 255)));
