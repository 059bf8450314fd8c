import { MesosProtocolError } from '../errors';

/**
 * Where a 307 points. Masters answer with a protocol-relative Location (`//host:port/api/v1/scheduler`),
 * which keeps the scheme of the request; absolute and path-only forms are accepted too.
 */
export function redirectTarget(location: string | undefined, requestUrl: string): URL {
  if (!location) throw new MesosProtocolError(`307 from ${new URL(requestUrl).origin} without a Location header`);
  try {
    return new URL(location, requestUrl);
  } catch {
    throw new MesosProtocolError(`307 from ${new URL(requestUrl).origin} with an unusable Location "${location}"`);
  }
}
