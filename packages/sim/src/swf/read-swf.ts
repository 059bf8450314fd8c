import { readFileSync } from 'node:fs';
import { gunzipSync } from 'node:zlib';
import { SimInputError } from '../errors';
import { parseSwf, type SwfParseOptions, type SwfTrace } from './parse-swf';

/** SWF bytes to text: gzip is recognised by its magic number, not by the file name. */
export function swfText(bytes: Buffer): string {
  if (bytes.length >= 2 && bytes[0] === 0x1f && bytes[1] === 0x8b) {
    try {
      return gunzipSync(bytes).toString('utf8');
    } catch (e) {
      throw new SimInputError(`the file starts like gzip but does not decompress: ${(e as Error).message}`);
    }
  }
  return bytes.toString('utf8');
}

/** Reads an SWF file, plain or gzip. */
export function readSwfFile(path: string, options: SwfParseOptions = {}): SwfTrace {
  let bytes: Buffer;
  try {
    bytes = readFileSync(path);
  } catch (e) {
    throw new SimInputError(`cannot read trace ${path}: ${(e as Error).message}`);
  }
  return parseSwf(swfText(bytes), options);
}
