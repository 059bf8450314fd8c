/** Doubling backoff with a ceiling: base, 2·base, 4·base... up to max (Mesos' status update retry: 10 s to 10 min). */
export function nextBackoff(previousMs: number | undefined, baseMs: number, maxMs: number): number {
  if (previousMs === undefined) return Math.min(baseMs, maxMs);
  return Math.min(previousMs * 2, maxMs);
}
