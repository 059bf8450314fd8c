import { Db, queryOne } from '../db';

/** The hash of the payload an experiment was launched with (a repeated launch must match it). */
export async function experimentPayloadHash(tx: Db, experimentId: string): Promise<string | undefined> {
  return (await queryOne<{ hash: string }>(tx, 'SELECT payload_hash AS hash FROM experiments WHERE id = $1', [experimentId]))?.hash;
}
