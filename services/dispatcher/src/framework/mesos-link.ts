import { readFileSync } from 'node:fs';
import type { Config } from '@msched/config';
import type { FrameworkCredential } from '@msched/mesos';

export class MesosLinkConfigError extends Error {
  readonly retriable = false;
}

function readSecretFile(path: string, what: string): string {
  try {
    return readFileSync(path, 'utf8');
  } catch (e) {
    // The error names the file and the cause, never its contents.
    throw new MesosLinkConfigError(`cannot read ${what}: ${(e as NodeJS.ErrnoException).code ?? (e as Error).message} (${path})`);
  }
}

/**
 * How the dispatcher proves itself to the masters and trusts them: the framework credential (from a
 * file or the environment, never the command line) and an extra CA for https masters.
 */
export function mesosLink(cfg: Pick<Config, 'mesos'>): { credential?: FrameworkCredential; ca?: string } {
  const m = cfg.mesos;
  const secret = m.secretFile ? readSecretFile(m.secretFile, 'MSCHED_MESOS_SECRET_FILE').trim() : m.secret.trim();
  if (m.secretFile && secret === '') throw new MesosLinkConfigError(`MSCHED_MESOS_SECRET_FILE (${m.secretFile}) is empty`);
  if (secret && !m.principal) throw new MesosLinkConfigError('a Mesos secret is set but MSCHED_MESOS_PRINCIPAL is empty: set the principal the secret belongs to');
  const ca = m.caFile ? readSecretFile(m.caFile, 'MSCHED_MESOS_CA_FILE') : undefined;
  return { ...(secret ? { credential: { principal: m.principal, secret } } : {}), ...(ca ? { ca } : {}) };
}
