/**
 * One EventSource for the whole page. "ready" (on every (re)connect) means: reload what you show;
 * "status" carries one state change. Pages subscribe and decide what concerns them.
 */
export interface LiveEvent { entity: string; state: string; experimentId: string; jobId?: string; processId?: string; time: string }
/** live: events flow; polling: the console has no event stream (Kafka unreachable), pages poll; offline: no connection to the console. */
export type LiveState = 'connecting' | 'live' | 'polling' | 'offline';

type Listener = (e: LiveEvent | 'ready') => void;
const listeners = new Set<Listener>();
const stateListeners = new Set<(s: LiveState) => void>();
let source: EventSource | undefined;
let state: LiveState = 'connecting';

function setState(s: LiveState): void {
  state = s;
  for (const l of stateListeners) l(s);
}

export function connectLive(): void {
  if (source) return;
  source = new EventSource('/api/events');
  source.addEventListener('ready', (m) => {
    let events = true;
    try { events = JSON.parse((m as MessageEvent).data).events !== false; } catch { /* an old server: assume events */ }
    setState(events ? 'live' : 'polling');
    for (const l of [...listeners]) l('ready');
  });
  source.addEventListener('status', (m) => {
    let e: LiveEvent;
    try { e = JSON.parse((m as MessageEvent).data); } catch { return; }
    for (const l of [...listeners]) l(e);
  });
  // The browser reconnects by itself (retry: 2000); "ready" comes again when it has.
  source.onerror = () => setState('offline');
}

export function disconnectLive(): void {
  source?.close();
  source = undefined;
  setState('connecting');
}

export function onLive(l: Listener): () => void {
  listeners.add(l);
  return () => listeners.delete(l);
}

export function liveState(): LiveState {
  return state;
}

export function onLiveState(l: (s: LiveState) => void): () => void {
  stateListeners.add(l);
  l(state);
  return () => stateListeners.delete(l);
}
