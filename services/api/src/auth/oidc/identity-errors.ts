import { IdentityError } from '@msched/identity';
import { InternalFault, Unauthorized } from '../../errors';

/**
 * @msched/identity's refusals as the API's errors (then Airavata exceptions): unauthenticated and
 * forbidden become AuthorizationException, unavailable an AiravataSystemException (retriable when
 * Keycloak's trouble is passing). Messages are kept word for word.
 */
export function toApiError(e: unknown): unknown {
  if (!(e instanceof IdentityError)) return e;
  switch (e.kind) {
    case 'unauthenticated':
      return new Unauthorized(e.failure === 'expired' || e.failure === 'missing' ? e.failure : 'invalid', e.message);
    case 'forbidden':
      return new Unauthorized('forbidden', e.message);
    case 'unavailable':
      return new InternalFault(e.message, e.retriable, e.cause);
  }
}

/** Runs `f`, answering identity refusals as API errors. */
export function asApiErrors<A extends unknown[], T>(f: (...a: A) => T): (...a: A) => T {
  return (...a: A) => {
    try {
      return f(...a);
    } catch (e) {
      throw toApiError(e);
    }
  };
}
