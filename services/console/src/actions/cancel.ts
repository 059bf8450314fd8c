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

/** A Keycloak user's own token and name: the API then decides (their own experiment, or an admin). */
export interface OnBehalfOf {
  accessToken: string;
  userName: string;
}

export type CancelExperiment = (experimentId: string, gatewayId: string, operator: string, onBehalf?: OnBehalfOf) => Promise<void>;

/**
 * Cancel goes through the API's Thrift terminateExperiment, the very call Airavata makes, so the
 * API stays the one place that decides and records terminations (history, events, the cancel
 * message to the workers). With static tokens the console presents the API's token and the
 * operator's name travels as the userName claim; a Keycloak user's cancel carries that user's own
 * access token and name, never a token of the console's, so the API's rule decides.
 */
export function thriftCancel(t: ThriftApiTarget): CancelExperiment {
  return async (experimentId, gatewayId, operator, onBehalf) => {
    let conn;
    try {
      conn = await connectMetaScheduler({ host: t.host, port: t.port, transport: t.transport, connectTimeoutMs: 5000, callTimeoutMs: 30000 });
    } catch (e) {
      throw new CancelRefused(502, `the API is not reachable: ${(e as Error).message}`);
    }
    try {
      const token = onBehalf
        ? new AuthzToken({ accessToken: onBehalf.accessToken, claimsMap: { gatewayID: gatewayId, userName: onBehalf.userName } })
        : new AuthzToken({ accessToken: t.accessToken, claimsMap: { gatewayID: gatewayId, userName: `console:${operator}` } });
      await conn.client.terminateExperiment(token, experimentId, gatewayId);
    } catch (e) {
      if (e instanceof ExperimentNotFoundException) throw new CancelRefused(404, e.message ?? 'no such experiment');
      if (e instanceof InvalidRequestException) throw new CancelRefused(409, e.message ?? 'the experiment cannot be canceled now');
      if (e instanceof AuthorizationException) throw new CancelRefused(403, onBehalf ? `the API refused: ${e.message}` : `the API refused the console's token: ${e.message}`);
      throw new CancelRefused(502, `terminateExperiment failed: ${(e as Error).message}`);
    } finally {
      await conn.close().catch(() => undefined);
    }
  };
}
