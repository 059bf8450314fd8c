/**
 * Where a gang's tasks meet in ZooKeeper. One attempt of one job owns one subtree:
 *
 *   <zkRoot>/rendezvous/<jobId>/<attempt>/
 *     members/<index>            ephemeral, MemberRecord: the task is alive and where it runs
 *     daemons/<index>/d-<seq>    DaemonRequest: an MPI daemon command for member <index> to run
 *     daemons/<index>/d-<seq>/exit   DaemonExit, written by the member when that daemon ended
 *     daemons/<index>/d-<seq>/kill   written by the remote shell when mpirun gave up on that daemon
 *     exits/<rank>               RankExit of every rank that ended other than with code 0
 *     left/<index>               written by a member killed on purpose before it removes members/<index>:
 *                                its absence is then final at once, where an absence alone may be a
 *                                ZooKeeper outage that expired a healthy task's session (grace period)
 *     result                     GangResult, written once by the launcher: the job's verdict
 *
 * The dispatcher removes `<zkRoot>/rendezvous/<jobId>` once it has read the result.
 */
export function rendezvousPath(zkRoot: string, jobId: string, attempt: number): string {
  if (!/^\/[^\0]*[^/]$|^\/$/.test(zkRoot)) throw new Error(`ZooKeeper root ${JSON.stringify(zkRoot)} must be an absolute path`);
  if (!jobId || /[/\0]/.test(jobId) || jobId === '.' || jobId === '..') throw new Error(`job id ${JSON.stringify(jobId)} cannot be a znode name`);
  if (!Number.isInteger(attempt) || attempt < 1) throw new Error(`attempt must be a positive integer, got ${attempt}`);
  return `${zkRoot === '/' ? '' : zkRoot}/rendezvous/${jobId}/${attempt}`;
}

export interface GangPaths {
  readonly root: string;
  readonly members: string;
  member(index: number): string;
  daemons(index: number): string;
  readonly exits: string;
  exit(rank: number): string;
  readonly lefts: string;
  left(index: number): string;
  readonly result: string;
}

export function gangPaths(rendezvous: string): GangPaths {
  return {
    root: rendezvous,
    members: `${rendezvous}/members`,
    member: (index) => `${rendezvous}/members/${index}`,
    daemons: (index) => `${rendezvous}/daemons/${index}`,
    exits: `${rendezvous}/exits`,
    exit: (rank) => `${rendezvous}/exits/${rank}`,
    lefts: `${rendezvous}/left`,
    left: (index) => `${rendezvous}/left/${index}`,
    result: `${rendezvous}/result`,
  };
}

export const DAEMON_PREFIX = 'd-';
