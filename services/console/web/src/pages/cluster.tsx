import { useEffect } from 'preact/hooks';
import { Cluster, get } from '../api';
import { ErrorBox, Link, Loading } from '../components';
import { between, duration, expectedStart, gangColour } from '../format';
import { useLiveData, useTick } from '../hooks';

/** Each agent is a box whose CPU bar is filled by the gangs running there, then held offers, then free CPUs. */
export function ClusterPage() {
  const { data, error, reload } = useLiveData(() => get<Cluster>('/api/cluster'), []);
  // Offers come and go without a status event: the agents are read again every few seconds too.
  const tick = useTick(5000);
  useEffect(() => { if (tick > 0) reload(); }, [tick]);
  if (!data) return <section><ErrorBox error={error} />{!error && <Loading />}</section>;
  return (
    <section>
      <h1>Cluster</h1>
      <ErrorBox error={error ?? (data.masterError ? `the Mesos master cannot be read: ${data.masterError}` : undefined)} />
      {data.master && <div class="muted small">master {data.master}</div>}
      <div class="legend"><span class="swatch gang" /> gang (colour per job) <span class="swatch held" /> held offer <span class="swatch free" /> free</div>
      <div class="cluster">
        {data.agents.map((a) => {
          const total = Math.max(a.total.cpus, 0.0001);
          const gangCpus = a.gangs.reduce((s, g) => s + g.cpus, 0);
          const otherUsed = Math.max(0, a.used.cpus - gangCpus);
          return (
            <div class={`agent ${a.active ? '' : 'inactive'}`} data-agent={a.id}>
              <div class="agent-title">{a.hostname}<span class="muted small"> {a.active ? '' : '(inactive)'}</span></div>
              <div class="cpu-bar" title={`${a.used.cpus} of ${a.total.cpus} CPUs used, ${a.offered.cpus} offered`}>
                {a.gangs.map((g) => (
                  <Link to={`/jobs/${encodeURIComponent(g.jobId)}`} class="fill" title={`${g.experimentName}: ranks ${g.ranks.join(', ')} (${g.cpus} CPUs, ${g.taskState})`}>
                    <span class="fill-inner" style={{ width: `${(g.cpus / total) * 100}%`, background: gangColour(g.jobId) }} data-job={g.jobId} />
                  </Link>
                ))}
                {otherUsed > 0 && <span class="fill-inner other" style={{ width: `${(otherUsed / total) * 100}%` }} title={`${otherUsed} CPUs used by other frameworks`} />}
                {a.offered.cpus > 0 && <span class="fill-inner held" style={{ width: `${(a.offered.cpus / total) * 100}%` }} title={`${a.offered.cpus} CPUs offered to a framework (held)`} />}
              </div>
              <div class="agent-numbers small">
                CPUs {a.used.cpus}/{a.total.cpus} used · {a.offered.cpus} held · {a.free.cpus} free<br />
                memory {a.used.mem}/{a.total.mem} MB used · {a.offered.mem} held
              </div>
              <ul class="agent-gangs">
                {a.gangs.map((g) => (
                  <li><span class="swatch" style={{ background: gangColour(g.jobId) }} /> <Link to={`/jobs/${encodeURIComponent(g.jobId)}`}>{g.experimentName}</Link> <span class="muted small">ranks {g.ranks.join(',')}</span></li>
                ))}
              </ul>
            </div>
          );
        })}
        {data.agents.length === 0 && !data.masterError && <div class="muted">no agents registered</div>}
      </div>
      <h2>Waiting gangs <span class="muted small">(soonest expected start first)</span></h2>
      <table class="waiting">
        <thead><tr><th class="num">#</th><th>Experiment</th><th>Gateway</th><th>User</th><th class="num">Ranks</th><th class="num">Waiting for</th><th>Expected start</th><th>Why it waits</th></tr></thead>
        <tbody>
          {data.waiting.length === 0 && <tr><td colSpan={8} class="muted">no gang is waiting</td></tr>}
          {data.waiting.map((w, i) => (
            <tr data-job-id={w.jobId}>
              <td class="num">{i + 1}</td>
              <td><Link to={`/jobs/${encodeURIComponent(w.jobId)}`}>{w.experimentName}</Link></td>
              <td>{w.gatewayId}</td>
              <td>{w.userName}</td>
              <td class="num">{w.ranks ?? ''}</td>
              <td class="num">{duration(between(w.queuedAt, null))}</td>
              <td class="nowrap" data-testid="expected-start">{expectedStart(w.expectedStartAt) || <span class="muted">not estimated</span>}</td>
              <td>{w.waitReason ?? <span class="muted">not judged yet</span>}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </section>
  );
}
