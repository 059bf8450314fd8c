import type { Config } from '@msched/config';
import type { Logger } from '@msched/logging';
import { removeJobRendezvous } from '@msched/mpi';
import { Zk } from '@msched/zk';

/** Removes a job's ZooKeeper rendezvous subtree (idempotent), over a session opened on first use and again after it expired. */
export interface RendezvousRemover {
  remove(jobId: string): Promise<void>;
  close(): void;
}

export function rendezvousRemover(zkCfg: Config['zookeeper'], logger?: Logger): RendezvousRemover {
  let zk: Promise<Zk> | undefined;
  const session = (): Promise<Zk> => {
    zk ??= Zk.connect(zkCfg.connect, { sessionTimeoutMs: zkCfg.sessionTimeoutMs, logger }).then((opened) => {
      // An expired client never sends again (node-zookeeper-client queues for ever): the next
      // removal opens a new session instead of waiting on a dead one.
      opened.onSessionExpired(() => {
        if (zk === current) zk = undefined;
        opened.close();
      });
      return opened;
    }, (e) => { zk = undefined; throw e; });
    const current = zk;
    return zk;
  };
  return {
    async remove(jobId) {
      await removeJobRendezvous(await session(), zkCfg.root, jobId);
    },
    close() {
      void zk?.then((z) => z.close(), () => undefined);
    },
  };
}
