import { spawn } from 'node:child_process';
import { dirname, join } from 'node:path';
import { CommandGroup, parseOptions } from '../registry';

const forever = () => new Promise<never>(() => undefined);

export const provisionerCommands: CommandGroup = {
  name: 'provisioner',
  summary: 'The provisioning worker.',
  commands: [{
    name: 'serve',
    summary: 'Run the provisioning worker: stages, retries, dead letters, outbox relay, publishers, /healthz /readyz /metrics.',
    usage: '',
    async run(ctx) {
      parseOptions(ctx.argv, {});
      const { runProvisionerService } = await import('@msched/provisioner');
      await runProvisionerService(ctx.env);
      await forever();
    },
  }],
};

export const dispatcherCommands: CommandGroup = {
  name: 'dispatcher',
  summary: 'The Mesos dispatch worker.',
  commands: [{
    name: 'serve',
    summary: 'Run a dispatcher replica: ZooKeeper elects the one that runs the Mesos framework; /healthz /readyz /metrics.',
    usage: '[--help]',
    async run(ctx) {
      return runScript(join(dirname(require.resolve('@msched/dispatcher/package.json')), 'dist/main.js'), ctx.argv, ctx.env);
    },
  }],
};

export const localClusterCommands: CommandGroup = {
  name: 'local-cluster',
  summary: 'The local Mesos-compatible cluster (development, tests, the demo).',
  defaultCommand: 'run',
  commands: [{
    name: 'run',
    summary: 'Run a master and agents in the foreground (e.g. --agents 4 --port 25050 --zk zk://127.0.0.1:22181/mesos); --help lists every option.',
    usage: '[--agents N] [--port P] [--zk URL] [--work-dir DIR] [...]',
    async run(ctx) {
      return runScript(join(dirname(require.resolve('@msched/mesos-local/package.json')), 'dist/cli.js'), ctx.argv, ctx.env);
    },
  }],
};

/** Runs another program of ours in the foreground, passing signals through, and returns its exit code. */
export function runScript(script: string, argv: readonly string[], env: NodeJS.ProcessEnv): Promise<number> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [script, ...argv], { env, stdio: 'inherit' });
    const forward = (s: NodeJS.Signals) => child.kill(s);
    process.on('SIGINT', forward);
    process.on('SIGTERM', forward);
    child.on('exit', (code, signal) => {
      process.off('SIGINT', forward);
      process.off('SIGTERM', forward);
      resolve(code ?? (signal ? 1 : 0));
    });
  });
}
