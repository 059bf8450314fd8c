#!/usr/bin/env node
import { COMMAND_GROUPS } from './commands';
import { runCli } from './run';

runCli(COMMAND_GROUPS, process.argv.slice(2)).then((code) => {
  process.exitCode = code;
}, (e) => {
  process.stderr.write(`msched: ${(e as Error)?.stack ?? String(e)}\n`);
  process.exitCode = 1;
});
