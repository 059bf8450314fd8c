/**
 * Masters contend by creating EPHEMERAL|SEQUENTIAL znodes `json.info_NNNNNNNNNN`; the lowest
 * sequence leads. Older masters also write protobuf `info_` nodes, which we ignore.
 */
const LEADER_NODE = /^json\.info_(\d+)$/;

export function pickLeaderNode(children: readonly string[]): string | undefined {
  let best: string | undefined;
  let bestSeq = Infinity;
  for (const child of children) {
    const m = LEADER_NODE.exec(child);
    if (!m) continue;
    const seq = Number(m[1]);
    if (seq < bestSeq) {
      bestSeq = seq;
      best = child;
    }
  }
  return best;
}
