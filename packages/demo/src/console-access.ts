import { chmodSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { createInterface } from 'node:readline';

/**
 * The demo makes a fresh API token for each run and never prints it (no secret in a terminal, a log
 * or a URL). The console takes the same token, so the operator who opens it reads it from this
 * file, readable by its owner only.
 */
export function writeConsoleToken(dir: string, token: string): string {
  const path = join(dir, 'console-token');
  writeFileSync(path, `${token}\n`, { mode: 0o600 });
  // The mode of writeFileSync applies only when it creates the file: a token file left by an older run keeps its own.
  chmodSync(path, 0o600);
  return path;
}

/**
 * Resolves on the first line of `input`, or when it ends: the demo's services (and its console)
 * stay up until the operator has looked at the job.
 */
export function waitForEnter(input: NodeJS.ReadableStream = process.stdin): Promise<void> {
  return new Promise((resolve) => {
    const rl = createInterface({ input });
    const done = () => { rl.close(); resolve(); };
    rl.once('line', done);
    rl.once('close', resolve);
  });
}
