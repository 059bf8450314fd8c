/**
 * The first index of `sorted` (ascending) whose element is not less than `x`: where `x` is, or
 * would be inserted to keep the order. Binary search, shared by the step profiles of time and the
 * sorted id lists.
 */
export function lowerBound<T extends number | string>(sorted: readonly T[], x: T): number {
  let lo = 0;
  let hi = sorted.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (sorted[mid] < x) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}
