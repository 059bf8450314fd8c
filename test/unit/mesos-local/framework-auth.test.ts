import assert from 'node:assert/strict';
import { authenticateFramework, parseCredentialsJson } from '@msched/mesos-local';
import { parseCli } from '@msched/mesos-local/dist/internals';

const basic = (s: string) => `Basic ${Buffer.from(s).toString('base64')}`;

describe('local master: framework authentication', () => {
  const creds = new Map([['airavata', 'pa:ss'], ['other', 'x']]);

  it('accepts the principal with its secret (colons allowed in the secret) and nothing else', () => {
    assert.deepEqual(authenticateFramework(creds, basic('airavata:pa:ss')), { ok: true, principal: 'airavata' });
    assert.deepEqual(authenticateFramework(creds, basic('airavata:x')), { ok: false, message: 'Authentication failed' });
    assert.deepEqual(authenticateFramework(creds, basic('nobody:x')), { ok: false, message: 'Authentication failed' });
    assert.deepEqual(authenticateFramework(creds, undefined), { ok: false, message: 'Missing credentials' });
    assert.deepEqual(authenticateFramework(creds, 'Bearer abc'), { ok: false, message: 'Expecting HTTP Basic credentials' });
    assert.deepEqual(authenticateFramework(creds, basic('no-colon')), { ok: false, message: 'Malformed HTTP Basic credentials' });
  });

  it('reads Mesos\' credentials JSON and says what is wrong with a bad one', () => {
    assert.deepEqual([...parseCredentialsJson('{"credentials":[{"principal":"a","secret":"b"}]}')], [['a', 'b']]);
    assert.throws(() => parseCredentialsJson('principal secret'), /not JSON/);
    assert.throws(() => parseCredentialsJson('{"credentials":[]}'), /no "credentials" list/);
    assert.throws(() => parseCredentialsJson('{"credentials":[{"principal":"a"}]}'), /credentials\[0\] needs/);
  });

  it('turns authentication on only with --authenticate_http_frameworks, which needs --credentials', () => {
    const on = parseCli(['--credentials', '/etc/creds.json', '--authenticate_http_frameworks']);
    assert.equal(on.kind === 'cluster' && on.credentialsFile, '/etc/creds.json');
    const off = parseCli(['--credentials', '/etc/creds.json']);
    assert.equal(off.kind === 'cluster' && off.credentialsFile, undefined);
    assert.throws(() => parseCli(['--authenticate_http_frameworks']), /needs --credentials FILE/);
  });
});
