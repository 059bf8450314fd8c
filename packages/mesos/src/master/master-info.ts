import { MesosProtocolError } from '../errors';
import type { MasterInfo } from '../protocol/messages';

/** A master we can talk to: its base URL (scheme://host:port, no path) and what it said about itself. */
export interface MasterEndpoint {
  readonly url: string;
  readonly info?: MasterInfo;
}

export interface MasterInfoOptions {
  /** Address masters by host name instead of IP (when IPs are not routable from here). */
  readonly preferHostname?: boolean;
}

const isObject = (x: unknown): x is Record<string, unknown> => typeof x === 'object' && x !== null && !Array.isArray(x);

/** MasterInfo.ip packs IPv4 in network byte order into a uint32 read on a little-endian host. */
export function ipFromPacked(packed: number): string {
  return [packed & 0xff, (packed >>> 8) & 0xff, (packed >>> 16) & 0xff, (packed >>> 24) & 0xff].join('.');
}

/** Parses the JSON MasterInfo a master writes into its json.info_ znode (or sends in SUBSCRIBED). */
export function parseMasterInfo(data: Uint8Array | string, opts: MasterInfoOptions = {}): MasterEndpoint {
  const text = typeof data === 'string' ? data : Buffer.from(data.buffer, data.byteOffset, data.byteLength).toString('utf8');
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch (e) {
    throw new MesosProtocolError(`MasterInfo is not JSON (${(e as Error).message}): ${text.slice(0, 120)}`);
  }
  if (!isObject(parsed)) throw new MesosProtocolError(`MasterInfo is not a JSON object: ${text.slice(0, 120)}`);
  const info = parsed as unknown as MasterInfo;
  const address = isObject(parsed.address) ? info.address : undefined;
  const port = address?.port ?? info.port;
  if (typeof port !== 'number' || !Number.isInteger(port) || port < 1 || port > 65535) {
    throw new MesosProtocolError(`MasterInfo has no usable port: ${text.slice(0, 120)}`);
  }
  const ip = address?.ip ?? (typeof info.ip === 'number' ? ipFromPacked(info.ip) : undefined);
  const hostname = address?.hostname ?? info.hostname;
  const host = opts.preferHostname ? hostname ?? ip : ip ?? hostname;
  if (!host) throw new MesosProtocolError(`MasterInfo has neither an address nor a hostname: ${text.slice(0, 120)}`);
  return { url: `http://${host.includes(':') ? `[${host}]` : host}:${port}`, info };
}
