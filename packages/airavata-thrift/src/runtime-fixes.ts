import { Thrift } from 'thrift';

/**
 * The npm thrift 0.24 runtime constructs TApplicationException with `type` but writes (and its
 * typings read) `code`, so the exception type (UNKNOWN_METHOD, ...) never reaches the wire. Making
 * `code` an alias of `type` puts it back; idempotent, and harmless once the runtime is fixed.
 */
const proto = Thrift.TApplicationException.prototype as unknown as { type?: number };
if (!Object.getOwnPropertyDescriptor(proto, 'code')) {
  Object.defineProperty(proto, 'code', {
    configurable: true,
    get(this: { type?: number }) { return this.type; },
    set(this: { type?: number }, v: number) { this.type = v; },
  });
}
