import { stat } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import { StageError } from '../pipeline/stage-error';

/**
 * Checks that an input the agents will fetch exists before any resource is taken for the gang.
 * Missing (404/410, no such file) is permanent and names the input; an unreachable or failing
 * server (5xx, network) is transient and retried.
 */
export async function checkInput(name: string, uri: string, timeoutMs = 10000): Promise<void> {
  if (uri.startsWith('/') || uri.startsWith('file://')) {
    const path = uri.startsWith('file://') ? fileURLToPath(uri) : uri;
    try {
      const s = await stat(path);
      if (!s.isFile() && !s.isDirectory()) throw new StageError(`input ${name}: ${uri} is not a file`, { permanent: true });
    } catch (e) {
      if (e instanceof StageError) throw e;
      const code = (e as NodeJS.ErrnoException).code;
      if (code === 'ENOENT' || code === 'ENOTDIR') throw new StageError(`input ${name}: ${uri} does not exist`, { permanent: true });
      throw new StageError(`input ${name}: cannot check ${uri}: ${(e as Error).message}`, { permanent: false });
    }
    return;
  }
  if (/^https?:\/\//.test(uri)) {
    let res: Response;
    try {
      res = await fetch(uri, { method: 'HEAD', signal: AbortSignal.timeout(timeoutMs), redirect: 'follow' });
    } catch (e) {
      throw new StageError(`input ${name}: ${uri} did not answer: ${(e as Error).message}`, { permanent: false });
    }
    if (res.ok) return;
    if (res.status === 404 || res.status === 410) throw new StageError(`input ${name}: ${uri} does not exist (HTTP ${res.status})`, { permanent: true });
    if (res.status === 401 || res.status === 403) throw new StageError(`input ${name}: ${uri} refused access (HTTP ${res.status})`, { permanent: true });
    throw new StageError(`input ${name}: ${uri} answered HTTP ${res.status}`, { permanent: false });
  }
  throw new StageError(`input ${name}: ${uri} has a scheme the agents cannot fetch (use file://, an absolute path, http:// or https://)`, { permanent: true });
}
