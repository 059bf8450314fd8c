import type { MasterInfoJson } from './mesos-types';

export const MESOS_VERSION = '1.11.0';

/**
 * MasterInfo.ip is the IPv4 address as a uint32 whose bytes, read little-endian, are the address
 * in network order (192.168.33.10 -> 169978048), a quirk of how Mesos stores in_addr.
 */
export function ipToMesosUint32(ip: string): number {
  const parts = ip.split('.').map(Number);
  if (parts.length !== 4 || parts.some((p) => !Number.isInteger(p) || p < 0 || p > 255)) return 0;
  return Buffer.from(parts).readUInt32LE(0);
}

export function masterInfo(opts: { id: string; hostname: string; ip: string; port: number }): MasterInfoJson {
  return {
    id: opts.id,
    ip: ipToMesosUint32(opts.ip),
    port: opts.port,
    pid: `master@${opts.ip}:${opts.port}`,
    hostname: opts.hostname,
    version: MESOS_VERSION,
    address: { hostname: opts.hostname, ip: opts.ip, port: opts.port },
  };
}

/** The host and port clients should use, from a MasterInfo read out of ZooKeeper. */
export function masterEndpoint(info: Partial<MasterInfoJson>): { host: string; port: number } | null {
  const port = info.address?.port ?? info.port;
  const host = info.address?.hostname || info.address?.ip || info.hostname;
  if (!host || typeof port !== 'number') return null;
  return { host, port };
}
