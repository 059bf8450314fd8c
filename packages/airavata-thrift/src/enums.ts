/**
 * Thrift enums arrive as numbers and are stored (in the job database, in events) by name. These
 * helpers convert both ways and refuse values the enum does not have, so an out-of-range number
 * from the wire never becomes a bogus state name.
 */
type NumericEnum = Record<string | number, string | number>;

export class UnknownEnumValueError extends Error {
  readonly retriable = false;
  constructor(readonly enumName: string, readonly value: unknown) {
    super(`${String(value)} is not a ${enumName}`);
    this.name = 'UnknownEnumValueError';
  }
}

export function isEnumValue(e: NumericEnum, value: unknown): value is number {
  return typeof value === 'number' && Number.isInteger(value) && typeof e[value] === 'string';
}

/** The name of `value` in enum `e` (e.g. 3 → 'LAUNCHED'); throws UnknownEnumValueError otherwise. */
export function enumName<E extends NumericEnum>(e: E, value: unknown, what = 'enum value'): Extract<keyof E, string> {
  if (!isEnumValue(e, value)) throw new UnknownEnumValueError(what, value);
  return e[value] as Extract<keyof E, string>;
}

/** The number of `name` in enum `e` (e.g. 'LAUNCHED' → 3); throws UnknownEnumValueError otherwise. */
export function enumValue<E extends NumericEnum>(e: E, name: string, what = 'enum name'): E[keyof E] & number {
  const v = Object.prototype.hasOwnProperty.call(e, name) ? e[name] : undefined;
  if (typeof v !== 'number') throw new UnknownEnumValueError(what, name);
  return v as E[keyof E] & number;
}

/** Every name of the enum in declaration (numeric) order. */
export function enumNames<E extends NumericEnum>(e: E): Array<Extract<keyof E, string>> {
  return Object.keys(e).filter((k) => typeof e[k] === 'number').sort((a, b) => (e[a] as number) - (e[b] as number)) as Array<Extract<keyof E, string>>;
}
