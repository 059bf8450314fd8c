/** Errors of the gang package; like every error in the project they say whether retrying can help. */
export abstract class GangError extends Error {
  abstract readonly retriable: boolean;
  constructor(message: string) {
    super(message);
    this.name = new.target.name;
  }
}

/** A gang request that breaks the rules (no ranks, nodeCount above the rank count, ...). */
export class InvalidGangRequestError extends GangError {
  readonly retriable = false;
  constructor(readonly problems: readonly string[]) {
    super(`invalid gang request: ${problems.join('; ')}`);
  }
}

/** Offers cannot supply what a placement promised: a bug in the caller or a stale snapshot. */
export class ResourceCarveError extends GangError {
  readonly retriable = false;
}
