import { spawn } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const REPO = join(__dirname, '../../..');

/** Runs `npm run chaos` (its own isolated stack, so it never disturbs the shared one) into a fresh folder. */
export function runChaos(args: string[], env: NodeJS.ProcessEnv = {}): Promise<{ code: number | null; output: string; out: string }> {
  const out = mkdtempSync(join(tmpdir(), 'msched-chaos-ci-'));
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [join(REPO, 'packages/chaos/dist/main.js'), ...args, '--out', out], { env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
    let output = '';
    child.stdout.on('data', (d: Buffer) => { output += d.toString(); });
    child.stderr.on('data', (d: Buffer) => { output += d.toString(); });
    child.on('exit', (code) => resolve({ code, output, out }));
  });
}
