import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';

const PKG = resolve(__dirname, '../../../../packages/airavata-thrift');

/**
 * The generated code is committed (packages/airavata-thrift/gen-nodejs). This regenerates it from
 * thrift-idl/ with the Thrift compiler and fails when the committed copy differs: run
 * `npm run generate -w @msched/airavata-thrift` after editing the IDL. CI installs Debian's
 * thrift-compiler for this check.
 */
describe('generated Thrift code is current', () => {
  it('matches a fresh generation from thrift-idl/', function () {
    const version = spawnSync('thrift', ['--version'], { encoding: 'utf8' });
    assert.ok(!version.error, 'the thrift compiler is missing: apt-get install thrift-compiler (0.17)');
    const out = mkdtempSync(join(tmpdir(), 'msched-thrift-'));
    try {
      const r = spawnSync('bash', [join(PKG, 'scripts/generate.sh'), out], { encoding: 'utf8' });
      assert.equal(r.status, 0, r.stderr);
      const fresh = readdirSync(out).sort();
      const committed = readdirSync(join(PKG, 'gen-nodejs')).sort();
      assert.deepEqual(committed, fresh);
      for (const f of fresh) {
        assert.ok(readFileSync(join(out, f)).equals(readFileSync(join(PKG, 'gen-nodejs', f))), `${f} is stale: regenerate it`);
      }
    } finally {
      rmSync(out, { recursive: true, force: true });
    }
  });
});
