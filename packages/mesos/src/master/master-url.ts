import { MasterUrlError } from '../errors';

/** Where to find the leading master: a fixed address, or the masters' election znodes in ZooKeeper. */
export type MasterLocation =
  | { readonly kind: 'static'; readonly url: string }
  | { readonly kind: 'zk'; readonly servers: readonly string[]; readonly path: string };

const HOST_PORT = /^([A-Za-z0-9_.-]+|\[[0-9a-fA-F:]+\]):(\d{1,5})$/;

/**
 * Parses `zk://host1:port1,host2:port2/path`, `http(s)://host:port` or a bare `host:port`
 * (the form `mesos-master --master` accepts). Static URLs are reduced to their origin.
 */
export function parseMasterUrl(raw: string): MasterLocation {
  const text = raw.trim();
  if (text.startsWith('zk://')) return parseZk(text);
  if (/^https?:\/\//.test(text)) {
    let u: URL;
    try {
      u = new URL(text);
    } catch {
      throw new MasterUrlError(`"${raw}" is not a valid master URL`);
    }
    if (u.username || u.password) throw new MasterUrlError(`"${u.origin}": credentials in the master URL are not supported`);
    return { kind: 'static', url: u.origin };
  }
  if (HOST_PORT.test(text)) return { kind: 'static', url: `http://${text}` };
  throw new MasterUrlError(`"${raw}" is not a master URL: expected zk://host:port[,host:port]/path, http://host:port or host:port`);
}

function parseZk(text: string): MasterLocation {
  const m = /^zk:\/\/(?:([^@/]*)@)?([^/]+)(\/.*)$/.exec(text);
  if (!m) throw new MasterUrlError(`"${text}" is not a ZooKeeper master URL: expected zk://host:port[,host:port]/path`);
  if (m[1] !== undefined) {
    throw new MasterUrlError(`"zk://…@${m[2]}${m[3]}": ZooKeeper digest credentials are not supported; give the ensemble without user:password`);
  }
  const servers = m[2].split(',').map((s) => s.trim());
  for (const s of servers) {
    const hp = HOST_PORT.exec(s);
    if (!hp || Number(hp[2]) < 1 || Number(hp[2]) > 65535) throw new MasterUrlError(`"${s}" in "${text}" is not host:port`);
  }
  const path = m[3].replace(/\/+$/, '');
  if (path === '' || path.includes('//')) throw new MasterUrlError(`"${text}" needs a znode path such as /mesos`);
  return { kind: 'zk', servers, path };
}
