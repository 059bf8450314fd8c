#!/usr/bin/env node
'use strict';
// `msched` (npx msched … at the repository root): runs the compiled CLI. This file is committed so
// npm links it at `npm ci`, before anything is compiled; the root's `prepare` script compiles.
const { existsSync } = require('node:fs');
const { join } = require('node:path');

const main = join(__dirname, '..', 'dist', 'main.js');
if (existsSync(main)) {
  require(main);
} else {
  process.stderr.write('msched: the CLI is not compiled yet: run `npm run build` at the repository root\n');
  process.exitCode = 1;
}
