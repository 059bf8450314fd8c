#!/usr/bin/env node
import { runApiService } from './service';

runApiService().catch((e) => {
  process.stderr.write(`msched api failed to start: ${(e as Error)?.message ?? String(e)}\n`);
  process.exit(1);
});
