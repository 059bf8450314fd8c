/** Runs `fn` every `ms` until stopped; the process may exit meanwhile (unref). */
export function every(ms: number, fn: () => void): () => void {
  const timer = setInterval(fn, ms);
  timer.unref();
  return () => clearInterval(timer);
}
