/** Number and word helpers so every reason reads the same way. */

/** Up to three decimals (Mesos' scalar precision), without trailing zeros. */
export function num(n: number): string {
  return String(Math.round(n * 1000) / 1000);
}

export function plural(n: number, word: string, many = `${word}s`): string {
  return `${num(n)} ${n === 1 ? word : many}`;
}

export function basisWord(basis: 'free' | 'total'): string {
  return basis === 'free' ? 'free' : 'in total';
}
