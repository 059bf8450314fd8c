/** Errors of the simulator; like every error in the project they say whether retrying can help. */
export class SimInputError extends Error {
  readonly retriable = false;
  constructor(message: string) {
    super(message);
    this.name = 'SimInputError';
  }
}
