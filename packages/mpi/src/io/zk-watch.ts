import { ZkError, type Zk } from '@msched/zk';
import type { GangZk } from './gang-zk';

/**
 * Continuous watches on top of ZooKeeper's one-shot watchers: each callback re-arms the watch and
 * reports the current state, so no change between two events is missed. stop() ends the loop.
 *
 * A watch survives ZooKeeper outages: reading through GangZk.call retries through lost connections,
 * and a new session (whose predecessor's watchers will never fire) re-arms it. onError is called
 * only for a failure that is not an outage, or for an outage longer than the retry bound.
 */
export interface Stoppable {
  stop(): void;
}

function watchLoop<T>(gz: GangZk, path: string, read: (zk: Zk, rearm: () => void) => Promise<T>, onValue: (v: T) => void, onError: (e: Error) => void): Stoppable {
  let stopped = false;
  // Only the latest arming reports: one re-armed after a new session supersedes the old one's.
  let generation = 0;
  const arm = (): void => {
    if (stopped) return;
    const mine = ++generation;
    gz.call(`watch ${path}`, (zk) => read(zk, () => { if (mine === generation) arm(); }))
      .then((v) => { if (!stopped && mine === generation) onValue(v); })
      .catch((e: Error) => { if (!stopped && mine === generation) onError(e); });
  };
  const unsubscribe = gz.onNewSession(() => arm());
  arm();
  return { stop: () => { stopped = true; unsubscribe(); } };
}

export function watchChildren(gz: GangZk, path: string, onChildren: (children: string[]) => void, onError: (e: Error) => void): Stoppable {
  return watchLoop(gz, path, (zk, rearm) => zk.getChildren(path, rearm), onChildren, onError);
}

export function watchExists(gz: GangZk, path: string, onState: (exists: boolean) => void, onError: (e: Error) => void): Stoppable {
  return watchLoop(gz, path, (zk, rearm) => zk.exists(path, rearm), onState, onError);
}

/**
 * Watches an ephemeral presence node (a member) and calls gone() only when it stays absent for
 * `graceMs`: after a ZooKeeper outage a healthy task's session may have expired, and its node is
 * missing until it opened a new session and registered again. `leftPath`, when it exists, says the
 * task left on purpose (killed): then gone() is called at once.
 */
export function watchPresence(gz: GangZk, path: string, o: { graceMs: number; leftPath?: string; present?(): void; gone(): void; onError(e: Error): void }): Stoppable {
  let timer: NodeJS.Timeout | undefined;
  let stopped = false;
  // The caller decides what an absence means (and stops the watch): gone() may come more than once.
  const gone = () => {
    if (!stopped) o.gone();
  };
  const confirm = () => {
    timer = undefined;
    gz.call(`check ${path}`, (zk) => zk.exists(path))
      .then((exists) => { if (!exists) gone(); }, (e: Error) => { if (!stopped) o.onError(e); });
  };
  const watch = watchExists(gz, path, (exists) => {
    if (exists) {
      if (timer) clearTimeout(timer);
      timer = undefined;
      o.present?.();
      return;
    }
    if (o.leftPath) {
      gz.zk.exists(o.leftPath).then((left) => { if (left) gone(); }, () => undefined);
    }
    if (!timer) timer = setTimeout(confirm, o.graceMs);
  }, o.onError);
  return {
    stop: () => {
      stopped = true;
      if (timer) clearTimeout(timer);
      watch.stop();
    },
  };
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
