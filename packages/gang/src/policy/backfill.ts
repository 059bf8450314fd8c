import type { SpareResources } from './reservation-estimate';
import type { WaitingGang } from './types';

export type BackfillVerdict = { readonly allowed: true } | { readonly allowed: false; readonly why: string };

export interface HeadReservation {
  readonly gang: WaitingGang;
  /** Epoch ms when it became head of its role's queue. */
  readonly headSince: number;
  /** Estimated epoch ms when it fits; undefined when no estimate exists. */
  readonly fitsAt?: number;
  /** Per agent: what the head leaves over at `fitsAt` (see estimateReservation). */
  readonly spare?: ReadonlyMap<string, SpareResources>;
  /** Per agent: what is free at `fitsAt`, the head's share included (see estimateReservation). */
  readonly atReservation?: ReadonlyMap<string, SpareResources>;
}

/** A wait or wall time in words: 45 s, 12 min, 2.5 h. */
export function formatDuration(ms: number): string {
  const s = Math.round(ms / 1000);
  if (s < 120) return `${s} s`;
  if (s < 7200) return `${Math.round(s / 60)} min`;
  return `${Math.round(s / 360) / 10} h`;
}

/**
 * May `candidate` start before the head gang (EASY backfilling)? Yes when it surely ends before
 * the head's reservation is satisfied, so it cannot delay the head. Without an estimate the
 * reservation is young at first (others may go ahead) and binding once it has aged past
 * `agingSeconds`: then everything freed is kept for the head, so the head cannot starve.
 */
export function mayBackfill(candidate: WaitingGang, head: HeadReservation, now: number, agingSeconds: number): BackfillVerdict {
  if (head.fitsAt !== undefined) {
    const endsAt = now + candidate.wallTimeSeconds * 1000;
    if (endsAt <= head.fitsAt) return ALLOWED;
    return tooLong(head.gang.gangId, head.fitsAt, candidate.wallTimeSeconds);
  }
  const age = now - head.headSince;
  if (age < agingSeconds * 1000) return ALLOWED;
  const headName = `gang ${head.gang.gangId}`;
  return {
    allowed: false,
    why: `waiting behind ${headName}: it has waited ${formatDuration(age)} at the head of the queue, so every freed resource is kept for it`,
  };
}

const ALLOWED: BackfillVerdict = Object.freeze({ allowed: true });

/** The refusals for one head and reservation time, per wall time (seconds). */
let refusals: { headId: string; fitsAt: number; byWallTime: Map<number, BackfillVerdict> } | undefined;

/**
 * The refusal of a gang whose wall time runs past the head's reservation, written once per (head,
 * reservation time, wall time): the whole queue is weighed on every event, most of it refused for
 * the same words as at the last one, and many gangs share a wall time.
 */
function tooLong(headId: string, fitsAt: number, wallTimeSeconds: number): BackfillVerdict {
  if (refusals?.headId !== headId || refusals.fitsAt !== fitsAt) refusals = { headId, fitsAt, byWallTime: new Map() };
  let verdict = refusals.byWallTime.get(wallTimeSeconds);
  if (!verdict) {
    const headName = `gang ${headId}`;
    verdict = Object.freeze({
      allowed: false,
      why: `waiting behind ${headName}: its wall time (${formatDuration(wallTimeSeconds * 1000)}) would end after ${headName} is expected to fit (${isoTime(fitsAt)})`,
    });
    refusals.byWallTime.set(wallTimeSeconds, verdict);
  }
  return verdict;
}

let lastIso: { at: number; text: string } | undefined;

/**
 * The head's reservation time in words, written once per time: every gang refused behind the same
 * head names it, and Date#toISOString was the larger part of weighing a long queue.
 */
function isoTime(at: number): string {
  if (lastIso?.at !== at) lastIso = { at, text: new Date(at).toISOString() };
  return lastIso.text;
}
