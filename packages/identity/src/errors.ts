/**
 * Why an identity was not established or an action not allowed, for each service to answer in its
 * own terms (the API: Airavata exceptions; the console: HTTP statuses).
 * - unauthenticated: no token, or one that is not a valid token of the realm (failure says which);
 * - forbidden: a valid identity that may not do this (another gateway, no realm for it);
 * - unavailable: Keycloak could not be asked (down, slow, misconfigured); `retriable` when passing.
 */
export type IdentityErrorKind = 'unauthenticated' | 'forbidden' | 'unavailable';

/** The detail of an unauthenticated refusal: no token, a bad one, or an expired one. */
export type TokenFailure = 'missing' | 'invalid' | 'expired';

export class IdentityError extends Error {
  readonly retriable: boolean;

  private constructor(readonly kind: IdentityErrorKind, message: string, readonly failure: TokenFailure | 'forbidden' | 'unavailable', retriable: boolean, cause?: unknown) {
    super(message, cause === undefined ? undefined : { cause });
    this.name = 'IdentityError';
    this.retriable = retriable;
  }

  static unauthenticated(failure: TokenFailure, message: string): IdentityError {
    return new IdentityError('unauthenticated', message, failure, false);
  }

  static forbidden(message: string): IdentityError {
    return new IdentityError('forbidden', message, 'forbidden', false);
  }

  static unavailable(message: string, retriable: boolean, cause?: unknown): IdentityError {
    return new IdentityError('unavailable', message, 'unavailable', retriable, cause);
  }
}

/** Settings that cannot work (no Keycloak URL, an unreadable CA file): found at start-up. */
export class IdentityConfigError extends Error {
  readonly retriable = false;
  constructor(message: string) {
    super(message);
    this.name = 'IdentityConfigError';
  }
}
