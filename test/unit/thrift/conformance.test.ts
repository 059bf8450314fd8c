import assert from 'node:assert/strict';
import * as gen from '@msched/airavata-thrift';
import { encodeStruct, enumNames, toInt64 } from '@msched/airavata-thrift';
import { ENUMS, STRUCTS, WireType } from './airavata-wire-spec';
import { fieldHeaders, T } from './wire';

type Ctor = new (args?: Record<string, unknown>) => Record<string, unknown> & { write(p: unknown): void };
const ctor = (name: string): Ctor => (gen as unknown as Record<string, Ctor>)[name];

const WIRE: Record<string, number> = { string: T.STRING, binary: T.STRING, bool: T.BOOL, i32: T.I32, i64: T.I64, enum: T.I32, list: T.LIST, map: T.MAP };

/** A valid value of the given wire type; structs get a minimal valid instance (required fields only). */
function sample(type: WireType): unknown {
  if (type.startsWith('struct:')) return minimal(type.slice('struct:'.length));
  const samples: Record<string, unknown> = { string: 's', binary: Buffer.from([1, 2]), bool: true, i32: 1, i64: toInt64(1), enum: 0, list: [], map: {} };
  return samples[type];
}

function requiredArgs(name: string): Record<string, unknown> {
  return Object.fromEntries(STRUCTS[name].filter((f) => f[3] === 'req').map(([, field, type]) => [field, sample(type)]));
}

function minimal(name: string): unknown {
  return new (ctor(name))(requiredArgs(name));
}

describe('Airavata wire conformance of the generated code', () => {
  for (const [name, fields] of Object.entries(STRUCTS)) {
    describe(name, () => {
      it('has exactly the fields of the contract', () => {
        const Ctor = ctor(name);
        assert.ok(Ctor, `${name} is not generated`);
        const instance = new Ctor();
        // Exceptions also carry Error's own name and message properties.
        const errorKeys = instance instanceof Error ? ['name', 'message'].filter((k) => !fields.some((f) => f[1] === k)) : [];
        const own = Object.keys(instance).filter((k) => !errorKeys.includes(k));
        assert.deepEqual(own.sort(), fields.map((f) => f[1]).sort());
      });

      it('writes every field under its id with its wire type', () => {
        for (const [id, field, type] of fields) {
          const s = new (ctor(name))();
          for (const other of Object.keys(s)) if (other !== field && typeof s[other] !== 'function') s[other] = null;
          s[field] = sample(type);
          const headers = fieldHeaders(encodeStruct(s));
          const expected = type.startsWith('struct:') ? T.STRUCT : WIRE[type];
          assert.deepEqual(headers, [{ id, type: expected }], `${name}.${field}`);
        }
      });

      it('requires exactly the required fields', () => {
        const Ctor = ctor(name);
        assert.doesNotThrow(() => new Ctor(requiredArgs(name)));
        for (const [, field, , req] of fields) {
          const args = { ...requiredArgs(name) };
          delete args[field];
          if (req) assert.throws(() => new Ctor(args), new RegExp(`Required field ${field} is unset`), `${name}.${field} should be required`);
          else assert.doesNotThrow(() => new Ctor(args), `${name}.${field} should be optional`);
        }
      });
    });
  }

  for (const [name, values] of Object.entries(ENUMS)) {
    it(`enum ${name} counts from 0 in the contract's order`, () => {
      const e = (gen as unknown as Record<string, Record<string, string | number>>)[name];
      assert.deepEqual(enumNames(e), values);
      values.forEach((v, i) => assert.equal(e[v], i, `${name}.${v}`));
    });
  }

  it('DEFAULT_ID is Airavata\'s placeholder and the default of experimentId and processId', () => {
    assert.equal(gen.DEFAULT_ID, 'DO_NOT_SET_AT_CLIENTS');
    assert.equal(new gen.ExperimentModel().experimentId, gen.DEFAULT_ID);
    assert.equal(new gen.ProcessModel().processId, gen.DEFAULT_ID);
  });
});
