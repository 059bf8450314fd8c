import { useState } from 'preact/hooks';
import { DeadLetter, get, Me, post } from '../api';
import { ErrorBox, Link, Loading } from '../components';
import { when } from '../format';
import { useLiveData } from '../hooks';
import { mayReplay } from '../rights';

export function DeadLettersPage(p: { me: Me }) {
  const { data, error, reload } = useLiveData(() => get<{ deadLetters: DeadLetter[] }>('/api/dead-letters'), []);
  const [message, setMessage] = useState<string | undefined>();
  const [actionError, setActionError] = useState<string | undefined>();
  const canReplay = mayReplay(p.me);
  // Keycloak users see their own dead letters; replaying them is their gateway admins' (the operate right).
  const replayNote = p.me.rights ? 'replay: gateway admins' : 'read-only';
  const replay = async (d: DeadLetter) => {
    if (!confirm(`Replay ${d.stage} of job ${d.jobId}? Fix its cause first.`)) return;
    setActionError(undefined);
    try {
      await post(`/api/dead-letters/${encodeURIComponent(d.id)}/replay`);
      setMessage(`replaying ${d.stage} of job ${d.jobId}`);
      reload();
    } catch (e) {
      setActionError((e as Error).message);
    }
  };
  return (
    <section>
      <h1>Dead letters</h1>
      <p class="muted">Provisioning stages that ran out of attempts. Fix the cause (the last error says what), then replay: the stage runs again with fresh attempts and its process is requeued.</p>
      <ErrorBox error={error ?? actionError} />
      {message && <div class="notice">{message}</div>}
      {!data ? <Loading /> : (
        <table>
          <thead><tr><th>Id</th><th>Stage</th><th>Job</th><th class="num">Tries</th><th>Dead since</th><th>Last error</th><th></th></tr></thead>
          <tbody>
            {data.deadLetters.length === 0 && <tr><td colSpan={7} class="muted">the dead-letter queue is empty</td></tr>}
            {data.deadLetters.map((d) => (
              <tr key={d.id} data-dead-letter={d.id}>
                <td>{d.id}</td><td>{d.stage}</td>
                <td><Link to={`/jobs/${encodeURIComponent(d.jobId)}`}>{d.jobId}</Link></td>
                <td class="num">{d.attempts}</td><td class="nowrap">{when(d.deadAt)}</td>
                <td><pre class="inline">{d.lastError}</pre></td>
                <td>{canReplay ? <button onClick={() => void replay(d)}>Replay</button> : <span class="muted small">{replayNote}</span>}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </section>
  );
}
