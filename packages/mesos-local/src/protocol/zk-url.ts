/** `zk://[user:pass@]host1:port1,host2:port2/path`, the way Mesos names a ZooKeeper-backed master. */
export interface ZkUrl { servers: string[]; path: string; credentials?: { user: string; password: string } }

export function parseZkUrl(text: string): ZkUrl {
  const m = /^zk:\/\/(?:([^:@/]+):([^@/]*)@)?([^/]+)(\/.*)$/.exec(text.trim());
  if (!m) throw new Error(`not a ZooKeeper URL (expected zk://host:port[,host:port...]/path): ${text}`);
  const servers = m[3].split(',').map((s) => s.trim()).filter(Boolean);
  for (const s of servers) {
    if (!/^[^:]+:\d{1,5}$/.test(s)) throw new Error(`ZooKeeper server "${s}" in ${text} is not host:port`);
  }
  const path = m[4].replace(/\/+$/, '') || '/';
  if (path === '/') throw new Error(`ZooKeeper URL ${text} needs a path such as /mesos`);
  return { servers, path, ...(m[1] ? { credentials: { user: m[1], password: m[2] } } : {}) };
}
