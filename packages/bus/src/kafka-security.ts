import { readFileSync } from 'node:fs';
import { rootCertificates } from 'node:tls';
import type { KafkaConfig, SASLOptions } from 'kafkajs';

/** TLS and SASL towards the brokers (MSCHED_KAFKA_TLS, MSCHED_KAFKA_CA_FILE, MSCHED_KAFKA_SASL_*). */
export interface KafkaSecuritySettings {
  tls?: boolean;
  caFile?: string;
  saslMechanism?: 'none' | 'scram-sha-256' | 'scram-sha-512' | 'plain';
  saslUsername?: string;
  saslPasswordFile?: string;
  saslPassword?: string;
}

export class KafkaSecurityError extends Error {
  readonly retriable = false;
}

function readFile(path: string, what: string): string {
  try {
    return readFileSync(path, 'utf8');
  } catch (e) {
    // Names the file and the cause, never the contents.
    throw new KafkaSecurityError(`cannot read ${what}: ${(e as NodeJS.ErrnoException).code ?? (e as Error).message} (${path})`);
  }
}

/** The kafkajs `ssl` and `sasl` options of the settings; empty for a plaintext, unauthenticated cluster. */
export function kafkaSecurity(s: KafkaSecuritySettings): Pick<KafkaConfig, 'ssl' | 'sasl'> {
  const out: Pick<KafkaConfig, 'ssl' | 'sasl'> = {};
  if (s.tls) {
    out.ssl = s.caFile ? { ca: [...rootCertificates, readFile(s.caFile, 'MSCHED_KAFKA_CA_FILE')], rejectUnauthorized: true } : { rejectUnauthorized: true };
  } else if (s.caFile) {
    throw new KafkaSecurityError('MSCHED_KAFKA_CA_FILE is set but MSCHED_KAFKA_TLS is off: set MSCHED_KAFKA_TLS=true');
  }
  const mechanism = s.saslMechanism ?? 'none';
  if (mechanism !== 'none') {
    const password = s.saslPasswordFile ? readFile(s.saslPasswordFile, 'MSCHED_KAFKA_SASL_PASSWORD_FILE').trim() : (s.saslPassword ?? '');
    if (!s.saslUsername || !password) {
      throw new KafkaSecurityError(`MSCHED_KAFKA_SASL_MECHANISM=${mechanism} needs MSCHED_KAFKA_SASL_USERNAME and a password (MSCHED_KAFKA_SASL_PASSWORD_FILE or MSCHED_KAFKA_SASL_PASSWORD)`);
    }
    if (mechanism === 'plain' && !s.tls) throw new KafkaSecurityError('SASL PLAIN without TLS would send the password in clear: set MSCHED_KAFKA_TLS=true (or use scram-sha-256/512)');
    out.sasl = { mechanism, username: s.saslUsername, password } as SASLOptions;
  }
  return out;
}
