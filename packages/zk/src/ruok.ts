import { connect } from 'node:net';

/** ZooKeeper's four-letter `ruok` health probe: resolves true only on "imok". */
export function ruok(hostPort: string, timeoutMs = 2000): Promise<boolean> {
  const i = hostPort.lastIndexOf(':');
  const host = hostPort.slice(0, i);
  const port = Number(hostPort.slice(i + 1));
  return new Promise((resolve) => {
    let answer = '';
    const sock = connect({ host, port }, () => sock.write('ruok'));
    sock.setTimeout(timeoutMs, () => { sock.destroy(); resolve(false); });
    sock.on('data', (d) => { answer += d.toString(); });
    sock.on('error', () => resolve(false));
    sock.on('close', () => resolve(answer === 'imok'));
  });
}
