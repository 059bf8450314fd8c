import { useCallback, useEffect, useRef, useState } from 'preact/hooks';
import { ApiError } from './api';
import { LiveEvent, onLive, onLiveState } from './live';

const POLL_MS = 10_000;

/**
 * Loads data, and loads it again when a live event concerns it (debounced: a burst of state changes
 * is one reload). `concerns` decides which events matter; "ready" (stream (re)connected) always does.
 */
export function useLiveData<T>(load: () => Promise<T>, deps: unknown[], concerns: (e: LiveEvent) => boolean = () => true) {
  const [data, setData] = useState<T | undefined>(undefined);
  const [error, setError] = useState<string | undefined>(undefined);
  const timer = useRef<number | undefined>(undefined);
  const generation = useRef(0);
  const reload = useCallback(() => {
    const mine = ++generation.current;
    load().then(
      (d) => { if (mine === generation.current) { setData(d); setError(undefined); } },
      (e: Error) => { if (mine === generation.current) setError(e instanceof ApiError ? e.message : `cannot reach the console: ${e.message}`); },
    );
  }, deps);
  useEffect(() => {
    reload();
    const off = onLive((e) => {
      if (e !== 'ready' && !concerns(e)) return;
      clearTimeout(timer.current);
      timer.current = window.setTimeout(reload, 250);
    });
    // Without events (no stream, or the console has none from Kafka) the page polls instead.
    let poll: number | undefined;
    const offState = onLiveState((s) => {
      clearInterval(poll);
      poll = s === 'live' || s === 'connecting' ? undefined : window.setInterval(reload, POLL_MS);
    });
    return () => { off(); offState(); clearTimeout(timer.current); clearInterval(poll); };
  }, [reload]);
  return { data, error, reload };
}

/** Re-renders every `ms` (running durations keep counting between events). */
export function useTick(ms: number): number {
  const [n, setN] = useState(0);
  useEffect(() => {
    const t = window.setInterval(() => setN((x) => x + 1), ms);
    return () => clearInterval(t);
  }, [ms]);
  return n;
}
