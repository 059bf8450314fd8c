/** An agent chosen by index, with the ranks it gets. */
export interface SlotPick {
  readonly agent: number;
  readonly ranks: number;
}

/**
 * planPack's picks from slot counts alone, for a gang the caller knows fits: agents ranked most
 * slots first, agent order among equals (mostSlotsFirst's order), the roomiest filled, the remainder
 * on the smallest agent that holds it. The same picks without a candidate record per agent (placement
 * runs for every gang that starts, every backfill candidate and the head at every estimate).
 * `slots[i]` < 0: agent i was refused by a filter. Undefined when the slots do not hold `ranks`.
 */
export function packBySlots(slots: readonly number[], ranks: number): SlotPick[] | undefined {
  const ranked: number[] = [];
  let inOrder = true;
  for (let i = 0; i < slots.length; i++) {
    if (slots[i] < 0) continue;
    if (ranked.length && slots[ranked[ranked.length - 1]] < slots[i]) inOrder = false;
    ranked.push(i);
  }
  // Agents alike (one-cpu agents, or all idle) are ranked already: the sort is for the others.
  if (!inOrder) ranked.sort((a, b) => slots[b] - slots[a] || a - b);
  let sum = 0;
  let k = 0;
  while (k < ranked.length && sum < ranks) sum += slots[ranked[k++]];
  if (sum < ranks) return undefined;
  const picks: SlotPick[] = [];
  let filled = 0;
  for (let i = 0; i < k - 1; i++) {
    picks.push({ agent: ranked[i], ranks: slots[ranked[i]] });
    filled += slots[ranked[i]];
  }
  // bestFitIndex over ranked[k - 1..]: the fewest slots that still hold the remainder, first among equals.
  const remainder = ranks - filled;
  let j = k - 1;
  while (j + 1 < ranked.length && slots[ranked[j + 1]] >= remainder) j++;
  while (j > k - 1 && slots[ranked[j - 1]] === slots[ranked[j]]) j--;
  picks.push({ agent: ranked[j], ranks: remainder });
  return picks;
}
