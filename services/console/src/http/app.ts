import { createReadStream } from 'node:fs';
import { randomUUID } from 'node:crypto';
import Fastify, { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { DataSource } from 'typeorm';
import { IdentityError } from '@msched/identity';
import type { Logger } from '@msched/logging';
import type { ClusterState } from '@msched/mesos';
import { CancelExperiment, CancelRefused } from '../actions/cancel';
import { listDeadLetters, replayDeadLetter, ReplayRefused } from '../actions/dead-letters';
import { listOutputs, outputPath, tailFile } from '../actions/files';
import { consoleAccess, inScope, isWholeScope, listScope } from '../auth/access';
import { Authenticator, ConsolePrincipal, OPEN_PRINCIPAL } from '../auth/authenticator';
import { experimentVisibility, jobsInScope, ownerOfJob } from '../auth/owners';
import { readCookie, SESSION_COOKIE, SessionSigner, SessionTooLarge } from '../auth/session';
import type { EventHub, LiveEvent } from '../live/event-hub';
import { gangShares } from '../queries/cluster-jobs';
import { jobPage } from '../queries/job-page';
import { jobWorkingDir } from '../queries/job-working-dir';
import { waitingGangs } from '../queries/waiting-gangs';
import { CursorError, decodeCursor, jobsPage } from '../queries/jobs-page';
import * as S from './schemas';
import { CONTENT_SECURITY_POLICY, WebAssets } from './static-files';

export interface ConsoleDeps {
  ds: DataSource;
  logger: Logger;
  hub: EventHub;
  /** undefined: no authentication (MSCHED_API_AUTH_MODE=none, development only). */
  authenticate?: Authenticator;
  sessions: SessionSigner;
  cancel: CancelExperiment;
  clusterState: () => Promise<ClusterState>;
  web?: WebAssets;
  /** Mark the session cookie Secure (the console is reached over HTTPS). */
  secureCookies?: boolean;
  /** Bytes of stdout/stderr the job page shows. */
  tailBytes?: number;
  /** SSE keep-alive interval (proxies close silent connections). */
  keepAliveMs?: number;
}

declare module 'fastify' {
  interface FastifyRequest { principal?: ConsolePrincipal }
}

class HttpError extends Error {
  constructor(readonly status: number, message: string) {
    super(message);
  }
}

/** Browsers send this header only from our own scripts: a cross-site form cannot, so POSTs need it. */
const CSRF_HEADER = 'x-msched-console';
/** Which gateway a bearer token is for, when its realm serves several (a reverse proxy may set it). */
const GATEWAY_HEADER = 'x-msched-gateway';

/** An identity provider's refusal as an HTTP answer, with its reason. */
function identityRefusal(e: IdentityError): HttpError {
  if (e.kind === 'unavailable') return new HttpError(503, `cannot check the token now: ${e.message}`);
  return new HttpError(e.kind === 'forbidden' ? 403 : 401, e.message);
}

/** What the page may know of the principal: never the token. */
function whoIs(p: ConsolePrincipal) {
  const id = p.identity;
  return {
    name: p.name, canOperate: p.canOperate,
    ...(id ? { gatewayId: id.gatewayId ?? null, userName: id.userName ?? null, rights: { admin: !!id.rights?.admin, readAll: !!id.rights?.readAll, use: !!id.rights?.use }, expiresAt: p.expiresAtMs ? new Date(p.expiresAtMs).toISOString() : null } : {}),
  };
}

/**
 * The console's HTTP server: the JSON API under /api (every parameter checked by a schema), live
 * events as Server-Sent Events, and the bundled pages. Reading needs any valid token; cancel and
 * replay need the operator's (static tokens) or, with Keycloak tokens, what decideAccess allows the
 * user: their gateway only, their own experiments unless an admin or read-only admin; replay needs
 * a gateway admin, and cancel goes to the API with the user's own token.
 */
export function buildConsoleApp(d: ConsoleDeps): FastifyInstance {
  const app = Fastify({
    logger: false,
    bodyLimit: 64 * 1024,
    ajv: { customOptions: { removeAdditional: false, coerceTypes: true, useDefaults: true, allErrors: false } },
  });

  app.addHook('onSend', async (_req, reply, payload) => {
    reply.header('X-Content-Type-Options', 'nosniff');
    reply.header('Referrer-Policy', 'no-referrer');
    reply.header('X-Frame-Options', 'DENY');
    reply.header('Content-Security-Policy', CONTENT_SECURITY_POLICY);
    if (!reply.hasHeader('Cache-Control')) reply.header('Cache-Control', 'no-store');
    return payload;
  });

  app.setErrorHandler((e: Error & { validation?: unknown; statusCode?: number }, req, reply) => {
    if (e instanceof HttpError) return reply.code(e.status).send({ error: e.message });
    if (e.validation) return reply.code(400).send({ error: `bad request: ${e.message}` });
    if (e instanceof CursorError) return reply.code(400).send({ error: e.message });
    if (typeof e.statusCode === 'number' && e.statusCode >= 400 && e.statusCode < 500) return reply.code(e.statusCode).send({ error: e.message });
    const ref = randomUUID().slice(0, 8);
    d.logger.error(`console ${req.method} ${req.routeOptions.url ?? req.url} failed (ref ${ref}): ${e.stack ?? e.message}`);
    return reply.code(500).send({ error: `internal error of the console (ref ${ref})` });
  });
  app.setNotFoundHandler((req, reply) => {
    if (req.url.startsWith('/api/')) return reply.code(404).send({ error: 'no such API route' });
    return reply.code(404).type('text/plain; charset=utf-8').send('not found');
  });

  const authenticate = async (token: string, gateway: string | undefined): Promise<ConsolePrincipal | undefined> => {
    if (!d.authenticate) return OPEN_PRINCIPAL;
    try {
      return await d.authenticate(token, { gateway });
    } catch (e) {
      if (!(e instanceof IdentityError)) throw e;
      // The reason names claims and settings, never the token.
      if (e.kind === 'unavailable') d.logger.warn(`console: cannot check a token: ${e.message}`);
      else d.logger.info(`console: token refused (${e.failure}): ${e.message}`);
      throw identityRefusal(e);
    }
  };
  const principalOf = async (req: FastifyRequest): Promise<ConsolePrincipal | undefined> => {
    if (!d.authenticate) return OPEN_PRINCIPAL;
    // A reverse proxy (or a script) sends the token itself; a browser sends its session cookie.
    const auth = req.headers.authorization;
    if (auth !== undefined) {
      if (!/^Bearer\s+/i.test(auth)) return undefined;
      const gateway = req.headers[GATEWAY_HEADER];
      return authenticate(auth.replace(/^Bearer\s+/i, '').trim(), typeof gateway === 'string' && gateway !== '' ? gateway : undefined);
    }
    return d.sessions.verify(readCookie(req.headers.cookie, SESSION_COOKIE));
  };
  const readers = async (req: FastifyRequest) => {
    const p = await principalOf(req);
    if (!p) throw new HttpError(401, 'a token is needed: log in with your access token, or send it as "Authorization: Bearer <token>"');
    req.principal = p;
  };
  /** A change (cancel, replay): authenticated, and from the console's page when it comes from a browser; what it may change is decided per job. */
  const changers = async (req: FastifyRequest) => {
    await readers(req);
    if (!req.principal?.identity && !req.principal?.canOperate) throw new HttpError(403, 'this token may only read: cancel and replay need the operator token');
    if (req.headers.authorization === undefined && req.headers[CSRF_HEADER] !== '1') throw new HttpError(403, `a browser request that changes something must come from the console's page (header ${CSRF_HEADER})`);
  };
  /** The job if this principal may read it; a job out of their sight is "no job", as if absent. */
  const readableJob = async (p: ConsolePrincipal, jobId: string) => {
    const owner = await ownerOfJob(d.ds, jobId);
    if (!owner || !consoleAccess(p, 'read', { gatewayId: owner.gatewayId, ownerUserName: owner.userName }).allowed) throw new HttpError(404, `no job "${jobId}"`);
    return owner;
  };

  // --- session -------------------------------------------------------------------------------
  // Secure when the browser came over HTTPS (a TLS proxy in front says so), so it never travels in clear.
  const cookie = (req: FastifyRequest, value: string, maxAge: number) => {
    const secure = d.secureCookies || req.headers['x-forwarded-proto'] === 'https';
    return `${SESSION_COOKIE}=${value}; Path=/; HttpOnly; SameSite=Strict; Max-Age=${maxAge}${secure ? '; Secure' : ''}`;
  };
  app.post<{ Body: { token: string; gateway?: string } }>('/api/session', { schema: { body: S.loginBody, querystring: S.noQuery } }, async (req, reply) => {
    const p = await authenticate(req.body.token, req.body.gateway);
    if (!p) throw new HttpError(401, 'that token is not valid for this console');
    let s;
    try {
      s = d.sessions.issue(p);
    } catch (e) {
      if (e instanceof SessionTooLarge) throw new HttpError(413, e.message);
      throw e;
    }
    reply.header('Set-Cookie', cookie(req, s.value, s.maxAgeSeconds));
    return whoIs(p);
  });
  app.delete('/api/session', { schema: { querystring: S.noQuery } }, async (req, reply) => {
    reply.header('Set-Cookie', cookie(req, '', 0));
    return { loggedOut: true };
  });
  app.get('/api/me', { schema: { querystring: S.noQuery }, preHandler: readers }, async (req) => ({
    ...whoIs(req.principal!), authenticated: d.authenticate !== undefined,
  }));

  // --- jobs ----------------------------------------------------------------------------------
  app.get<{ Querystring: { state?: string; gateway?: string; user?: string; queue?: string; q?: string; limit: number; cursor?: string } }>(
    '/api/jobs', { schema: { querystring: S.jobsQuery }, preHandler: readers }, async (req) => {
      const q = req.query;
      // A Keycloak user lists their gateway's jobs (admins) or their own (users): a filter outside that is empty.
      const scope = listScope(req.principal!);
      if ((scope.gatewayId !== undefined && q.gateway !== undefined && q.gateway !== scope.gatewayId)
        || (scope.userName !== undefined && q.user !== undefined && q.user !== scope.userName)) return { jobs: [] };
      return jobsPage(d.ds, {
        state: q.state, gateway: scope.gatewayId ?? q.gateway, user: scope.userName ?? q.user, queue: q.queue, search: q.q, limit: q.limit,
        after: q.cursor ? decodeCursor(q.cursor) : undefined,
      });
    });

  app.get<{ Params: { jobId: string } }>('/api/jobs/:jobId', { schema: { params: S.jobParams, querystring: S.noQuery }, preHandler: readers }, async (req) => {
    await readableJob(req.principal!, req.params.jobId);
    const page = await jobPage(d.ds, req.params.jobId);
    if (!page) throw new HttpError(404, `no job "${req.params.jobId}"`);
    const bytes = d.tailBytes ?? 16 * 1024;
    // Collected outputs once the job ended; before that the launcher's sandbox (rank 0 writes there).
    const launcher = page.tasks.find((t) => t.ranks.includes(0)) ?? page.tasks[0];
    const stdoutPath = page.extras.stdOut ?? (launcher?.sandboxPath ? `${launcher.sandboxPath}/stdout` : undefined);
    const stderrPath = page.extras.stdErr ?? (launcher?.sandboxPath ? `${launcher.sandboxPath}/stderr` : undefined);
    const [stdout, stderr, outputs] = await Promise.all([
      stdoutPath ? tailFile(stdoutPath, bytes) : undefined,
      stderrPath ? tailFile(stderrPath, bytes) : undefined,
      page.job.workingDir ? listOutputs(page.job.workingDir) : [],
    ]);
    const { stdOut: _o, stdErr: _e, ...extras } = page.extras;
    const { workingDir: _w, ...job } = page.job;
    return { job, extras, tasks: page.tasks, history: page.history, stdout: stdout ?? null, stderr: stderr ?? null, outputs };
  });

  app.get<{ Params: { jobId: string; name: string } }>('/api/jobs/:jobId/outputs/:name', { schema: { params: S.outputParams, querystring: S.noQuery }, preHandler: readers }, async (req, reply) => {
    await readableJob(req.principal!, req.params.jobId);
    const dir = await jobWorkingDir(d.ds, req.params.jobId);
    const path = dir ? outputPath(dir, req.params.name) : undefined;
    // Only a plain file the job page lists: no folder, no link target outside the listing.
    if (!dir || !path || !(await listOutputs(dir)).some((f) => f.name === req.params.name)) throw new HttpError(404, 'no such output');
    // Always a download, never rendered: an output could be HTML written by anyone.
    reply.header('Content-Type', 'application/octet-stream');
    reply.header('Content-Disposition', `attachment; filename="${req.params.name.replace(/[^A-Za-z0-9._-]/g, '_')}"`);
    return reply.send(createReadStream(path));
  });

  app.post<{ Params: { jobId: string } }>('/api/jobs/:jobId/cancel', { schema: { params: S.jobParams, querystring: S.noQuery }, preHandler: changers }, async (req) => {
    const p = req.principal!;
    const owner = await ownerOfJob(d.ds, req.params.jobId);
    // Another gateway's job is out of sight; within the gateway the API decides (own experiment or admin).
    if (!owner || (p.identity?.gatewayId !== undefined && p.identity.gatewayId !== owner.gatewayId)) throw new HttpError(404, `no job "${req.params.jobId}"`);
    try {
      await d.cancel(owner.experimentId, owner.gatewayId, p.name, p.identity && p.accessToken ? { accessToken: p.accessToken, userName: p.identity.userName ?? p.name } : undefined);
    } catch (e) {
      if (e instanceof CancelRefused) throw new HttpError(e.status, e.message);
      throw e;
    }
    d.logger.info(`console: ${req.principal!.name} canceled experiment ${owner.experimentId} (job ${req.params.jobId})`);
    return { canceling: owner.experimentId };
  });

  // --- cluster -------------------------------------------------------------------------------
  app.get('/api/cluster', { schema: { querystring: S.noQuery }, preHandler: readers }, async (req) => {
    const [state, allShares, allWaiting] = await Promise.all([
      d.clusterState().then((s) => ({ ok: true as const, s }), (e: Error) => ({ ok: false as const, error: e.message })),
      gangShares(d.ds),
      waitingGangs(d.ds),
    ]);
    // Resources are the operator's to see; whose gangs fill them, only what the user may read.
    const scope = listScope(req.principal!);
    const shares = await jobsInScope(d.ds, scope, allShares);
    const waiting = allWaiting.filter((g) => inScope(scope, g));
    const agents = state.ok
      ? state.s.agents.map((a) => ({
        id: a.id, hostname: a.hostname, active: a.active,
        total: { cpus: a.total.cpus, mem: a.total.mem }, used: { cpus: a.used.cpus, mem: a.used.mem },
        offered: { cpus: a.offered.cpus, mem: a.offered.mem },
        free: { cpus: Math.max(0, a.total.cpus - a.used.cpus), mem: Math.max(0, a.total.mem - a.used.mem) },
        gangs: shares.filter((g) => g.agentId === a.id),
      }))
      : [];
    return { master: state.ok ? state.s.masterUrl : null, masterError: state.ok ? null : state.error, agents, waiting };
  });

  // --- dead letters --------------------------------------------------------------------------
  app.get('/api/dead-letters', { schema: { querystring: S.noQuery }, preHandler: readers }, async (req) => {
    const all = await listDeadLetters(d.ds);
    return { deadLetters: await jobsInScope(d.ds, listScope(req.principal!), all) };
  });
  app.post<{ Params: { id: string } }>('/api/dead-letters/:id/replay', { schema: { params: S.deadLetterParams, querystring: S.noQuery }, preHandler: changers }, async (req) => {
    const p = req.principal!;
    if (p.identity) {
      // Replaying is operating the gateway: its admins only (decideAccess), nothing changed otherwise.
      const letter = (await listDeadLetters(d.ds)).find((l) => l.id === req.params.id);
      const owner = letter ? await ownerOfJob(d.ds, letter.jobId) : undefined;
      if (!owner || (p.identity.gatewayId !== undefined && p.identity.gatewayId !== owner.gatewayId)) throw new HttpError(404, `no dead letter ${req.params.id}`);
      const decision = consoleAccess(p, 'operate', { gatewayId: owner.gatewayId, ownerUserName: owner.userName });
      if (!decision.allowed) {
        d.logger.info(`console: replay of dead letter ${req.params.id} refused to ${p.name}: ${decision.reason}`);
        throw new HttpError(403, `replay refused: ${decision.reason}`);
      }
    }
    try {
      const r = await replayDeadLetter(d.ds, req.params.id, req.principal!.name);
      d.logger.info(`console: ${req.principal!.name} replayed dead letter ${req.params.id} (${r.stage} of job ${r.jobId})`);
      return { replayed: req.params.id, ...r };
    } catch (e) {
      if (e instanceof ReplayRefused) throw new HttpError(404, e.message);
      throw e;
    }
  });

  // --- live ----------------------------------------------------------------------------------
  app.get('/api/events', { schema: { querystring: S.noQuery }, preHandler: readers }, (req, reply) => {
    reply.hijack();
    const res = reply.raw;
    res.writeHead(200, {
      'Content-Type': 'text/event-stream; charset=utf-8', 'Cache-Control': 'no-store', Connection: 'keep-alive',
      'X-Content-Type-Options': 'nosniff', 'X-Accel-Buffering': 'no',
    });
    // "ready" tells the page to (re)load what it shows: events missed while disconnected are covered.
    // It says whether events flow; when they do not (Kafka unreachable) the page polls instead.
    const ready = (events: boolean) => res.write(`event: ready\ndata: ${JSON.stringify({ events })}\n\n`);
    res.write('retry: 2000\n\n');
    ready(d.hub.available);
    const send = (e: LiveEvent) => { if (!res.destroyed) res.write(`event: status\ndata: ${JSON.stringify(e)}\n\n`); };
    // A Keycloak user hears only of the experiments they may read.
    const scope = listScope(req.principal!);
    const visible = isWholeScope(scope) ? undefined : experimentVisibility(d.ds, (o) => inScope(scope, o));
    const unsubscribe = d.hub.subscribe((e) => {
      if (!visible) return send(e);
      void visible(e.experimentId).then((ok) => { if (ok) send(e); });
    });
    const offAvailability = d.hub.onAvailability(ready);
    const keepAlive = setInterval(() => res.write(': keep-alive\n\n'), d.keepAliveMs ?? 15_000);
    req.raw.on('close', () => { clearInterval(keepAlive); unsubscribe(); offAvailability(); });
  });

  app.get('/healthz', { schema: { querystring: S.noQuery } }, async () => ({ ok: true }));

  // --- pages ---------------------------------------------------------------------------------
  if (d.web) {
    const web = d.web;
    app.get<{ Params: { file: string } }>('/assets/:file', { schema: { params: S.assetParams, querystring: S.noQuery } }, async (req, reply) => {
      const f = web.files.get(req.params.file);
      if (!f) throw new HttpError(404, 'no such asset');
      reply.header('Cache-Control', 'no-cache');
      return reply.type(f.type).send(f.body);
    });
    const page = async (_req: FastifyRequest, reply: FastifyReply) => reply.type('text/html; charset=utf-8').send(web.indexHtml);
    for (const path of ['/', '/login', '/cluster', '/dead-letters']) app.get(path, { schema: { querystring: S.noQuery } }, page);
    app.get('/jobs', { schema: { querystring: S.jobsPageQuery } }, page);
    app.get('/jobs/:jobId', { schema: { params: S.pageParams, querystring: S.noQuery } }, page);
  }
  return app;
}
