import type { AuthzToken } from '@msched/airavata-thrift';
import type { Config } from '@msched/config';
import { IdentityConfigError, IdentityError, KeycloakIdentities, realmOf } from '@msched/identity';
import type { Logger } from '@msched/logging';
import { Unauthorized } from '../../errors';
import type { Authorizer } from '../authorizer';
import { toApiError } from './identity-errors';

export type OidcSettings = Config['api']['oidc'];

/** Airavata's claimsMap keys (org.apache.airavata.common.utils.Constants). */
const GATEWAY_CLAIM = 'gatewayID';
const USER_CLAIM = 'userName';

/** Settings that cannot work (no Keycloak URL, an unreadable CA file). */
export const OidcConfigError = IdentityConfigError;
export type OidcConfigError = IdentityConfigError;

function claimed(token: AuthzToken | null | undefined, key: string): string {
  const v = token?.claimsMap?.[key];
  if (typeof v !== 'string' || v === '') {
    throw new Unauthorized('missing', `AuthzToken.claimsMap.${key} is missing: Airavata sends the gateway as "${GATEWAY_CLAIM}" and the user as "${USER_CLAIM}"`);
  }
  return v;
}

export interface OidcAuthorizerOptions {
  logger?: Logger;
  now?: () => number;
}

/**
 * MSCHED_API_AUTH_MODE=oidc: the call's AuthzToken carries a Keycloak access token of the realm of
 * claimsMap.gatewayID, for the user claimsMap.userName. @msched/identity verifies it (locally
 * against the realm's keys, or by its userinfo endpoint), matches its user and gateway against
 * claimsMap and turns its roles into rights; its refusals become the API's errors. The token itself
 * is never logged nor kept.
 */
export function createOidcAuthorizer(s: OidcSettings, o: OidcAuthorizerOptions = {}): Authorizer {
  const identities = new KeycloakIdentities(s, o.now);
  const log = o.logger;

  return async (token) => {
    const access = token?.accessToken;
    if (typeof access !== 'string' || access === '') throw new Unauthorized('missing', 'no access token: set AuthzToken.accessToken to the user\'s Keycloak access token');
    const gatewayId = claimed(token, GATEWAY_CLAIM);
    const userName = claimed(token, USER_CLAIM);
    try {
      const v = await identities.forCall(access, { gatewayId, userName });
      if (log?.isDebugEnabled()) {
        const r = v.principal.rights;
        log.debug(`token accepted for user "${userName}" of gateway "${gatewayId}" (realm ${v.realm}; admin ${r?.admin}, read-all ${r?.readAll}, use ${r?.use})`, { gatewayId, userName, realm: v.realm });
      }
      return v.principal;
    } catch (e) {
      if (e instanceof IdentityError && e.kind === 'unauthenticated') {
        const realm = realmOf(s, gatewayId);
        log?.info(`token refused for user "${userName}" of gateway "${gatewayId}" (realm ${realm}): ${e.message}`, { gatewayId, userName, realm, refusal: e.failure });
      }
      throw toApiError(e);
    }
  };
}
