/** 75 → "1m 15s"; negative or missing → "". */
export function duration(ms: number | null | undefined): string {
  if (ms === null || ms === undefined || !Number.isFinite(ms) || ms < 0) return '';
  if (ms < 1000) return `${Math.round(ms)}ms`;
  const s = Math.floor(ms / 1000);
  const d = Math.floor(s / 86400), h = Math.floor((s % 86400) / 3600), m = Math.floor((s % 3600) / 60), sec = s % 60;
  if (d > 0) return `${d}d ${h}h`;
  if (h > 0) return `${h}h ${m}m`;
  if (m > 0) return `${m}m ${sec}s`;
  return `${(ms / 1000).toFixed(ms < 10_000 ? 1 : 0)}s`;
}

export const ms = (iso: string | null | undefined): number | undefined => (iso ? Date.parse(iso) : undefined);

export function between(from: string | null | undefined, to: string | null | undefined, now = Date.now()): number | undefined {
  const a = ms(from);
  if (a === undefined) return undefined;
  return (ms(to) ?? now) - a;
}

/** An expected start: "14:05:10 (in 3m 5s)", "(due)" once it has passed; '' when unknown. */
export function expectedStart(iso: string | null | undefined, now = Date.now()): string {
  const t = ms(iso);
  if (t === undefined) return '';
  const clock = when(iso).slice(new Date(t).toDateString() === new Date(now).toDateString() ? 11 : 0);
  return t > now ? `${clock} (in ${duration(t - now)})` : `${clock} (due)`;
}

export function when(iso: string | null | undefined): string {
  if (!iso) return '';
  const d = new Date(iso);
  const pad = (n: number) => String(n).padStart(2, '0');
  return `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())} ${pad(d.getHours())}:${pad(d.getMinutes())}:${pad(d.getSeconds())}`;
}

export function bytes(n: number): string {
  if (n < 1024) return `${n} B`;
  if (n < 1024 * 1024) return `${(n / 1024).toFixed(1)} KiB`;
  return `${(n / 1024 / 1024).toFixed(1)} MiB`;
}

/** A stable colour per gang, so a gang has the same colour on every agent box and page. */
export function gangColour(id: string): string {
  let h = 0;
  for (let i = 0; i < id.length; i++) h = (h * 31 + id.charCodeAt(i)) >>> 0;
  return `hsl(${h % 360} 62% 52%)`;
}

const ENDED = new Set(['COMPLETE', 'COMPLETED', 'FAILED', 'CANCELED', 'CANCELLED', 'TASK_FINISHED', 'TASK_FAILED', 'TASK_KILLED', 'TASK_ERROR', 'TASK_LOST', 'TASK_DROPPED', 'TASK_GONE']);
export const isEnded = (state: string) => ENDED.has(state);

/** CSS class of a state badge. */
export function stateClass(state: string): string {
  if (/FAIL|ERROR|LOST|GONE|DROPPED/.test(state)) return 'st-bad';
  if (/CANCEL|KILL/.test(state)) return 'st-cancel';
  if (/COMPLETE|FINISHED/.test(state)) return 'st-ok';
  if (/ACTIVE|RUNNING|EXECUTING|MONITORING|LAUNCHED|STARTING/.test(state)) return 'st-run';
  return 'st-wait';
}
