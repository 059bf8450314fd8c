import { setTimeout as sleep } from 'node:timers/promises';

export interface EventuallyOptions {
  /** How long to keep trying (default 45 s): the deadline only turns a hang into a failure, it never makes a test pass. */
  readonly timeoutMs?: number;
  /** Pause between tries (default 50 ms). */
  readonly intervalMs?: number;
  /** Where things stood, added to the failure message. */
  readonly state?: () => unknown;
}

/** Thrown by a check that knows waiting longer cannot help (e.g. the server it waits for exited). */
export class GiveUp extends Error {}

/**
 * The one polling helper of the tests. Polls until `check` returns a value other than undefined and
 * false (a boolean check is done when it returns true); a check that throws is tried again, unless
 * it throws GiveUp. Fails naming `what`, the last error and `state()` after the timeout.
 */
export async function eventually<T>(
  what: string,
  check: () => T | undefined | false | Promise<T | undefined | false>,
  options: number | EventuallyOptions = {},
): Promise<Exclude<T, undefined | false>> {
  const o: EventuallyOptions = typeof options === 'number' ? { timeoutMs: options } : options;
  const timeoutMs = o.timeoutMs ?? 45_000;
  const deadline = Date.now() + timeoutMs;
  let lastError: unknown;
  for (;;) {
    try {
      const v = await check();
      if (v !== undefined && v !== false) return v as Exclude<T, undefined | false>;
    } catch (e) {
      if (e instanceof GiveUp) throw e;
      lastError = e;
    }
    if (Date.now() > deadline) {
      const where = o.state ? `: ${JSON.stringify(o.state())}` : '';
      throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}${lastError ? ` (last error: ${(lastError as Error).message})` : ''}${where}`);
    }
    await sleep(o.intervalMs ?? 50);
  }
}
