import type { Tenant } from '../types';

/** The tenant of a gang that names none (types.ts: user "" of gateway "default"). */
export const DEFAULT_TENANT: Tenant = Object.freeze({ gateway: 'default', user: '' });

/** A map key for a tenant; gateway and user cannot collide because NUL never occurs in either. */
export function tenantKey(t: Tenant | undefined): string {
  const { gateway, user } = t ?? DEFAULT_TENANT;
  return `${gateway}\u0000${user}`;
}

export function tenantOf(t: Tenant | undefined): Tenant {
  return t ?? DEFAULT_TENANT;
}
