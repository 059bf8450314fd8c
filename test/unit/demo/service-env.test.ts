import assert from 'node:assert/strict';
import { AuthzToken } from '@msched/airavata-thrift';
import { createAuthorizer, createOidcAuthorizer } from '@msched/api';
import { loadConfig } from '@msched/config';
import { demoServiceEnv } from '@msched/demo';

const places = { state: '/tmp/demo-state', catalogue: '/tmp/demo-state/apps.json', dataRoot: '/tmp/demo-state/data' };

/**
 * Both demos start the services with demoServiceEnv. The workflow demo once built its own and
 * missed the static token when oidc became the default: its API refused to start.
 */
describe('demo: the services\' environment', () => {
  it('lets the API start and accept the demo\'s token, with no Keycloak around', async () => {
    const cfg = loadConfig(demoServiceEnv({}, places));
    // As services/api/src/app.ts builds it at start-up.
    const authorize = cfg.api.authMode === 'oidc' ? createOidcAuthorizer(cfg.api.oidc) : createAuthorizer(cfg.api.authMode, cfg.api.authSecret);
    const token = new AuthzToken({ accessToken: cfg.api.authSecret, claimsMap: { gatewayID: 'demo-gateway', userName: 'demo-user' } });
    assert.deepEqual(await authorize(token), { gatewayId: 'demo-gateway', userName: 'demo-user' });
  });

  it('a fresh secret each run, places and runtime port as asked (any free port unless given)', () => {
    const a = demoServiceEnv({}, places);
    assert.notEqual(a.MSCHED_API_AUTH_SECRET, demoServiceEnv({}, places).MSCHED_API_AUTH_SECRET);
    assert.deepEqual([a.MSCHED_STATE_DIR, a.MSCHED_APP_CATALOGUE, a.MSCHED_DATA_ROOT, a.MSCHED_RUNTIME_PORT], [places.state, places.catalogue, places.dataRoot, '0']);
    assert.equal(demoServiceEnv({ MSCHED_RUNTIME_PORT: '19933' }, places).MSCHED_RUNTIME_PORT, '19933');
  });
});
