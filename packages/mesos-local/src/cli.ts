#!/usr/bin/env node
import { readFileSync } from 'node:fs';
import { createLogger } from '@msched/logging';
import { AGENT_USAGE, AgentCliOptions, CliCommand, USAGE, parseAgentCli, parseCli } from './cli-args';
import { startLocalCluster } from './cluster/local-cluster';
import { parseCredentialsJson } from './master/http/framework-auth';

/** Exit code of a master process whose ZooKeeper session expired (a supervisor restarts it). */
const EXIT_SESSION_LOST = 3;

/** Runs the local cluster in the foreground until SIGINT/SIGTERM; `probe` checks a master answers. */
async function main(argv: string[]): Promise<number> {
  if (argv[0] === 'agent') return runAgent(argv.slice(1));
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
  let frameworkCredentials;
  if (cmd.credentialsFile) {
    try {
      frameworkCredentials = parseCredentialsJson(readFileSync(cmd.credentialsFile, 'utf8'));
    } catch (e) {
      process.stderr.write(`msched-local-cluster: --credentials ${cmd.credentialsFile}: ${(e as NodeJS.ErrnoException).code ?? (e as Error).message}\n`);
      return 2;
    }
  }
  // A master whose ZooKeeper session expired must not live on (it would serve nothing, or lead
  // without a node in ZooKeeper): like a Mesos master it exits, and its supervisor restarts it.
  let sessionLost: () => void = () => { sessionLostEarly = true; };
  let sessionLostEarly = false;
  const cluster = await startLocalCluster({ ...cmd.options, logger, ...(frameworkCredentials ? { frameworkCredentials } : {}), onMasterSessionLost: () => sessionLost() });
  const lines = [
    `${cmd.standby ? 'standby master' : 'local Mesos cluster'} up: master ${cluster.masters.map((m) => m.url).join(', ')}${cluster.zkUrl ? ` (ZooKeeper ${cluster.zkUrl}, leader ${cluster.masterUrl})` : ''}`,
    ...cluster.agents.map((a) => `  agent ${a.hostname} ${a.id} ports ${a.ports.begin}-${a.ports.end} work dir ${a.workDir}`),
  ];
  process.stdout.write(`${lines.join('\n')}\n`);
  const code = await new Promise<number>((resolve) => {
    const stop = (signal: string) => {
      logger.info(`${signal}: stopping the local cluster`);
      resolve(0);
    };
    process.once('SIGINT', () => stop('SIGINT'));
    process.once('SIGTERM', () => stop('SIGTERM'));
    sessionLost = () => {
      logger.error('a master lost its ZooKeeper session: exiting so that a supervisor starts it again');
      resolve(EXIT_SESSION_LOST);
    };
    if (sessionLostEarly) sessionLost();
  });
  await cluster.stop();
  return code;
}

/** `agent`: one agent joining a running cluster (the local capacity provider and the chaos stack start these). */
async function runAgent(argv: string[]): Promise<number> {
  let o: AgentCliOptions | null;
  try {
    o = parseAgentCli(argv);
  } catch (e) {
    process.stderr.write(`msched-local-cluster agent: ${(e as Error).message}\n${AGENT_USAGE}`);
    return 2;
  }
  if (!o) { process.stdout.write(AGENT_USAGE); return 0; }
  const logger = createLogger({ service: 'mesos-local-agent', level: 'info' });
  const { startStandaloneAgent } = await import('./standalone-agent');
  const a = await startStandaloneAgent({ ...o, logger });
  process.stdout.write(`agent ${o.hostname} registered as ${a.agent.agentId}\n`);
  await new Promise<void>((resolve) => {
    process.once('SIGINT', () => resolve());
    process.once('SIGTERM', () => resolve());
  });
  await a.stop();
  return 0;
}

main(process.argv.slice(2)).then((code) => process.exit(code), (e) => {
  process.stderr.write(`msched-local-cluster: ${(e as Error).stack ?? e}\n`);
  process.exit(1);
});
