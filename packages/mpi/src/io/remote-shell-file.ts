import { chmodSync, mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

/**
 * mpirun and mpiexec take the ssh replacement as ONE executable path (Hydra's -launcher-exec cannot
 * take arguments), so `node remote-shell.js` is written as a tiny script whose #! line names node by its
 * absolute path: no shell, no reliance on PATH.
 */
export function writeRemoteShellExecutable(dir: string, node: string, remoteShellJs: string): string {
  mkdirSync(dir, { recursive: true });
  const path = join(dir, 'msched-remote-shell');
  writeFileSync(path, `#!${node}\nrequire(${JSON.stringify(remoteShellJs)}).remoteShellMain(process.argv.slice(2));\n`);
  chmodSync(path, 0o755);
  return path;
}
