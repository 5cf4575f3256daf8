#!/usr/bin/env bash
# Sets kmark up and runs its main job on the bundled example tree
# (examples/minikernel, with the tcp_v4/tcp_v6 and smc_poll shapes): the
# findings with their evidence and fix-its on standard output, the fixes as
# YAML, SARIF, and one patch per field under examples/minikernel/out/.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/setup.sh > /dev/null
example=examples/minikernel
"$example/gen-compile-db.sh" > /dev/null
rm -rf "$example/out" "$example/.kmark"
status=0
build/tools/kmark/kmark run -p "$example" --quiet \
  --export-fixes "$example/out/fixes.yaml" --sarif "$example/out/kmark.sarif" \
  --patches "$example/out/patches" || status=$?
echo
echo "demo: kmark exited with $status (0: no findings, 1: findings, 2: error)"
echo "demo: patches:"
ls "$example/out/patches"
echo "demo: the tcp_v6 patch:"
cat "$example/out/patches/"*tp-tsoffset*
