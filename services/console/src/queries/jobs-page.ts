import type { DataSource } from 'typeorm';
import { Db, queryRows } from '@msched/db';

/** One row of the console's jobs table. */
export interface JobRowView {
  jobId: string;
  experimentId: string;
  experimentName: string;
  state: string;
  experimentState: string;
  gatewayId: string;
  userName: string;
  queueName: string | null;
  ranks: number | null;
  attempt: number;
  createdAt: Date;
  queuedAt: Date | null;
  launchedAt: Date | null;
  settledAt: Date | null;
  waitReason: string | null;
  /** When the dispatcher expects the gang to start (current while it waits). */
  expectedStartAt: Date | null;
}

export interface JobsPageFilter {
  /** JobState name (QUEUED, ACTIVE, COMPLETE, FAILED, CANCELED, ...). */
  state?: string;
  gateway?: string;
  user?: string;
  queue?: string;
  /** Part of the experiment name, experiment id or job id (case-insensitive). */
  search?: string;
  /** Keyset cursor: the last row of the previous page. */
  after?: JobsCursor;
  limit: number;
}

export interface JobsCursor { createdAt: string; jobId: string }

export interface JobsPage {
  jobs: JobRowView[];
  /** Cursor of the next (older) page, absent on the last one. */
  next?: string;
}

export class CursorError extends Error {}

/** Cursors are opaque to the browser: base64url of "createdAt|jobId". */
export function encodeCursor(c: JobsCursor): string {
  return Buffer.from(`${c.createdAt}|${c.jobId}`, 'utf8').toString('base64url');
}

export function decodeCursor(s: string): JobsCursor {
  const text = Buffer.from(s, 'base64url').toString('utf8');
  const bar = text.indexOf('|');
  const createdAt = text.slice(0, bar);
  if (bar <= 0 || Number.isNaN(Date.parse(createdAt)) || text.length === bar + 1) throw new CursorError('the page cursor is not one this console gave out');
  return { createdAt, jobId: text.slice(bar + 1) };
}

/** LIKE pattern matching `s` literally anywhere. */
function containing(s: string): string {
  return `%${s.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
}

/**
 * Runs `f` in a transaction planned without parallel workers. A page of 100 rows never gains from
 * them, but a filter that keeps a small share of the rows (one user's jobs) makes PostgreSQL expect a long walk of
 * the index and start a worker, which alone cost 50 to 150 ms on a busy server (bench/console:
 * user filter 155 ms median with a worker, 28 ms without, same run).
 */
export async function withoutParallelWorkers<T>(ds: Pick<DataSource, 'transaction'>, f: (db: Db) => Promise<T>): Promise<T> {
  return ds.transaction(async (m) => {
    await m.query('SET LOCAL max_parallel_workers_per_gather = 0');
    return f(m);
  });
}

/**
 * Jobs newest first, one page at a time. Paging is by keyset (created_at, id), so a page deep in a
 * million jobs costs what the first one does (index jobs_newest_idx), and jobs arriving while an
 * operator pages do not shift the rows.
 */
export async function jobsPage(ds: Pick<DataSource, 'transaction' | 'query'>, f: JobsPageFilter): Promise<JobsPage> {
  // Unfiltered pages walk the index from the start or the cursor, never in parallel: one round trip
  // instead of the transaction's four.
  const filtered = Boolean(f.state || f.gateway || f.user || f.queue || f.search);
  return filtered ? withoutParallelWorkers(ds, (db) => readJobsPage(db, f)) : readJobsPage(ds, f);
}

async function readJobsPage(db: Db, f: JobsPageFilter): Promise<JobsPage> {
  // created_at is compared as text from Postgres itself (microseconds), never through a JS Date (milliseconds).
  const rows = await queryRows<JobRowView & { cursorAt: string }>(db, `
    SELECT j.id AS "jobId", j.experiment_id AS "experimentId", e.name AS "experimentName", j.state,
           e.state AS "experimentState", e.gateway_id AS "gatewayId", e.user_name AS "userName",
           p.resource_schedule ->> 'queueName' AS "queueName",
           (p.resource_schedule ->> 'totalCPUCount')::integer AS ranks, j.attempt,
           j.created_at AS "createdAt", j.queued_at AS "queuedAt", j.launched_at AS "launchedAt",
           j.settled_at AS "settledAt", j.wait_reason AS "waitReason", j.expected_start_at AS "expectedStartAt",
           j.created_at::text AS "cursorAt"
    FROM jobs j
    JOIN experiments e ON e.id = j.experiment_id
    JOIN processes p ON p.id = j.process_id
    WHERE ($1::text IS NULL OR j.state = $1)
      AND ($2::text IS NULL OR e.gateway_id = $2)
      AND ($3::text IS NULL OR e.user_name = $3)
      AND ($4::text IS NULL OR p.resource_schedule ->> 'queueName' = $4)
      AND ($5::text IS NULL OR e.name ILIKE $5 OR j.experiment_id ILIKE $5 OR j.id ILIKE $5)
      AND ($6::timestamptz IS NULL OR (j.created_at, j.id) < ($6::timestamptz, $7::text))
    ORDER BY j.created_at DESC, j.id DESC
    LIMIT $8`, [
    f.state ?? null, f.gateway ?? null, f.user ?? null, f.queue ?? null,
    f.search ? containing(f.search) : null, f.after?.createdAt ?? null, f.after?.jobId ?? null, f.limit + 1,
  ]);
  const more = rows.length > f.limit;
  const page = more ? rows.slice(0, f.limit) : rows;
  const last = page[page.length - 1];
  const jobs = page.map(({ cursorAt: _c, ...r }) => r);
  return more && last ? { jobs, next: encodeCursor({ createdAt: last.cursorAt, jobId: last.jobId }) } : { jobs };
}
