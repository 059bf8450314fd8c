/**
 * When a waiting gang's expected start and wait reason are written again, and when its expected
 * start is told to Airavata. Pure: times are epoch ms.
 */

/** What was last saved for a gang (in the jobs row). */
export interface SavedEstimate {
  readonly reason: string;
  readonly expectedStart: number | undefined;
  readonly savedAt: number;
}

/** An expected start moving by less than this is not a change worth a write. */
const SAVE_SHIFT_MS = 5_000;
/** A gang whose estimate and reason hold still is written again this often, so "waiting 7m" stays current. */
const SAVE_REFRESH_MS = 60_000;

/**
 * The reason without its durations ("waiting 3 min", "ends in 40 s"), which move by themselves:
 * comparing them would make every gang look changed at every pass.
 */
export function reasonKey(reason: string): string {
  return reason.replace(/\b\d+(?:\.\d+)? (?:s|min|h)\b/g, '…');
}

/** Whether a gang's row needs writing: first time, a different reason, a moved estimate, or a stale one. */
export function needsSave(prev: SavedEstimate | undefined, reason: string, expectedStart: number | undefined, now: number): boolean {
  if (!prev) return true;
  if (reasonKey(prev.reason) !== reasonKey(reason)) return true;
  if ((prev.expectedStart === undefined) !== (expectedStart === undefined)) return true;
  if (prev.expectedStart !== undefined && expectedStart !== undefined && Math.abs(prev.expectedStart - expectedStart) >= SAVE_SHIFT_MS) return true;
  return now - prev.savedAt >= SAVE_REFRESH_MS;
}

/** The expected start last told to Airavata, and when. */
export interface Announced {
  readonly expectedStart: number;
  readonly at: number;
}

/** No announcement for a start closer than this. */
export const ANNOUNCE_MIN_LEAD_MS = 60_000;
/** Announcements to Airavata: at most one per gang per this long... */
export const ANNOUNCE_MIN_INTERVAL_MS = 5 * 60_000;
/** ...and only for a shift of at least this... */
export const ANNOUNCE_MIN_SHIFT_MS = 5 * 60_000;
/** ...and at least this fraction of the wait the last announcement promised. */
export const ANNOUNCE_RELATIVE_SHIFT = 0.2;

/**
 * Whether to tell Airavata a new expected start: never one less than a minute away; the first
 * known one at once; later ones only when
 * they moved meaningfully (by at least 5 minutes and 20 % of the wait still promised) and the last
 * announcement is at least 5 minutes old. A scientist learns of a real change without Airavata
 * getting a message for every jitter of the estimate.
 */
export function shouldAnnounce(expectedStart: number | undefined, last: Announced | undefined, now: number): boolean {
  // A gang about to start needs no promise (most gangs never wait long enough to get one).
  if (expectedStart === undefined || expectedStart - now < ANNOUNCE_MIN_LEAD_MS) return false;
  if (!last) return true;
  if (now - last.at < ANNOUNCE_MIN_INTERVAL_MS) return false;
  const shift = Math.abs(expectedStart - last.expectedStart);
  const promisedWait = Math.max(0, last.expectedStart - now);
  return shift >= Math.max(ANNOUNCE_MIN_SHIFT_MS, ANNOUNCE_RELATIVE_SHIFT * promisedWait);
}

const pad = (n: number) => String(n).padStart(2, '0');

/**
 * An expected start in words for people, to the minute in UTC: "14:05 UTC" the same day,
 * "2026-12-08 14:05 UTC" on another; "within a minute" when it is that close (or overdue).
 */
export function formatExpectedStart(expectedStart: number, now: number): string {
  if (expectedStart - now < 60_000) return 'within a minute';
  const t = new Date(Math.round(expectedStart / 60_000) * 60_000);
  const hm = `${pad(t.getUTCHours())}:${pad(t.getUTCMinutes())} UTC`;
  return t.toISOString().slice(0, 10) === new Date(now).toISOString().slice(0, 10) ? `about ${hm}` : `about ${t.toISOString().slice(0, 10)} ${hm}`;
}

/** The status reason a waiting job's expected start is announced with. */
export function startReason(expectedStart: number, now: number): string {
  return `expected to start ${formatExpectedStart(expectedStart, now)}`;
}
