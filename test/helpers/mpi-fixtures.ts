import { execFile } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { promisify } from 'node:util';

const run = promisify(execFile);

const FIXTURES = resolve(__dirname, '../../fixtures/mpi');

/** Compiles a fixture with the flavour's own compiler (or cc) into a fresh temp dir. */
export async function compileFixture(dir: string, source: string, compiler: 'mpicc.openmpi' | 'mpicc.mpich' | 'cc'): Promise<string> {
  const out = join(dir, `${source.replace(/\.c$/, '')}-${compiler.replace(/\W/g, '_')}`);
  await run(compiler, ['-O1', '-o', out, join(FIXTURES, source)]);
  return out;
}

export function fixtureDir(): string {
  return mkdtempSync(join(tmpdir(), 'msched-mpi-fixtures-'));
}
