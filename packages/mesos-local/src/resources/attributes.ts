import type { Attribute } from '../protocol/mesos-types';
import { parseRanges } from './ranges';

/**
 * Agent attributes in Mesos' flag syntax, `rack:r1;zone:a;gen:3;slots:[1-4];tags:{a,b}`: a number
 * is SCALAR, `[..]` RANGES, `{..}` SET, anything else TEXT.
 */
export function parseAttributes(text: string): Attribute[] {
  return text.split(';').map((p) => p.trim()).filter(Boolean).map((pair) => {
    const i = pair.indexOf(':');
    if (i <= 0) throw new Error(`attribute "${pair}" is not name:value`);
    const name = pair.slice(0, i).trim();
    const value = pair.slice(i + 1).trim();
    if (/^-?\d+(\.\d+)?$/.test(value)) return { name, type: 'SCALAR', scalar: { value: Number(value) } };
    if (/^\[.*\]$/.test(value)) return { name, type: 'RANGES', ranges: { range: parseRanges(value) } };
    if (/^\{.*\}$/.test(value)) return { name, type: 'SET', set: { item: value.slice(1, -1).split(',').map((s) => s.trim()).filter(Boolean) } };
    return { name, type: 'TEXT', text: { value } };
  });
}

/** v0 form of /master/state: `{"rack":"r1","gen":3}`. */
export function attributesToV0(attrs: readonly Attribute[]): Record<string, string | number> {
  const out: Record<string, string | number> = {};
  for (const a of attrs) {
    if (a.type === 'SCALAR') out[a.name] = a.scalar?.value ?? 0;
    else if (a.type === 'TEXT') out[a.name] = a.text?.value ?? '';
    else if (a.type === 'RANGES') out[a.name] = `[${(a.ranges?.range ?? []).map((r) => `${r.begin}-${r.end}`).join(', ')}]`;
    else out[a.name] = `{${(a.set?.item ?? []).join(', ')}}`;
  }
  return out;
}
