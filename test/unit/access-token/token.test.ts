import assert from 'node:assert/strict';
import { signToken, TokenError, verifyToken } from '@msched/access-token';

const now = Date.UTC(2026, 10, 22, 12, 0, 0);
const exp = now / 1000 + 60;

describe('HS256 tokens', () => {
  it('verifies what it signed and returns the claims', () => {
    const t = signToken('s3cret', { gateway: 'gw', sub: 'alice', exp });
    assert.deepEqual(verifyToken('s3cret', t, now), { gateway: 'gw', sub: 'alice', exp });
    assert.equal(t.split('.').length, 3);
  });

  it('refuses expired, re-signed, tampered and unsigned tokens, saying why', () => {
    const t = signToken('s3cret', { gateway: 'gw', exp });
    const refuse = (token: string, failure: string, why: RegExp) => assert.throws(() => verifyToken('s3cret', token, now),
      (e: unknown) => e instanceof TokenError && e.failure === failure && why.test(e.message));
    refuse(signToken('s3cret', { exp: now / 1000 - 1 }), 'expired', /token expired at 2026-11-22T11:59:59.000Z/);
    refuse(signToken('other', { exp }), 'invalid', /signature does not match/);
    const [h, , s] = t.split('.');
    refuse(`${h}.${Buffer.from(JSON.stringify({ gateway: 'admin', exp })).toString('base64url')}.${s}`, 'invalid', /signature does not match/);
    refuse(`${Buffer.from('{"alg":"none","typ":"JWT"}').toString('base64url')}.${t.split('.')[1]}.`, 'invalid', /algorithm "none"/);
    refuse(`${Buffer.from('{"alg":"HS512"}').toString('base64url')}.${t.split('.')[1]}.${s}`, 'invalid', /algorithm "HS512"/);
    refuse('a.b', 'invalid', /not a signed token/);
    refuse(signToken('s3cret', { exp: 'never' } as unknown as { exp: number }), 'invalid', /no expiry/);
    refuse(signToken('s3cret', { exp, gateway: 5 } as unknown as { exp: number }), 'invalid', /gateway claim is not a string/);
  });
});
