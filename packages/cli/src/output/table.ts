/** A column of a table for people: its header and how to show one row's cell. */
export interface Column<T> {
  header: string;
  cell: (row: T) => string | number | null | undefined;
  /** Longer cells are cut with an ellipsis. */
  max?: number;
}

function show(v: string | number | null | undefined, max?: number): string {
  const s = v === null || v === undefined || v === '' ? '-' : String(v).replace(/\s+/g, ' ');
  return max && s.length > max ? `${s.slice(0, max - 1)}…` : s;
}

/** Left-aligned columns separated by two spaces, a header line first. */
export function renderTable<T>(rows: readonly T[], columns: readonly Column<T>[]): string {
  const cells = rows.map((r) => columns.map((c) => show(c.cell(r), c.max)));
  const widths = columns.map((c, i) => Math.max(c.header.length, ...cells.map((row) => row[i].length)));
  const line = (parts: string[]) => parts.map((p, i) => (i === parts.length - 1 ? p : p.padEnd(widths[i]))).join('  ').trimEnd();
  return [line(columns.map((c) => c.header)), ...cells.map(line)].join('\n') + '\n';
}

/** "key: value" lines, keys aligned. */
export function renderFields(fields: ReadonlyArray<[string, string | number | null | undefined]>): string {
  const w = Math.max(...fields.map(([k]) => k.length));
  return fields.map(([k, v]) => `${`${k}:`.padEnd(w + 1)} ${show(v)}`).join('\n') + '\n';
}

/** Time as people read it in a table: ISO without milliseconds, UTC. */
export function when(d: Date | string | null | undefined): string | undefined {
  if (!d) return undefined;
  return new Date(d).toISOString().replace(/\.\d{3}Z$/, 'Z');
}

/** A duration as people read it: 45s, 3m05s, 2h04m, 3d02h. */
export function duration(seconds: number | null | undefined): string | undefined {
  if (seconds === null || seconds === undefined) return undefined;
  const s = Math.max(0, Math.round(seconds));
  const two = (n: number) => String(n).padStart(2, '0');
  if (s < 60) return `${s}s`;
  if (s < 3600) return `${Math.floor(s / 60)}m${two(s % 60)}s`;
  if (s < 86400) return `${Math.floor(s / 3600)}h${two(Math.floor((s % 3600) / 60))}m`;
  return `${Math.floor(s / 86400)}d${two(Math.floor((s % 86400) / 3600))}h`;
}

/** An expected start as people read it: "14:05:10Z (in 3m05s)", "(due)" once it has passed. */
export function expectedStart(d: Date | string | null | undefined, now = Date.now()): string | undefined {
  if (!d) return undefined;
  const t = new Date(d);
  const left = (t.getTime() - now) / 1000;
  const day = t.toISOString().slice(0, 10) === new Date(now).toISOString().slice(0, 10) ? '' : `${t.toISOString().slice(0, 10)} `;
  return `${day}${t.toISOString().slice(11, 19)}Z (${left > 0 ? `in ${duration(left)}` : 'due'})`;
}

export function json(v: unknown): string {
  return `${JSON.stringify(v, null, 2)}\n`;
}
