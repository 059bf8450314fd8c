import { readdir, mkdir, stat, symlink } from 'node:fs/promises';
import { delimiter, join } from 'node:path';

/** Programs that would let a task find node (or install it) on an agent. */
const NODE_PROGRAMS = /^(node|nodejs|npm|npx|corepack|yarn|pnpm)$/;

/**
 * The environment of an agent on which nothing of ours is installed, on a machine that has node:
 * PATH becomes one folder of links to every program of the current PATH except node and its
 * package managers (node lives in /usr/bin beside mpirun and tar, so folders cannot just be
 * dropped), and node's and npm's own variables go. A task that still runs must have brought its
 * runtime along.
 */
export async function nodeFreeEnvironment(binDir: string, env: NodeJS.ProcessEnv = process.env): Promise<NodeJS.ProcessEnv> {
  await mkdir(binDir, { recursive: true });
  const linked = new Set<string>();
  for (const dir of (env.PATH ?? '').split(delimiter).filter(Boolean)) {
    const names = await readdir(dir).catch(() => [] as string[]);
    for (const name of names) {
      if (linked.has(name) || NODE_PROGRAMS.test(name)) continue;
      const target = join(dir, name);
      const st = await stat(target).catch(() => null);
      if (!st?.isFile() || (st.mode & 0o111) === 0) continue;
      linked.add(name);
      await symlink(target, join(binDir, name)).catch((e: NodeJS.ErrnoException) => {
        if (e.code !== 'EEXIST') throw e;
      });
    }
  }
  const out: NodeJS.ProcessEnv = {};
  for (const [k, v] of Object.entries(env)) if (!/^(NODE_|npm_)/i.test(k)) out[k] = v;
  out.PATH = binDir;
  return out;
}
