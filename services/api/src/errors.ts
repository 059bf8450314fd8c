/**
 * What can go wrong in an API call, independent of Thrift. handler/to-thrift-error.ts maps each to
 * the Airavata exception the IDL declares. `retriable` says whether the same call can succeed later.
 */
export abstract class ApiError extends Error {
  abstract readonly retriable: boolean;
}

/** The request itself is wrong; sending it again will not help. */
export class InvalidRequest extends ApiError {
  readonly retriable = false;
  constructor(message: string) {
    super(message);
    this.name = 'InvalidRequest';
  }
}

/** The launch failed validation; `problems` lists every failed check, each in words. */
export class ValidationFailed extends ApiError {
  readonly retriable = false;
  constructor(readonly problems: readonly string[]) {
    super(`launch refused, ${problems.length} problem${problems.length === 1 ? '' : 's'}: ${problems.map((p, i) => `(${i + 1}) ${p}`).join('; ')}`);
    this.name = 'ValidationFailed';
  }
}

export class NotFound extends ApiError {
  readonly retriable = false;
  constructor(message: string) {
    super(message);
    this.name = 'NotFound';
  }
}

export type AuthFailure = 'missing' | 'invalid' | 'expired' | 'forbidden';

/** Bad, missing or expired token, or a token that does not cover the gateway asked about. */
export class Unauthorized extends ApiError {
  readonly retriable = false;
  constructor(readonly failure: AuthFailure, message: string) {
    super(message);
    this.name = 'Unauthorized';
  }
}

/** A fault of ours (database down, bug). `retriable` when the cause is passing (connection lost, deadlock). */
export class InternalFault extends ApiError {
  constructor(message: string, override readonly retriable: boolean, cause?: unknown) {
    super(message, { cause });
    this.name = 'InternalFault';
  }
}

/**
 * The gateway has as many launches waiting as its quota allows; the same launch can succeed once
 * some of them have started.
 */
export class QuotaExceeded extends ApiError {
  readonly retriable = true;
  constructor(message: string) {
    super(message);
    this.name = 'QuotaExceeded';
  }
}
