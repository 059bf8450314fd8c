import { readFileSync } from 'node:fs';
import { isAbsolute } from 'node:path';
import type { AppContainer, MpiFlavour } from '@msched/model';

/**
 * The application catalogue the operator keeps: which executable, which MPI and which environment
 * an Airavata application (by deployment id, else interface id) runs with on Mesos.
 */
export interface CatalogueEntry {
  /** Absolute path on the agents, or the name of a file staged into the sandbox (see `uris`). */
  readonly executable: string;
  readonly mpi: MpiFlavour;
  /** Arguments placed before the ones built from the experiment's inputs. */
  readonly fixedArgs: readonly string[];
  readonly env: Readonly<Record<string, string>>;
  /** Files every task fetches into its sandbox (e.g. the application binary). */
  readonly uris: ReadonlyArray<{ value: string; extract?: boolean; executable?: boolean }>;
  /** Memory per rank when the experiment gives no totalPhysicalMemory. */
  readonly memMbPerRank?: number;
  readonly description?: string;
  /** Run the tasks in this image (Mesos ContainerInfo) instead of on the agent's own system. */
  readonly container?: AppContainer;
}

/**
 * Applications by id; `queueContainers` gives the image of every application run on a queue whose
 * entry names none (`"queues": {"<queue>": {"container": {...}}}`; an application's own wins).
 */
export interface Catalogue extends ReadonlyMap<string, CatalogueEntry> {
  readonly queueContainers?: ReadonlyMap<string, AppContainer>;
}

export class CatalogueError extends Error {
  constructor(readonly problems: string[], source: string) {
    super(`application catalogue ${source} is invalid:\n${problems.map((p) => `  - ${p}`).join('\n')}`);
    this.name = 'CatalogueError';
  }
}

const FLAVOURS: readonly MpiFlavour[] = ['openmpi', 'mpich', 'none'];

function isStringRecord(v: unknown): v is Record<string, string> {
  return typeof v === 'object' && v !== null && !Array.isArray(v) && Object.values(v).every((x) => typeof x === 'string');
}

/** `{"type": "docker"|"mesos", "image": "...", "forcePullImage"?: bool}`, or the problems with it. */
export function parseContainer(raw: unknown, at: string, problems: string[]): AppContainer | undefined {
  if (raw === undefined) return undefined;
  const c = raw as Record<string, unknown>;
  if (typeof c !== 'object' || c === null || Array.isArray(c)) {
    problems.push(`${at} must be an object {"type": "docker" | "mesos", "image": "<image>"}`);
    return undefined;
  }
  const before = problems.length;
  if (c.type !== 'docker' && c.type !== 'mesos') problems.push(`${at}.type must be "docker" (Docker containerizer) or "mesos" (Mesos containerizer with a Docker image), not ${JSON.stringify(c.type)}`);
  if (typeof c.image !== 'string' || !/^[a-z0-9][^\s]*$/i.test(c.image)) problems.push(`${at}.image must be a Docker image reference, not ${JSON.stringify(c.image)}`);
  if (c.forcePullImage !== undefined && typeof c.forcePullImage !== 'boolean') problems.push(`${at}.forcePullImage must be true or false`);
  if (c.forcePullImage !== undefined && c.type === 'mesos') problems.push(`${at}.forcePullImage applies to the Docker containerizer only`);
  for (const k of Object.keys(c)) if (!['type', 'image', 'forcePullImage'].includes(k)) problems.push(`${at}.${k} is not a container setting (type, image, forcePullImage)`);
  if (problems.length > before) return undefined;
  return { type: c.type as AppContainer['type'], image: c.image as string, ...(c.forcePullImage !== undefined ? { forcePullImage: c.forcePullImage as boolean } : {}) };
}

/** Validates a parsed catalogue document: `{ "applications": { "<id>": { ...entry } } }`. */
export function parseCatalogue(doc: unknown, source = '(inline)'): Catalogue {
  const problems: string[] = [];
  const out = new Map<string, CatalogueEntry>();
  const apps = (doc as { applications?: unknown })?.applications;
  if (typeof apps !== 'object' || apps === null || Array.isArray(apps)) {
    throw new CatalogueError(['expected an object {"applications": {"<application id>": {...}}}'], source);
  }
  for (const [id, raw] of Object.entries(apps as Record<string, unknown>)) {
    const e = raw as Record<string, unknown>;
    const at = `applications["${id}"]`;
    if (typeof e !== 'object' || e === null) { problems.push(`${at} must be an object`); continue; }
    if (typeof e.executable !== 'string' || e.executable.length === 0) problems.push(`${at}.executable must be a non-empty string`);
    const mpi = (e.mpi ?? 'none') as MpiFlavour;
    if (!FLAVOURS.includes(mpi)) problems.push(`${at}.mpi must be one of ${FLAVOURS.join(', ')}, not ${JSON.stringify(e.mpi)}`);
    const fixedArgs = e.args ?? [];
    if (!Array.isArray(fixedArgs) || !fixedArgs.every((a) => typeof a === 'string')) problems.push(`${at}.args must be an array of strings`);
    const env = e.env ?? {};
    if (!isStringRecord(env)) problems.push(`${at}.env must map names to strings`);
    const uris = e.uris ?? [];
    if (!Array.isArray(uris) || !uris.every((u) => typeof (u as { value?: unknown })?.value === 'string')) problems.push(`${at}.uris must be an array of {value, extract?, executable?}`);
    if (e.memMbPerRank !== undefined && !(Number.isInteger(e.memMbPerRank) && (e.memMbPerRank as number) > 0)) problems.push(`${at}.memMbPerRank must be a positive integer`);
    if (typeof e.executable === 'string' && !isAbsolute(e.executable) && !(uris as Array<{ value: string }>).some?.((u) => u.value.endsWith(`/${e.executable}`))) {
      problems.push(`${at}.executable "${e.executable}" must be an absolute path or the name of a file listed in uris`);
    }
    const container = parseContainer(e.container, `${at}.container`, problems);
    out.set(id, {
      executable: e.executable as string, mpi, fixedArgs: fixedArgs as string[], env: env as Record<string, string>,
      uris: uris as CatalogueEntry['uris'], memMbPerRank: e.memMbPerRank as number | undefined, description: e.description as string | undefined,
      ...(container ? { container } : {}),
    });
  }
  const queueContainers = new Map<string, AppContainer>();
  const queues = (doc as { queues?: unknown }).queues;
  if (queues !== undefined) {
    if (typeof queues !== 'object' || queues === null || Array.isArray(queues)) problems.push('queues must be an object {"<queue name>": {"container": {...}}}');
    else {
      for (const [name, q] of Object.entries(queues as Record<string, unknown>)) {
        const keys = typeof q === 'object' && q !== null ? Object.keys(q) : [];
        if (typeof q !== 'object' || q === null || keys.some((k) => k !== 'container')) problems.push(`queues["${name}"] must be {"container": {...}}`);
        const c = parseContainer((q as { container?: unknown } | null)?.container, `queues["${name}"].container`, problems);
        if (c) queueContainers.set(name, c);
      }
    }
  }
  if (problems.length) throw new CatalogueError(problems, source);
  return Object.assign(out, { queueContainers });
}

export function loadCatalogue(path: string): Catalogue {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (e) {
    throw new CatalogueError([`cannot be read: ${(e as Error).message}`], path);
  }
  let doc: unknown;
  try {
    doc = JSON.parse(text);
  } catch (e) {
    throw new CatalogueError([`not valid JSON: ${(e as Error).message}`], path);
  }
  return parseCatalogue(doc, path);
}

/** Finds an application by its deployment id first (most specific), then its interface id. */
export function lookupApplication(cat: Catalogue, ids: { deploymentId?: string; interfaceId?: string }): { id: string; entry: CatalogueEntry } | undefined {
  for (const id of [ids.deploymentId, ids.interfaceId]) {
    if (id && cat.has(id)) return { id, entry: cat.get(id)! };
  }
  return undefined;
}
