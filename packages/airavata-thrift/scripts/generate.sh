#!/usr/bin/env bash
# Regenerates gen-nodejs/ from thrift-idl/ with Debian's Apache Thrift compiler (thrift-compiler 0.17).
# The generated code is committed; test/unit/thrift/generated-current.test.ts fails when it is stale.
#
#   bash packages/airavata-thrift/scripts/generate.sh [OUT_DIR]
#
# js:node,es6 gives native-Promise services that run on the npm thrift 0.24 runtime (plain js:node
# needs the `q` library that runtime dropped); ts writes the .d.ts files our typed layer builds on.
set -euo pipefail
HERE=$(cd "$(dirname "$0")/.." && pwd)
IDL=$(cd "$HERE/../../thrift-idl" && pwd)
OUT=${1:-$HERE/gen-nodejs}
command -v thrift >/dev/null || { echo "thrift compiler not found: apt-get install thrift-compiler" >&2; exit 1; }
rm -rf "$OUT"
mkdir -p "$OUT"
thrift -r --gen js:node,es6,ts -I "$IDL" -out "$OUT" "$IDL/metascheduler.thrift"
