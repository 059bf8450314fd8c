const TERMINATING: readonly NodeJS.Signals[] = ['SIGTERM', 'SIGINT', 'SIGHUP'];

/** Runs handler on the signals that end a task (Mesos kill sends SIGTERM); returns the unhook. */
export function onTermination(handler: (signal: NodeJS.Signals) => void): () => void {
  const listeners = TERMINATING.map((s) => {
    const l = () => handler(s);
    process.on(s, l);
    return [s, l] as const;
  });
  return () => listeners.forEach(([s, l]) => process.off(s, l));
}
