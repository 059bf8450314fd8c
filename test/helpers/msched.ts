import { spawn } from 'node:child_process';
import { resolve } from 'node:path';

const ROOT = resolve(__dirname, '../../..');
const BIN = resolve(ROOT, 'packages/cli/dist/main.js');

export interface MschedRun {
  readonly code: number | null;
  readonly out: string;
  readonly err: string;
}

/**
 * Runs `msched` as an operator would, with `env` added to this process's environment (the database
 * URL, usually). `via: 'npx'` goes through `npx msched` from the repository root, the way the README
 * says to run it (the package's bin); the default runs the built binary with this node directly.
 */
export function msched(args: readonly string[], env: Record<string, string>, via: 'node' | 'npx' = 'node'): Promise<MschedRun> {
  return new Promise((ok) => {
    const [cmd, argv] = via === 'npx' ? ['npx', ['--no-install', 'msched', ...args]] : [process.execPath, [BIN, ...args]];
    const child = spawn(cmd, argv, { cwd: ROOT, env: { ...process.env, MSCHED_LOG_LEVEL: 'warn', ...env } });
    let out = '';
    let err = '';
    child.stdout.on('data', (d) => { out += d; });
    child.stderr.on('data', (d) => { err += d; });
    child.on('close', (code) => ok({ code, out, err }));
  });
}
