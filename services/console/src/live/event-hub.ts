import type { StatusEvent } from '@msched/model';

/** What the console sends to browsers: enough to know which page to refresh, nothing more. */
export interface LiveEvent {
  entity: string;
  state: string;
  experimentId: string;
  jobId?: string;
  processId?: string;
  time: string;
}

export type LiveListener = (e: LiveEvent) => void;

/** Fans events out to the connected browsers. A listener that throws is dropped, not the others. */
export class EventHub {
  private readonly listeners = new Set<LiveListener>();
  private readonly availabilityListeners = new Set<(available: boolean) => void>();
  private eventsAvailable = false;

  /** Whether events flow (the console reads the events topic); pages poll while they do not. */
  get available(): boolean {
    return this.eventsAvailable;
  }

  setAvailable(available: boolean): void {
    if (available === this.eventsAvailable) return;
    this.eventsAvailable = available;
    for (const l of [...this.availabilityListeners]) l(available);
  }

  onAvailability(l: (available: boolean) => void): () => void {
    this.availabilityListeners.add(l);
    return () => this.availabilityListeners.delete(l);
  }

  subscribe(l: LiveListener): () => void {
    this.listeners.add(l);
    return () => this.listeners.delete(l);
  }

  get size(): number {
    return this.listeners.size;
  }

  publish(e: LiveEvent): void {
    for (const l of [...this.listeners]) {
      try {
        l(e);
      } catch {
        this.listeners.delete(l);
      }
    }
  }
}

/** The fields of a status event a browser needs (reasons and names are fetched from the API, escaped there). */
export function liveEventOf(s: Partial<StatusEvent>): LiveEvent | undefined {
  if (typeof s.entity !== 'string' || typeof s.state !== 'string' || typeof s.experimentId !== 'string') return undefined;
  return {
    entity: s.entity, state: s.state, experimentId: s.experimentId,
    ...(typeof s.jobId === 'string' ? { jobId: s.jobId } : {}),
    ...(typeof s.processId === 'string' ? { processId: s.processId } : {}),
    time: typeof s.time === 'string' ? s.time : new Date().toISOString(),
  };
}
