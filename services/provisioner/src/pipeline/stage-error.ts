/**
 * A stage failure. Permanent ones (bad model, missing input, a gang that can never fit) fail the
 * process at once; the others are retried with backoff and end in the dead-letter topic when the
 * attempts run out.
 */
export class StageError extends Error {
  readonly permanent: boolean;
  constructor(message: string, opts: { permanent: boolean }) {
    super(message);
    this.name = 'StageError';
    this.permanent = opts.permanent;
  }
}

export function isPermanent(e: unknown): boolean {
  return e instanceof StageError && e.permanent;
}
