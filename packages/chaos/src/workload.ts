import { randomUUID } from 'node:crypto';
import { Thrift } from 'thrift';
import {
  AuthzToken, ClientConnectionError, ComputationalResourceSchedulingModel, connectMetaScheduler, DataType, ExperimentModel, ExperimentType,
  InputDataObjectType, OutputDataObjectType, UserConfigurationDataModel,
} from '@msched/airavata-thrift';
import type { LaunchRecord, WorkloadKind } from './histories';
import { between, pick, Rng } from './rng';

export const GATEWAY = 'chaos-gw';
const TOKEN = new AuthzToken({ accessToken: 'chaos', claimsMap: { gatewayID: GATEWAY, userName: 'chaos' } });

/** The mix of launches: mostly MPI gangs, some serial, some failing on purpose, cancelled, refused or launched twice. */
const MIX: readonly WorkloadKind[] = ['mpi2', 'mpi2', 'mpi2', 'mpi4', 'mpi4', 'serial', 'serial', 'fail', 'cancel', 'invalid', 'duplicate'];

interface Shape { app: string; cpus: number; nodes: number; args: string[]; outputs: OutputDataObjectType[]; expected: string[]; queue: string }

/** The shape of a launch; `seconds` is how long an MPI gang runs. */
function shapeOf(kind: WorkloadKind, seconds = 5): Shape {
  const console_ = () => new OutputDataObjectType({ name: 'console', type: DataType.STDOUT });
  switch (kind) {
    case 'mpi2': case 'duplicate':
      return { app: 'gang', cpus: 2, nodes: 2, args: [String(seconds)], outputs: [console_(), new OutputDataObjectType({ name: 'result', type: DataType.URI, value: 'result.txt' })], expected: ['stdout', 'result.txt'], queue: 'normal' };
    case 'mpi4':
      return { app: 'gang', cpus: 4, nodes: 2, args: [String(seconds)], outputs: [console_(), new OutputDataObjectType({ name: 'result', type: DataType.URI, value: 'result.txt' })], expected: ['stdout', 'result.txt'], queue: 'normal' };
    case 'serial':
      return { app: 'serial', cpus: 1, nodes: 1, args: ['hello'], outputs: [console_()], expected: ['stdout'], queue: 'normal' };
    case 'fail':
      return { app: 'serial', cpus: 1, nodes: 1, args: ['exit=3'], outputs: [console_()], expected: [], queue: 'normal' };
    case 'cancel':
      return { app: 'serial', cpus: 1, nodes: 1, args: ['sleep'], outputs: [], expected: [], queue: 'normal' };
    case 'invalid':
      return { app: 'serial', cpus: 1, nodes: 1, args: ['x'], outputs: [], expected: [], queue: 'no-such-queue' };
  }
}

export function experimentFor(kind: WorkloadKind, id: string, seconds = 5): ExperimentModel {
  const s = shapeOf(kind, seconds);
  return new ExperimentModel({
    experimentId: id, projectId: 'chaos', gatewayId: GATEWAY, experimentType: ExperimentType.SINGLE_APPLICATION, userName: 'chaos',
    experimentName: `chaos ${kind}`, executionId: s.app,
    userConfigurationData: new UserConfigurationDataModel({
      airavataAutoSchedule: false, overrideManualScheduledParams: false,
      computationalResourceScheduling: new ComputationalResourceSchedulingModel({
        resourceHostId: 'mesos-local', totalCPUCount: s.cpus, nodeCount: s.nodes, numberOfThreads: 1, queueName: s.queue, wallTimeLimit: 10, totalPhysicalMemory: 64 * s.cpus,
      }),
    }),
    experimentInputs: s.args.map((value, i) => new InputDataObjectType({ name: `arg${i}`, value, type: DataType.STRING, inputOrder: i + 1, requiredToAddedToCommandLine: true })),
    experimentOutputs: s.outputs,
  });
}

/** An Airavata exception is a definite answer; a dropped connection or a timeout leaves the outcome unknown. */
export function classify(e: unknown): 'error' | 'unknown' {
  if (e instanceof ClientConnectionError) return 'unknown';
  if (e instanceof Thrift.TException && !(e instanceof Thrift.TApplicationException)) return 'error';
  return 'unknown';
}

export interface WorkloadOptions {
  rng: Rng;
  apiPorts: () => number[];
  durationMs: number;
  launchesPerMinute: number;
  /** How long each MPI gang's program runs, drawn in [min, max] seconds. */
  gangSeconds: { min: number; max: number };
  /** Stop launching early (the harness is aborting). */
  stopped: () => boolean;
}

export interface WorkloadResult {
  launches: LaunchRecord[];
  cancels: { experimentId: string; outcome: 'ok' | 'error' | 'unknown'; at: number }[];
}

async function call<T>(port: number, f: (c: Awaited<ReturnType<typeof connectMetaScheduler>>['client']) => Promise<T>): Promise<T> {
  const conn = await connectMetaScheduler({ host: '127.0.0.1', port, connectTimeoutMs: 5000, callTimeoutMs: 20000 });
  try {
    return await f(conn.client);
  } finally {
    await conn.close().catch(() => undefined);
  }
}

/**
 * Launches at the given rate until the duration is over, each over a fresh Thrift connection to
 * one of the API replicas, recording what the client was told. A launch whose outcome is unknown
 * is retried once with the same experiment (launches are idempotent), as a careful client would.
 */
export async function runWorkload(o: WorkloadOptions): Promise<WorkloadResult> {
  const launches: LaunchRecord[] = [];
  const cancels: WorkloadResult['cancels'] = [];
  const pending: Promise<void>[] = [];
  const start = Date.now();
  const gapMs = 60_000 / o.launchesPerMinute;
  let n = 0;

  const launchOnce = async (kind: WorkloadKind, exp: ExperimentModel, expected: string[]): Promise<LaunchRecord> => {
    const port = pick(o.rng, o.apiPorts());
    const at = Date.now();
    try {
      await call(port, (c) => c.launchExperiment(TOKEN, exp));
      return { experimentId: exp.experimentId!, kind, outcome: 'ok', at, expectedOutputs: expected };
    } catch (e) {
      return { experimentId: exp.experimentId!, kind, outcome: classify(e), at, error: `${(e as Error).name}: ${(e as Error).message}`.slice(0, 300), expectedOutputs: expected };
    }
  };

  const one = async (kind: WorkloadKind, cancelAfterMs: number, seconds: number): Promise<void> => {
    const id = `Chaos_${kind}_${randomUUID().slice(0, 8)}`;
    const exp = experimentFor(kind, id, seconds);
    const expected = shapeOf(kind).expected;
    let r = await launchOnce(kind, exp, expected);
    launches.push(r);
    if (r.outcome === 'unknown') {
      await new Promise((res) => setTimeout(res, 3000));
      r = await launchOnce(kind, exp, expected);
      launches.push(r);
    }
    if (kind === 'duplicate') launches.push(await launchOnce(kind, exp, expected));
    if (kind === 'cancel' && r.outcome !== 'error') {
      await new Promise((res) => setTimeout(res, cancelAfterMs));
      for (let attempt = 0; attempt < 5; attempt++) {
        const at = Date.now();
        try {
          await call(pick(o.rng, o.apiPorts()), (c) => c.terminateExperiment(TOKEN, id, GATEWAY));
          cancels.push({ experimentId: id, outcome: 'ok', at });
          break;
        } catch (e) {
          const outcome = classify(e);
          cancels.push({ experimentId: id, outcome, at });
          if (outcome === 'error') break;
          await new Promise((res) => setTimeout(res, 3000));
        }
      }
    }
  };

  while (Date.now() - start < o.durationMs && !o.stopped()) {
    const kind = pick(o.rng, MIX);
    pending.push(one(kind, between(o.rng, 2000, 15000), between(o.rng, o.gangSeconds.min, o.gangSeconds.max)));
    n++;
    const next = start + n * gapMs;
    await new Promise((res) => setTimeout(res, Math.max(0, next - Date.now())));
  }
  await Promise.all(pending);
  return { launches, cancels };
}
