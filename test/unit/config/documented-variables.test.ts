import assert from 'node:assert/strict';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { listSettings } from '@msched/config';

const REPO = join(__dirname, '../../../..');

/** Variables that are not service settings: the stack script's, the tests', the gang task contract. */
const NOT_SETTINGS = /^MSCHED_(STACK_|TEST_|GANG_|CONFIG_FILE$)/;

function files(dir: string, exts: RegExp): string[] {
  const out: string[] = [];
  for (const name of readdirSync(dir)) {
    const p = join(dir, name);
    if (statSync(p).isDirectory()) out.push(...files(p, exts));
    else if (exts.test(name)) out.push(p);
  }
  return out;
}

describe('documented configuration', () => {
  it('every MSCHED_ variable the docs and deployment files name is a setting the code reads', () => {
    const known = new Set(listSettings().map((s) => s.setting.env));
    const docs = [join(REPO, 'README.md'), ...files(join(REPO, 'docs'), /\.md$/), ...files(join(REPO, 'deploy'), /\.(md|ya?ml|json|sh)$|Dockerfile$/)];
    const unknown: string[] = [];
    for (const f of docs) {
      for (const m of readFileSync(f, 'utf8').matchAll(/\bMSCHED_[A-Z0-9_]*[A-Z0-9]\b/g)) {
        if (!NOT_SETTINGS.test(m[0]) && !known.has(m[0])) unknown.push(`${m[0]} in ${f.slice(REPO.length + 1)}`);
      }
    }
    assert.deepEqual([...new Set(unknown)], []);
  });
});
