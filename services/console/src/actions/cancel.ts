import {
  AuthorizationException, AuthzToken, connectMetaScheduler, ExperimentNotFoundException, InvalidRequestException,
} from '@msched/airavata-thrift';

/** Why a cancel did not happen, as the console answers it (HTTP status + message). */
export class CancelRefused extends Error {
  constructor(readonly status: 404 | 409 | 403 | 502, message: string) {
    super(message);
  }
}

export interface ThriftApiTarget {
  host: string;
  port: number;
  transport: 'buffered' | 'framed';
  /** AuthzToken.accessToken the console presents (the API's static token; empty in mode none). */
  accessToken: string;
}

export type CancelExperiment = (experimentId: string, gatewayId: string, operator: string) => Promise<void>;

/**
 * Cancel goes through the API's Thrift terminateExperiment, the very call Airavata makes, so the
 * API stays the one place that decides and records terminations (history, events, the cancel
 * message to the workers). The operator's name travels as the token's userName claim.
 */
export function thriftCancel(t: ThriftApiTarget): CancelExperiment {
  return async (experimentId, gatewayId, operator) => {
    let conn;
    try {
      conn = await connectMetaScheduler({ host: t.host, port: t.port, transport: t.transport, connectTimeoutMs: 5000, callTimeoutMs: 30000 });
    } catch (e) {
      throw new CancelRefused(502, `the API is not reachable: ${(e as Error).message}`);
    }
    try {
      const token = new AuthzToken({ accessToken: t.accessToken, claimsMap: { gatewayID: gatewayId, userName: `console:${operator}` } });
      await conn.client.terminateExperiment(token, experimentId, gatewayId);
    } catch (e) {
      if (e instanceof ExperimentNotFoundException) throw new CancelRefused(404, e.message ?? 'no such experiment');
      if (e instanceof InvalidRequestException) throw new CancelRefused(409, e.message ?? 'the experiment cannot be canceled now');
      if (e instanceof AuthorizationException) throw new CancelRefused(403, `the API refused the console's token: ${e.message}`);
      throw new CancelRefused(502, `terminateExperiment failed: ${(e as Error).message}`);
    } finally {
      await conn.close().catch(() => undefined);
    }
  };
}
