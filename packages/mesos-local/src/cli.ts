#!/usr/bin/env node
import { createLogger } from '@msched/logging';
import { CliCommand, USAGE, parseCli } from './cli-args';
import { startLocalCluster } from './cluster/local-cluster';

/** Runs the local cluster in the foreground until SIGINT/SIGTERM; `probe` checks a master answers. */
async function main(argv: string[]): Promise<number> {
  let cmd: CliCommand;
  try {
    cmd = parseCli(argv);
  } catch (e) {
    process.stderr.write(`msched-local-cluster: ${(e as Error).message}\n`);
    return 2;
  }
  if (cmd.kind === 'help') {
    process.stdout.write(USAGE);
    return 0;
  }
  if (cmd.kind === 'probe') {
    try {
      const res = await fetch(new URL('/master/state', cmd.url), { redirect: 'manual', signal: AbortSignal.timeout(2000) });
      return res.status === 200 ? 0 : 1;
    } catch {
      return 1;
    }
  }
  const logger = createLogger({ service: 'mesos-local', level: cmd.logLevel });
  const cluster = await startLocalCluster({ ...cmd.options, logger });
  const lines = [
    `${cmd.standby ? 'standby master' : 'local Mesos cluster'} up: master ${cluster.masters.map((m) => m.url).join(', ')}${cluster.zkUrl ? ` (ZooKeeper ${cluster.zkUrl}, leader ${cluster.masterUrl})` : ''}`,
    ...cluster.agents.map((a) => `  agent ${a.hostname} ${a.id} ports ${a.ports.begin}-${a.ports.end} work dir ${a.workDir}`),
  ];
  process.stdout.write(`${lines.join('\n')}\n`);
  await new Promise<void>((resolve) => {
    const stop = (signal: string) => {
      logger.info(`${signal}: stopping the local cluster`);
      resolve();
    };
    process.once('SIGINT', () => stop('SIGINT'));
    process.once('SIGTERM', () => stop('SIGTERM'));
  });
  await cluster.stop();
  return 0;
}

main(process.argv.slice(2)).then((code) => process.exit(code), (e) => {
  process.stderr.write(`msched-local-cluster: ${(e as Error).stack ?? e}\n`);
  process.exit(1);
});
