#!/usr/bin/env bash
# Builds the native programs into dist/, next to the gang task programs, so they are installed
# wherever packages/mpi/dist is:
#   msched-rank-exec     the resident rank wrapper (rank-exec.c), also the MPI remote shell when
#                        started as msched-remote-shell (remote-shell.c)
#   msched-mpi-yield.so  preloaded into MPICH ranks on oversubscribed machines (mpi-yield.c)
# Without a C compiler the launcher falls back to the node programs (about 40 MB resident per rank
# instead of about 1 MB, and a node start per remote shell and rank) and MPICH ranks busy-poll.
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
dist="$here/../dist"
cc="${CC:-cc}"
if ! command -v "$cc" >/dev/null; then
  echo "packages/mpi: no C compiler ($cc): ranks will run under the node rank wrapper" >&2
  exit 0
fi
mkdir -p "$dist"
stale() { # target sources...
  local target="$1"; shift
  [ ! -e "$target" ] && return 0
  for s in "$@"; do [ "$s" -nt "$target" ] && return 0; done
  return 1
}
out="$dist/msched-rank-exec"
if stale "$out" "$here/rank-exec.c" "$here/remote-shell.c" "$here/native.h"; then
  "$cc" -O2 -Wall -Wextra -o "$out.tmp" "$here/rank-exec.c" "$here/remote-shell.c"
  mv "$out.tmp" "$out"
fi
shim="$dist/msched-mpi-yield.so"
if stale "$shim" "$here/mpi-yield.c"; then
  "$cc" -O2 -Wall -Wextra -shared -fPIC -o "$shim.tmp" "$here/mpi-yield.c" -ldl
  mv "$shim.tmp" "$shim"
fi
