/**
 * A small checker for proto-shaped JSON: it walks a value, records problems with their field path
 * (`accept.operations[0].launch.task_infos[1].name`), and never throws, so every rejection keeps
 * all of its reasons.
 */
export class ShapeProblems {
  readonly missing: string[] = [];
  readonly invalid: string[] = [];

  get ok(): boolean {
    return this.missing.length === 0 && this.invalid.length === 0;
  }

  /** Worded like stout's protobuf parser so clients see the messages a real master gives. */
  describe(): string {
    const parts: string[] = [];
    if (this.invalid.length) parts.push(this.invalid.join('; '));
    if (this.missing.length) parts.push(`Missing required fields: ${this.missing.join(', ')}`);
    return parts.join('; ');
  }
}

export type Json = null | boolean | number | string | Json[] | { [k: string]: Json };

export function isObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

export class Shape {
  constructor(readonly problems: ShapeProblems = new ShapeProblems()) {}

  /** An optional sub-message; returns it when present and an object. */
  object(parent: Record<string, unknown>, key: string, path: string, required = false): Record<string, unknown> | undefined {
    const v = parent[key];
    if (v === undefined || v === null) {
      if (required) this.problems.missing.push(join(path, key));
      return undefined;
    }
    if (!isObject(v)) {
      this.problems.invalid.push(`Expecting a JSON object for field '${join(path, key)}'`);
      return undefined;
    }
    return v;
  }

  string(parent: Record<string, unknown>, key: string, path: string, required = false): string | undefined {
    const v = parent[key];
    if (v === undefined || v === null) {
      if (required) this.problems.missing.push(join(path, key));
      return undefined;
    }
    if (typeof v !== 'string') {
      this.problems.invalid.push(`Not expecting a JSON ${jsonType(v)} for field '${join(path, key)}'`);
      return undefined;
    }
    return v;
  }

  number(parent: Record<string, unknown>, key: string, path: string, required = false): number | undefined {
    const v = parent[key];
    if (v === undefined || v === null) {
      if (required) this.problems.missing.push(join(path, key));
      return undefined;
    }
    // proto3 JSON allows numbers as strings (int64 especially).
    const n = typeof v === 'string' && v.trim() !== '' ? Number(v) : v;
    if (typeof n !== 'number' || !Number.isFinite(n)) {
      this.problems.invalid.push(`Not expecting a JSON ${jsonType(v)} for numeric field '${join(path, key)}'`);
      return undefined;
    }
    return n;
  }

  boolean(parent: Record<string, unknown>, key: string, path: string): boolean | undefined {
    const v = parent[key];
    if (v === undefined || v === null) return undefined;
    if (typeof v !== 'boolean') {
      this.problems.invalid.push(`Not expecting a JSON ${jsonType(v)} for boolean field '${join(path, key)}'`);
      return undefined;
    }
    return v;
  }

  array(parent: Record<string, unknown>, key: string, path: string): unknown[] {
    const v = parent[key];
    if (v === undefined || v === null) return [];
    if (!Array.isArray(v)) {
      this.problems.invalid.push(`Expecting a JSON array for repeated field '${join(path, key)}'`);
      return [];
    }
    return v;
  }

  /** `{"value": "..."}` ids (FrameworkID, TaskID, AgentID...). */
  id(parent: Record<string, unknown>, key: string, path: string, required = false): string | undefined {
    const o = this.object(parent, key, path, required);
    if (!o) return undefined;
    return this.string(o, 'value', join(path, key), true);
  }

  /** Repeated ids (`offer_ids`...); returns the values that are well formed. */
  idArray(parent: Record<string, unknown>, key: string, path: string): string[] {
    return this.array(parent, key, path).flatMap((v, i) => {
      const p = `${join(path, key)}[${i}]`;
      if (!isObject(v)) {
        this.problems.invalid.push(`Expecting a JSON object for field '${p}'`);
        return [];
      }
      const value = this.string(v, 'value', p, true);
      return value === undefined ? [] : [value];
    });
  }

  enumName<T extends string>(parent: Record<string, unknown>, key: string, path: string, allowed: readonly T[], required = false): T | undefined {
    const v = this.string(parent, key, path, required);
    if (v === undefined) return undefined;
    if (!(allowed as readonly string[]).includes(v)) {
      // An unknown name of an optional enum is dropped, as protobuf does; of a required one it is an error.
      if (required) this.problems.invalid.push(`Failed to find enum for '${v}' in field '${join(path, key)}'`);
      return undefined;
    }
    return v as T;
  }

  stringArray(parent: Record<string, unknown>, key: string, path: string): string[] {
    return this.array(parent, key, path).flatMap((v, i) => {
      if (typeof v === 'string') return [v];
      this.problems.invalid.push(`Not expecting a JSON ${jsonType(v)} for field '${join(path, key)}[${i}]'`);
      return [];
    });
  }
}

export function join(path: string, key: string): string {
  return path ? `${path}.${key}` : key;
}

function jsonType(v: unknown): string {
  if (Array.isArray(v)) return 'array';
  if (v === null) return 'null';
  return typeof v === 'object' ? 'object' : typeof v;
}
