import type { CancelRequested, GangReady, GangSpec } from '@msched/model';

/**
 * The messages the dispatcher consumes, checked at the boundary. A payload that fails the check can
 * never succeed, so the consumer records it as processed with its reason instead of retrying.
 */

export class InvalidMessageError extends Error {
  readonly retriable = false;
  constructor(readonly problems: readonly string[]) {
    super(problems.join('; '));
    this.name = 'InvalidMessageError';
  }
}

const isObject = (x: unknown): x is Record<string, unknown> => typeof x === 'object' && x !== null && !Array.isArray(x);
const text = (o: Record<string, unknown>, k: string, where: string, problems: string[]): void => {
  if (typeof o[k] !== 'string' || (o[k] as string).length === 0) problems.push(`${where}.${k} must be a non-empty string`);
};
const count = (o: Record<string, unknown>, k: string, where: string, problems: string[], positive = true): void => {
  const v = o[k];
  if (typeof v !== 'number' || !Number.isFinite(v) || (positive ? v <= 0 : v < 0)) problems.push(`${where}.${k} must be a ${positive ? 'positive' : 'non-negative'} number, got ${JSON.stringify(v)}`);
};

function specProblems(spec: unknown): string[] {
  const problems: string[] = [];
  if (!isObject(spec)) return ['spec must be an object'];
  for (const k of ['jobId', 'processId', 'experimentId', 'gatewayId', 'role']) text(spec, k, 'spec', problems);
  for (const k of ['attempt', 'ranks', 'cpusPerRank', 'memMbPerRank']) count(spec, k, 'spec', problems);
  count(spec, 'wallTimeSeconds', 'spec', problems, false);
  if (spec.nodeCount !== undefined && spec.nodeCount !== null) count(spec, 'nodeCount', 'spec', problems);
  const app = spec.app;
  if (!isObject(app)) {
    problems.push('spec.app must be an object');
  } else {
    text(app, 'executable', 'spec.app', problems);
    if (!Array.isArray(app.args) || app.args.some((a) => typeof a !== 'string')) problems.push('spec.app.args must be a list of strings');
    if (!isObject(app.env) || Object.values(app.env).some((v) => typeof v !== 'string')) problems.push('spec.app.env must map names to strings');
    if (!['openmpi', 'mpich', 'none'].includes(app.mpi as string)) problems.push(`spec.app.mpi must be openmpi, mpich or none, got ${JSON.stringify(app.mpi)}`);
    if (!Array.isArray(app.uris) || app.uris.some((u) => !isObject(u) || typeof u.value !== 'string')) problems.push('spec.app.uris must be a list of {value}');
    if (app.container !== undefined) {
      const c = app.container;
      if (!isObject(c) || (c.type !== 'docker' && c.type !== 'mesos') || typeof c.image !== 'string' || !c.image) problems.push('spec.app.container must be {type: docker | mesos, image}');
      else if (c.forcePullImage !== undefined && typeof c.forcePullImage !== 'boolean') problems.push('spec.app.container.forcePullImage must be a boolean');
    }
  }
  return problems;
}

export function parseGangReady(payload: unknown): GangReady {
  if (!isObject(payload)) throw new InvalidMessageError(['the GangReady payload is not an object']);
  const problems = specProblems(payload.spec);
  text(payload, 'taskId', 'GangReady', problems);
  if (problems.length) throw new InvalidMessageError(problems);
  return { spec: payload.spec as unknown as GangSpec, taskId: payload.taskId as string };
}

export function parseCancelRequest(payload: unknown): CancelRequested {
  if (!isObject(payload)) throw new InvalidMessageError(['the cancel payload is not an object']);
  const problems: string[] = [];
  for (const k of ['experimentId', 'processId', 'jobId', 'gatewayId']) text(payload, k, 'cancel', problems);
  if (payload.reason !== undefined && typeof payload.reason !== 'string') problems.push('cancel.reason must be a string');
  if (problems.length) throw new InvalidMessageError(problems);
  return {
    experimentId: payload.experimentId as string,
    processId: payload.processId as string,
    jobId: payload.jobId as string,
    gatewayId: payload.gatewayId as string,
    reason: (payload.reason as string | undefined) || 'canceled by the user',
  };
}
