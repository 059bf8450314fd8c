import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/**
 * A certificate authority made at test time with openssl (no certificate is checked in): a CA and
 * server certificates it signs, each with the subject alternative names asked for. Keys are PKCS#8
 * PEM without a passphrase, as PostgreSQL and Kafka (PEM keystores) read them.
 */
export interface TestCa {
  dir: string;
  caCertFile: string;
  caCert: string;
  /** A server certificate for these names (e.g. ['DNS:localhost', 'IP:127.0.0.1']). */
  issue(name: string, altNames: string[]): { certFile: string; keyFile: string; cert: string; key: string };
}

const openssl = (args: string[], cwd: string) => execFileSync('openssl', args, { cwd, stdio: ['ignore', 'pipe', 'pipe'] });

export function createTestCa(label = 'msched test CA'): TestCa {
  const dir = mkdtempSync(join(tmpdir(), 'msched-ca-'));
  openssl(['req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-keyout', 'ca.key', '-out', 'ca.crt', '-days', '2', '-subj', `/CN=${label}`,
    '-addext', 'basicConstraints=critical,CA:TRUE', '-addext', 'keyUsage=critical,keyCertSign,cRLSign'], dir);
  const caCertFile = join(dir, 'ca.crt');
  return {
    dir,
    caCertFile,
    caCert: readFileSync(caCertFile, 'utf8'),
    issue(name, altNames) {
      writeFileSync(join(dir, `${name}.ext`), `subjectAltName=${altNames.join(',')}\nextendedKeyUsage=serverAuth,clientAuth\n`);
      openssl(['req', '-newkey', 'rsa:2048', '-nodes', '-keyout', `${name}.key`, '-out', `${name}.csr`, '-subj', `/CN=${name}`], dir);
      openssl(['x509', '-req', '-in', `${name}.csr`, '-CA', 'ca.crt', '-CAkey', 'ca.key', '-CAcreateserial', '-out', `${name}.crt`, '-days', '2', '-extfile', `${name}.ext`], dir);
      const certFile = join(dir, `${name}.crt`);
      const keyFile = join(dir, `${name}.key`);
      return { certFile, keyFile, cert: readFileSync(certFile, 'utf8'), key: readFileSync(keyFile, 'utf8') };
    },
  };
}
