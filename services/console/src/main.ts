import { runConsoleService } from './service';

runConsoleService().catch((e: Error) => {
  process.stderr.write(`console: ${e.message}\n`);
  process.exit(1);
});
