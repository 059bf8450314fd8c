import { readFileSync } from 'node:fs';
import { join } from 'node:path';

/** The bundled front-end (dist/web, built by build-web.mjs), served from memory. */
export interface WebAssets {
  indexHtml: Buffer;
  files: Map<string, { body: Buffer; type: string }>;
}

const TYPES: Record<string, string> = { '.js': 'text/javascript; charset=utf-8', '.css': 'text/css; charset=utf-8', '.svg': 'image/svg+xml', '.map': 'application/json' };

export function loadWebAssets(dir: string): WebAssets {
  const files = new Map<string, { body: Buffer; type: string }>();
  for (const name of ['app.js', 'app.css']) {
    const ext = name.slice(name.lastIndexOf('.'));
    files.set(name, { body: readFileSync(join(dir, name)), type: TYPES[ext] ?? 'application/octet-stream' });
  }
  return { indexHtml: readFileSync(join(dir, 'index.html')), files };
}

/**
 * Everything the page loads comes from this server (air-gapped clusters); inline scripts and
 * styles are refused, so text from users can never run even if it reached the DOM as markup.
 */
export const CONTENT_SECURITY_POLICY = "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; connect-src 'self'; object-src 'none'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'";
