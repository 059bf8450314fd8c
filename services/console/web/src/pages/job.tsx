import { useRef, useState } from 'preact/hooks';
import { get, HistoryEntry, JobDetail, Me, post, Task } from '../api';
import { mayCancel } from '../rights';
import { ErrorBox, Link, Loading, State } from '../components';
import { between, bytes, duration, expectedStart, gangColour, isEnded, ms, stateClass, when } from '../format';
import { useLiveData, useTick } from '../hooks';

interface Segment { state: string; from: number; to: number; reason: string | null; open: boolean }
interface Lane { label: string; segments: Segment[] }

/** One lane per entity (experiment, process, job, each task): its states end to end. */
function lanesOf(history: HistoryEntry[], tasks: Task[], now: number): Lane[] {
  const byEntity = new Map<string, HistoryEntry[]>();
  for (const h of history) {
    const key = `${h.entityType}\0${h.entityId}`;
    byEntity.set(key, [...(byEntity.get(key) ?? []), h]);
  }
  const order = ['experiment', 'process', 'job', 'task'];
  const keys = [...byEntity.keys()].sort((a, b) => order.indexOf(a.split('\0')[0]) - order.indexOf(b.split('\0')[0]));
  return keys.map((key) => {
    const [type, id] = key.split('\0');
    const entries = byEntity.get(key)!;
    const task = tasks.find((t) => t.taskId === id);
    const label = type === 'task' ? `task ${task?.hostname ?? task?.agentId ?? ''} (ranks ${task?.ranks.join(',') ?? '?'})` : type;
    return {
      label,
      segments: entries.map((h, i) => {
        const next = entries[i + 1];
        const ended = !next && isEnded(h.state);
        const from = ms(h.at)!;
        return { state: h.state, from, to: next ? ms(next.at)! : ended ? from : now, reason: h.reason, open: !next && !ended };
      }),
    };
  });
}

function Timeline(p: { d: JobDetail; now: number }) {
  const lanes = lanesOf(p.d.history, p.d.tasks, p.now);
  const all = lanes.flatMap((l) => l.segments);
  if (all.length === 0) return <div class="muted">no history yet</div>;
  const start = Math.min(...all.map((s) => s.from));
  const end = Math.max(...all.map((s) => s.to), start + 1);
  const pct = (t: number) => ((t - start) / (end - start)) * 100;
  return (
    <div class="timeline" data-testid="timeline">
      <div class="axis"><span>{when(new Date(start).toISOString())}</span><span>{duration(end - start)} in all</span></div>
      {lanes.map((l) => (
        <div class="lane">
          <div class="lane-label">{l.label}</div>
          <div class="lane-bar">
            {l.segments.map((s) => (
              <div class={`seg ${stateClass(s.state)}`} style={{ left: `${pct(s.from)}%`, width: `max(${pct(s.to) - pct(s.from)}%, 3px)` }}
                title={`${s.state}: ${duration(s.to - s.from)}${s.open ? ' so far' : ''}${s.reason ? ` — ${s.reason}` : ''}`} />
            ))}
          </div>
        </div>
      ))}
      <table class="history">
        <thead><tr><th>At</th><th>Entity</th><th>State</th><th class="num">Lasted</th><th>Reason</th><th>By</th></tr></thead>
        <tbody>
          {p.d.history.map((h) => {
            const lane = lanes.find((l) => l.segments.some((s) => s.from === ms(h.at) && s.state === h.state));
            const seg = lane?.segments.find((s) => s.from === ms(h.at) && s.state === h.state);
            return (
              <tr data-history-state={h.state} data-entity={h.entityType}>
                <td class="nowrap">{when(h.at)}</td><td>{h.entityType}</td><td><State state={h.state} /></td>
                <td class="num">{seg ? (seg.open ? `${duration(seg.to - seg.from)}…` : isEnded(h.state) && seg.to === seg.from ? '' : duration(seg.to - seg.from)) : ''}</td>
                <td>{h.reason ?? ''}</td><td class="muted">{h.source}</td>
              </tr>
            );
          })}
        </tbody>
      </table>
    </div>
  );
}

/** Each agent the gang runs on as a box, each rank a cell: where the ranks are and how each ended. */
function RanksPicture(p: { d: JobDetail }) {
  const { job, tasks } = p.d;
  if (tasks.length === 0) return <div class="muted">not placed yet{p.d.extras.waitReason ? '' : ''}</div>;
  const colour = gangColour(job.jobId);
  return (
    <div class="agents-picture" data-testid="ranks">
      {tasks.map((t) => (
        <div class="agent-box" data-agent={t.agentId ?? ''} data-hostname={t.hostname ?? ''}>
          <div class="agent-title">{t.hostname ?? t.agentId ?? 'unknown agent'} <State state={t.state} /></div>
          <div class="ranks">
            {t.ranks.map((r) => {
              const failed = job.failedRank === r;
              const code = failed ? job.exitCode : t.exitCode;
              return (
                <div class={`rank ${failed ? 'rank-failed' : ''} ${isEnded(t.state) ? 'rank-ended' : ''}`} style={{ background: failed ? undefined : colour }} data-rank={r}
                  title={`rank ${r} on ${t.hostname ?? t.agentId ?? '?'}: ${t.state}${code !== null && code !== undefined ? `, exit code ${code}` : ''}`}>
                  <span>{r}</span>
                  {code !== null && code !== undefined && <small>exit {code}</small>}
                </div>
              );
            })}
          </div>
          {t.message && <div class="muted small">{t.message}</div>}
        </div>
      ))}
    </div>
  );
}

export function JobPage(p: { jobId: string; me: Me }) {
  const [actionError, setActionError] = useState<string | undefined>();
  const [canceling, setCanceling] = useState(false);
  const tick = useTick(1000);
  // Events about the experiment (its process, its other attempts) matter too, not only the job's own.
  const experimentId = useRef<string | undefined>(undefined);
  const { data, error, reload } = useLiveData<JobDetail>(() => get<JobDetail>(`/api/jobs/${encodeURIComponent(p.jobId)}`), [p.jobId],
    (e) => e.jobId === p.jobId || e.experimentId === experimentId.current);
  const d = data;
  experimentId.current = d?.job.experimentId;
  const now = Date.now() + tick * 0;

  const cancel = async () => {
    if (!d || !confirm(`Cancel experiment "${d.job.experimentName}"?`)) return;
    setActionError(undefined);
    setCanceling(true);
    try {
      await post(`/api/jobs/${encodeURIComponent(p.jobId)}/cancel`);
      reload();
    } catch (e) {
      setActionError((e as Error).message);
    } finally {
      setCanceling(false);
    }
  };

  if (!d) return <section><ErrorBox error={error} />{!error && <Loading />}</section>;
  const { job, extras } = d;
  const experimentEnded = ['COMPLETED', 'FAILED', 'CANCELED', 'CANCELING'].includes(job.experimentState);
  return (
    <section>
      <div class="crumbs"><Link to="/jobs">Jobs</Link> / {job.jobId}</div>
      <h1 class="name" data-testid="experiment-name">{job.experimentName}</h1>
      <ErrorBox error={error ?? actionError} />
      <div class="facts">
        <div><span class="muted">job</span> <State state={job.state} /></div>
        <div><span class="muted">experiment</span> <span data-testid="experiment-state"><State state={job.experimentState} /></span></div>
        <div><span class="muted">process</span> <State state={job.processState} /></div>
        <div><span class="muted">user</span> {job.userName}</div>
        <div><span class="muted">gateway</span> {job.gatewayId}</div>
        <div><span class="muted">queue</span> {job.queueName ?? ''}</div>
        <div><span class="muted">ranks</span> {job.totalCpuCount ?? ''}</div>
        <div><span class="muted">attempt</span> {job.attempt}</div>
        <div><span class="muted">waited</span> {duration(between(extras.queuedAt ?? job.createdAt, extras.launchedAt ?? extras.settledAt, now))}</div>
        <div><span class="muted">ran</span> {extras.launchedAt ? duration(between(extras.launchedAt, extras.settledAt, now)) : ''}</div>
        {job.exitCode !== null && <div><span class="muted">exit code</span> {job.exitCode}{job.failedRank !== null ? ` (rank ${job.failedRank})` : ''}</div>}
        <div class="ids muted small">experiment {job.experimentId} · process {job.processId}</div>
      </div>
      {extras.waitReason && !extras.launchedAt && <div class="notice" data-testid="wait-reason">Waiting: {extras.waitReason}{extras.expectedStartAt && !extras.settledAt && <> · expected to start {expectedStart(extras.expectedStartAt)}</>}</div>}
      {job.reason && <div class="muted">reason: {job.reason}</div>}
      {mayCancel(p.me, job) && !experimentEnded && (
        <button class="danger" data-testid="cancel" disabled={canceling} onClick={() => void cancel()}>{canceling ? 'Canceling…' : 'Cancel experiment'}</button>
      )}
      <h2>Timeline</h2>
      <Timeline d={d} now={now} />
      <h2>Ranks per agent</h2>
      <RanksPicture d={d} />
      <h2>Output</h2>
      {d.outputs.length > 0 && (
        <ul class="outputs">{d.outputs.map((o) => <li><a href={`/api/jobs/${encodeURIComponent(job.jobId)}/outputs/${encodeURIComponent(o.name)}`} download={o.name}>{o.name}</a> <span class="muted small">{bytes(o.size)}</span></li>)}</ul>
      )}
      <div class="tails">
        <div><h3>stdout{d.stdout?.truncated ? ' (last part)' : ''}</h3><pre class="tail" data-testid="stdout">{d.stdout?.text ?? 'no stdout yet'}</pre></div>
        <div><h3>stderr{d.stderr?.truncated ? ' (last part)' : ''}</h3><pre class="tail" data-testid="stderr">{d.stderr?.text ?? 'no stderr yet'}</pre></div>
      </div>
    </section>
  );
}
