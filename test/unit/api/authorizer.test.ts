import assert from 'node:assert/strict';
import { AuthzToken } from '@msched/airavata-thrift';
import { signToken } from '@msched/access-token';
import { createAuthorizer, requireGateway, Unauthorized } from '@msched/api';

const tok = (accessToken: string, claimsMap?: Record<string, string>) => new AuthzToken({ accessToken, claimsMap });
const refused = (failure: string, why: RegExp) => (e: unknown) => e instanceof Unauthorized && e.failure === failure && why.test(e.message);

describe('authorizer', () => {
  it('none: lets anything in, scoped by Airavata\'s claims when given', () => {
    const a = createAuthorizer('none', '');
    assert.deepEqual(a(null), { gatewayId: undefined, userName: undefined });
    assert.deepEqual(a(tok('', { gatewayID: 'gw', userName: 'u' })), { gatewayId: 'gw', userName: 'u' });
  });

  it('static: needs the secret, then trusts the claims map', () => {
    const a = createAuthorizer('static', 'sekret');
    assert.throws(() => a(tok('')), refused('missing', /no access token/));
    assert.throws(() => a(null), refused('missing', /no access token/));
    assert.throws(() => a(tok('sekret2')), refused('invalid', /not valid/));
    assert.throws(() => a(tok('sekre')), refused('invalid', /not valid/));
    assert.deepEqual(a(tok('sekret', { gatewayID: 'gw' })), { gatewayId: 'gw', userName: undefined });
  });

  it('hmac: takes gateway and user from the signed claims only', () => {
    const now = 1_800_000_000_000;
    const a = createAuthorizer('hmac', 'k', () => now);
    const t = signToken('k', { gateway: 'gw', sub: 'bob', exp: now / 1000 + 10 });
    assert.deepEqual(a(tok(t, { gatewayID: 'forged' })), { gatewayId: 'gw', userName: 'bob' });
    assert.throws(() => a(tok(signToken('k', { exp: now / 1000 - 10 }))), refused('expired', /expired/));
    assert.throws(() => a(tok('sekret')), refused('invalid', /not a signed token/));
  });

  it('refuses to start without a secret unless the mode is none', () => {
    assert.throws(() => createAuthorizer('static', ''), /needs MSCHED_API_AUTH_SECRET/);
    assert.throws(() => createAuthorizer('hmac', ''), /needs MSCHED_API_AUTH_SECRET/);
  });

  it('requireGateway refuses a principal scoped to another gateway', () => {
    assert.doesNotThrow(() => requireGateway({}, 'gw'));
    assert.doesNotThrow(() => requireGateway({ gatewayId: 'gw' }, 'gw'));
    assert.throws(() => requireGateway({ gatewayId: 'a' }, 'b'), refused('forbidden', /the token is for gateway "a", not "b"/));
  });
});
