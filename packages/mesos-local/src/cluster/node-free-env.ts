import { readdir, mkdir, stat, symlink } from 'node:fs/promises';
import { delimiter, join, resolve, sep } from 'node:path';

/** Programs that would let a task find node (or install it) on an agent. */
const NODE_PROGRAMS = /^(node|nodejs|npm|npx|corepack|yarn|pnpm)$/;

/** node's and npm's own variables, and where the agent was started from (npm run sets INIT_CWD). */
const DROPPED_VARIABLES = /^(NODE_.*|npm_.*|INIT_CWD|PWD|OLDPWD)$/i;

/** The checkout (or installation) this code runs from: packages/mesos-local/dist/cluster, four up. */
export const OWN_CHECKOUT = resolve(__dirname, '../../../..');

const inside = (path: string, root: string) => path === root || path.startsWith(root.endsWith(sep) ? root : root + sep);

/**
 * The environment of an agent on which nothing of ours is installed, on a machine that has node:
 * PATH becomes one folder of links to every program of the current PATH except node and its
 * package managers (node lives in /usr/bin beside mpirun and tar, so folders cannot just be
 * dropped), and node's and npm's own variables go. Nothing may lead back into the checkout either:
 * PATH folders in it or in any node_modules (npm run puts node_modules/.bin first) are skipped, and
 * variables naming a path in it go (PWD, INIT_CWD, a state dir...). A task that still runs must
 * have brought its runtime along.
 */
export async function nodeFreeEnvironment(binDir: string, env: NodeJS.ProcessEnv = process.env, checkout: string = OWN_CHECKOUT): Promise<NodeJS.ProcessEnv> {
  await mkdir(binDir, { recursive: true });
  const root = resolve(checkout);
  const linked = new Set<string>();
  for (const dir of (env.PATH ?? '').split(delimiter).filter(Boolean)) {
    const abs = resolve(dir);
    if (inside(abs, root) || abs.split(sep).includes('node_modules')) continue;
    const names = (await readdir(dir).catch(() => [] as string[])).filter((name) => !linked.has(name) && !NODE_PROGRAMS.test(name));
    // A folder's entries at once (/usr/bin has ~1,500: one at a time took seconds of an agent's start).
    const programs = (await Promise.all(names.map(async (name) => {
      const st = await stat(join(dir, name)).catch(() => null);
      return st?.isFile() && (st.mode & 0o111) !== 0 ? name : undefined;
    }))).filter((name): name is string => name !== undefined);
    programs.forEach((name) => linked.add(name));
    await Promise.all(programs.map((name) => symlink(join(dir, name), join(binDir, name)).catch((e: NodeJS.ErrnoException) => {
      if (e.code !== 'EEXIST') throw e;
    })));
  }
  const out: NodeJS.ProcessEnv = {};
  for (const [k, v] of Object.entries(env)) {
    if (DROPPED_VARIABLES.test(k) || v === undefined || v.split(delimiter).some((part) => part.startsWith(sep) && inside(resolve(part), root))) continue;
    out[k] = v;
  }
  out.PATH = binDir;
  return out;
}
