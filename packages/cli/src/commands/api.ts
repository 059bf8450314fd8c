import { CommandGroup, parseOptions, UsageError } from '../registry';

export const apiCommands: CommandGroup = {
  name: 'api',
  summary: 'The Thrift launch API.',
  commands: [{
    name: 'serve',
    summary: 'Run the API service: Thrift server, outbox relay, /healthz /readyz /metrics (stops on SIGTERM).',
    usage: '',
    async run(ctx) {
      parseOptions(ctx.argv, {});
      const { runApiService } = await import('@msched/api');
      await runApiService(ctx.env);
      // Serves until a signal ends the process.
      await new Promise<never>(() => undefined);
    },
  }, {
    name: 'token',
    summary: 'Print an HMAC-signed access token (MSCHED_API_AUTH_MODE=hmac) signed with MSCHED_API_AUTH_SECRET.',
    usage: '--gateway GATEWAY_ID [--user NAME] [--ttl SECONDS]',
    async run(ctx) {
      const { values } = parseOptions(ctx.argv, { gateway: { type: 'string' }, user: { type: 'string' }, ttl: { type: 'string', default: '3600' } });
      if (!values.gateway) throw new UsageError('--gateway is required: a token is valid for one gateway');
      const ttl = Number(values.ttl);
      if (!Number.isInteger(ttl) || ttl < 1) throw new UsageError(`--ttl ${values.ttl} is not a number of seconds`);
      const secret = ctx.config().api.authSecret;
      if (!secret) throw new UsageError('MSCHED_API_AUTH_SECRET is not set');
      const { signToken } = await import('@msched/access-token');
      ctx.out.write(`${signToken(secret, { gateway: values.gateway, ...(values.user ? { sub: values.user } : {}), exp: Math.floor(Date.now() / 1000) + ttl })}\n`);
    },
  }],
};
