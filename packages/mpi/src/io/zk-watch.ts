import { ZkError, type Zk } from '@msched/zk';

/**
 * Continuous watches on top of ZooKeeper's one-shot watchers: each callback re-arms the watch and
 * reports the current state, so no change between two events is missed. stop() ends the loop.
 */
export interface Stoppable {
  stop(): void;
}

export function watchChildren(zk: Zk, path: string, onChildren: (children: string[]) => void, onError: (e: Error) => void): Stoppable {
  let stopped = false;
  const arm = (): void => {
    if (stopped) return;
    zk.getChildren(path, () => arm())
      .then((children) => { if (!stopped) onChildren(children); })
      .catch((e: Error) => { if (!stopped) onError(e); });
  };
  arm();
  return { stop: () => { stopped = true; } };
}

export function watchExists(zk: Zk, path: string, onState: (exists: boolean) => void, onError: (e: Error) => void): Stoppable {
  let stopped = false;
  const arm = (): void => {
    if (stopped) return;
    zk.exists(path, () => arm())
      .then((exists) => { if (!stopped) onState(exists); })
      .catch((e: Error) => { if (!stopped) onError(e); });
  };
  arm();
  return { stop: () => { stopped = true; } };
}

/** Creates a node, or overwrites its data when it already exists. */
export async function putNode(zk: Zk, path: string, data: string): Promise<void> {
  try {
    await zk.create(path, data, 'persistent');
  } catch (e) {
    if (e instanceof ZkError && e.isNodeExists) await zk.setData(path, data);
    else throw e;
  }
}

/** Creates a node unless it exists (first writer wins). Returns whether this call created it. */
export async function createOnce(zk: Zk, path: string, data: string): Promise<boolean> {
  try {
    await zk.create(path, data, 'persistent');
    return true;
  } catch (e) {
    if (e instanceof ZkError && e.isNodeExists) return false;
    throw e;
  }
}
