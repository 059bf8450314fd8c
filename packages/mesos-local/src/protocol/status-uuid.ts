import { randomBytes } from 'node:crypto';

/** A fresh 16-byte status update uuid, Base64 as bytes fields are in JSON. */
export function newStatusUuid(): string {
  return randomBytes(16).toString('base64');
}

/** True when the Base64 text decodes to exactly the 16 bytes of a UUID. */
export function isValidStatusUuid(text: unknown): text is string {
  if (typeof text !== 'string' || !/^[A-Za-z0-9+/]+={0,2}$/.test(text)) return false;
  return Buffer.from(text, 'base64').length === 16;
}
