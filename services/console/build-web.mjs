// Bundles the console's pages (web/) into dist/web with esbuild: one script, one stylesheet and the
// page, all served by the console itself (nothing is fetched from elsewhere at run time).
import { build } from 'esbuild';
import { copyFileSync, mkdirSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const here = dirname(fileURLToPath(import.meta.url));
const out = join(here, 'dist', 'web');
mkdirSync(out, { recursive: true });
await build({
  entryPoints: { app: join(here, 'web', 'src', 'main.tsx') },
  bundle: true,
  minify: true,
  sourcemap: false,
  format: 'iife',
  target: ['chrome110', 'firefox110', 'safari16'],
  jsx: 'automatic',
  jsxImportSource: 'preact',
  outdir: out,
  logLevel: 'warning',
  legalComments: 'none',
});
await build({ entryPoints: { app: join(here, 'web', 'src', 'style.css') }, bundle: true, minify: true, outdir: out, logLevel: 'warning' });
copyFileSync(join(here, 'web', 'index.html'), join(out, 'index.html'));
