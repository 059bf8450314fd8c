#!/usr/bin/env node
import { PROVISIONER_HELP, runProvisionerService } from './service';

if (process.argv.includes('--help') || process.argv.includes('-h')) {
  process.stdout.write(PROVISIONER_HELP);
} else {
  runProvisionerService().catch((e) => {
    process.stderr.write(`msched provisioner failed to start: ${(e as Error)?.message ?? String(e)}\n`);
    process.exit(1);
  });
}
