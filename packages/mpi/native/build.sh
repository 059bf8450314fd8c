#!/usr/bin/env bash
# Builds the resident half of the rank wrapper (rank-exec.c) into dist/, next to the gang task
# programs, so it is installed wherever packages/mpi/dist is. Without a C compiler the launcher
# falls back to the all-node rank wrapper (about 40 MB resident per rank instead of about 1 MB).
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
out="$here/../dist/msched-rank-exec"
cc="${CC:-cc}"
if ! command -v "$cc" >/dev/null; then
  echo "packages/mpi: no C compiler ($cc): ranks will run under the node rank wrapper" >&2
  exit 0
fi
mkdir -p "$(dirname "$out")"
if [ ! -x "$out" ] || [ "$here/rank-exec.c" -nt "$out" ]; then
  "$cc" -O2 -Wall -Wextra -o "$out.tmp" "$here/rank-exec.c"
  mv "$out.tmp" "$out"
fi
