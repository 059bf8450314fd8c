import { render } from 'preact';
import { useEffect, useState } from 'preact/hooks';
import { del, get, Me, setUnauthorizedHandler } from './api';
import { Link } from './components';
import { connectLive, disconnectLive, LiveState, onLiveState } from './live';
import { ClusterPage } from './pages/cluster';
import { DeadLettersPage } from './pages/dead-letters';
import { JobPage } from './pages/job';
import { JobsPageView } from './pages/jobs';
import { LoginPage } from './pages/login';
import { rightsInWords, whoLabel } from './rights';
import { navigate, useLocation } from './router';

function LiveBadge() {
  const [s, setS] = useState<LiveState>('connecting');
  useEffect(() => onLiveState(setS), []);
  return <span class={`live live-${s}`} data-testid="live" title="live updates from the event stream">{s === 'live' ? '● live' : s === 'polling' ? '◐ no event stream: refreshing every 10 s' : s === 'offline' ? '○ reconnecting' : '○ connecting'}</span>;
}

function App() {
  const { path, query } = useLocation();
  const [me, setMe] = useState<Me | null | undefined>(undefined);
  useEffect(() => {
    setUnauthorizedHandler(() => { disconnectLive(); setMe(null); });
    get<Me>('/api/me').then(setMe, () => setMe(null));
  }, []);
  useEffect(() => { if (me) connectLive(); }, [me]);

  if (me === undefined) return <div class="muted pad">loading…</div>;
  if (me === null) return <LoginPage onLogin={(m) => { setMe(m); if (path === '/login') navigate('/jobs'); }} />;

  const logout = async () => {
    await del('/api/session').catch(() => undefined);
    disconnectLive();
    setMe(null);
  };
  const section = path.startsWith('/cluster') ? 'cluster' : path.startsWith('/dead-letters') ? 'dlq' : 'jobs';
  const jobMatch = /^\/jobs\/(.+)$/.exec(path);
  return (
    <>
      <header>
        <span class="brand">msched console</span>
        <nav>
          <Link to="/jobs" class={section === 'jobs' ? 'active' : ''}>Jobs</Link>
          <Link to="/cluster" class={section === 'cluster' ? 'active' : ''}>Cluster</Link>
          <Link to="/dead-letters" class={section === 'dlq' ? 'active' : ''}>Dead letters</Link>
        </nav>
        <span class="spacer" />
        <LiveBadge />
        <span class="who" data-testid="who" title={rightsInWords(me)}>{whoLabel(me)}</span>
        {me.authenticated && <button class="link" onClick={() => void logout()}>Log out</button>}
      </header>
      <main>
        {jobMatch ? <JobPage key={jobMatch[1]} jobId={decodeURIComponent(jobMatch[1])} me={me} />
          : section === 'cluster' ? <ClusterPage />
            : section === 'dlq' ? <DeadLettersPage me={me} />
              : <JobsPageView query={query} />}
      </main>
    </>
  );
}

render(<App />, document.getElementById('app')!);
