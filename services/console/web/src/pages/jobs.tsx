import { useState } from 'preact/hooks';
import { get, JobsPage } from '../api';
import { ErrorBox, Link, Loading, State } from '../components';
import { between, duration, expectedStart, when } from '../format';
import { useLiveData, useTick } from '../hooks';
import { navigate } from '../router';

const STATES = ['', 'SUBMITTED', 'QUEUED', 'ACTIVE', 'COMPLETE', 'FAILED', 'CANCELED', 'SUSPENDED'];

/** Filter values as they appear in the page's URL (so a filtered view can be bookmarked). */
function filtersOf(q: URLSearchParams) {
  return { state: q.get('state') ?? '', q: q.get('q') ?? '', user: q.get('user') ?? '', gateway: q.get('gateway') ?? '', queue: q.get('queue') ?? '' };
}

export function JobsPageView(p: { query: URLSearchParams }) {
  const f = filtersOf(p.query);
  const [cursors, setCursors] = useState<string[]>([]);
  const cursor = cursors[cursors.length - 1];
  useTick(5000);
  const { data, error } = useLiveData<JobsPage>(() => {
    const params = new URLSearchParams();
    for (const [k, v] of Object.entries(f)) if (v) params.set(k, v);
    params.set('limit', '50');
    if (cursor) params.set('cursor', cursor);
    return get<JobsPage>(`/api/jobs?${params}`);
  }, [f.state, f.q, f.user, f.gateway, f.queue, cursor]);

  const submit = (e: Event) => {
    e.preventDefault();
    const form = new FormData(e.target as HTMLFormElement);
    const params = new URLSearchParams();
    for (const k of ['state', 'q', 'user', 'gateway', 'queue']) {
      const v = String(form.get(k) ?? '').trim();
      if (v) params.set(k, v);
    }
    setCursors([]);
    navigate(`/jobs${params.size ? `?${params}` : ''}`);
  };

  return (
    <section>
      <h1>Jobs</h1>
      <form class="filters" onSubmit={submit} key={p.query.toString()}>
        <label>State <select name="state" value={f.state}>{STATES.map((s) => <option value={s}>{s || 'any'}</option>)}</select></label>
        <label>Search <input name="q" type="search" value={f.q} placeholder="experiment name or id, job id" maxLength={200} /></label>
        <label>User <input name="user" value={f.user} maxLength={256} /></label>
        <label>Gateway <input name="gateway" value={f.gateway} maxLength={256} /></label>
        <label>Queue <input name="queue" value={f.queue} maxLength={256} /></label>
        <button type="submit">Filter</button>
      </form>
      <ErrorBox error={error} />
      {!data ? <Loading /> : (
        <>
          <table class="jobs">
            <thead><tr><th>Experiment</th><th>Job state</th><th>User</th><th>Gateway</th><th>Queue</th><th class="num">Ranks</th><th class="num">Wait</th><th>Expected start</th><th class="num">Run</th><th>Created</th></tr></thead>
            <tbody>
              {data.jobs.length === 0 && <tr><td colSpan={10} class="muted">no jobs match</td></tr>}
              {data.jobs.map((j) => (
                <tr key={j.jobId} data-job-id={j.jobId}>
                  <td><Link to={`/jobs/${encodeURIComponent(j.jobId)}`} class="name" title={j.experimentId}>{j.experimentName}</Link><div class="muted small">{j.jobId}</div></td>
                  <td><State state={j.state} />{j.waitReason && <div class="muted small" title={j.waitReason}>waiting</div>}</td>
                  <td>{j.userName}</td>
                  <td>{j.gatewayId}</td>
                  <td>{j.queueName ?? ''}</td>
                  <td class="num">{j.ranks ?? ''}</td>
                  <td class="num">{duration(between(j.queuedAt ?? j.createdAt, j.launchedAt ?? j.settledAt))}</td>
                  <td class="nowrap" data-testid="expected-start">{!j.launchedAt && !j.settledAt ? expectedStart(j.expectedStartAt) : ''}</td>
                  <td class="num">{j.launchedAt ? duration(between(j.launchedAt, j.settledAt)) : ''}</td>
                  <td class="nowrap">{when(j.createdAt)}</td>
                </tr>
              ))}
            </tbody>
          </table>
          <div class="pager">
            <button disabled={cursors.length === 0} onClick={() => setCursors(cursors.slice(0, -1))}>← newer</button>
            <button disabled={!data.next} onClick={() => data.next && setCursors([...cursors, data.next])}>older →</button>
          </div>
        </>
      )}
    </section>
  );
}
