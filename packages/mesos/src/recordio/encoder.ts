/** Frames one record as Mesos RecordIO: `<decimal byte length>\n<bytes>`. Lengths count bytes, not characters. */
export function encodeRecord(record: Uint8Array | string): Buffer {
  const body = typeof record === 'string' ? Buffer.from(record, 'utf8') : Buffer.from(record.buffer, record.byteOffset, record.byteLength);
  if (body.length === 0) throw new RangeError('RecordIO cannot carry an empty record');
  return Buffer.concat([Buffer.from(`${body.length}\n`, 'ascii'), body]);
}
