/**
 * Recognises MPI_Abort in the launcher's stderr. An aborting rank is torn down by MPI at once,
 * usually before our rank wrapper can record anything, so MPI's own message is the only witness.
 *   OpenMPI 4.1: "MPI_ABORT was invoked on rank 2 in communicator MPI_COMM_WORLD" / "with errorcode 5."
 *   MPICH 4:     "Abort(5) on node 2 (rank 2 in comm 0): application called MPI_Abort(MPI_COMM_WORLD, 5) - process 2"
 */
export interface MpiAbort {
  /** Rank in MPI_COMM_WORLD; undefined when MPI named a rank of another communicator only. */
  readonly rank?: number;
  readonly code: number;
}

const OPENMPI = /MPI_ABORT was invoked on rank (\d+) in communicator (\S+)\s+with errorcode (-?\d+)/;
const MPICH = /application called MPI_Abort\([^,]*,\s*(-?\d+)\) - process (\d+)/;

/** The first MPI_Abort in a piece of text, if any. */
export function findMpiAbort(text: string): MpiAbort | undefined {
  const o = OPENMPI.exec(text);
  const m = MPICH.exec(text);
  if (o && (!m || o.index <= m.index)) return { rank: o[2] === 'MPI_COMM_WORLD' ? Number(o[1]) : undefined, code: Number(o[3]) };
  if (m) return { rank: Number(m[2]), code: Number(m[1]) };
  return undefined;
}

/** Fed with stderr chunks as they pass; keeps the first abort and a small tail for split messages. */
export class AbortScanner {
  private tail = '';
  private found?: MpiAbort;

  feed(chunk: Buffer | string): void {
    if (this.found) return;
    const text = this.tail + chunk.toString();
    this.found = findMpiAbort(text);
    // OpenMPI's message spans two lines and a chunk may end anywhere: keep enough to re-match.
    this.tail = text.slice(-400);
  }

  get abort(): MpiAbort | undefined {
    return this.found;
  }
}
