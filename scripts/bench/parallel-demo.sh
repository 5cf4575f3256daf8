#!/usr/bin/env bash
# The TU phase split across N independent workers (machines, in real use),
# run here with GNU parallel; their shards are merged afterwards, in any
# order, into the same index a single run makes.
#
#   scripts/bench/parallel-demo.sh TREE N DIR...
set -euo pipefail
tree=$(cd "$1" && pwd); n=$2; shift 2
src=$(cd "$(dirname "$0")/../.." && pwd)
kmark=$src/build/tools/kmark/kmark
work=$(mktemp -d /tmp/kmark-parallel.XXXXXX)
cd "$tree"
python3 - "$tree" "$@" > "$work/tus.txt" <<'PY'
import json, os, sys
tree, dirs = sys.argv[1], sys.argv[2:]
for e in json.load(open(os.path.join(tree, "compile_commands.json"))):
    rel = os.path.relpath(e["file"], tree)
    if rel.endswith(".c") and any(rel.startswith(d.rstrip("/") + "/") for d in dirs):
        print(rel)
PY
total=$(wc -l < "$work/tus.txt")
split -n "r/$n" -d "$work/tus.txt" "$work/part."
echo "parallel-demo: $total TUs in $n workers"
start=$(date +%s.%N)
ls "$work"/part.* | parallel -j "$n" --halt never \
  "$kmark run -p . -j 1 --quiet --index-dir $work/worker-{#} \$(cat {}) > /dev/null 2> $work/worker-{#}.log; true"
parsed=$(date +%s.%N)
# Merge the workers' shards, forwards and backwards: the same bytes.
"$kmark" merge -o "$work/merged-a.kmi" "$work"/worker-*/shards
"$kmark" merge -o "$work/merged-b.kmi" $(ls -d "$work"/worker-*/shards | sort -r)
cmp "$work/merged-a.kmi" "$work/merged-b.kmi" && echo "parallel-demo: merge order does not matter"
# And the same index as one run over everything.
"$kmark" run -p . -j "$n" --quiet --index-dir "$work/single" "$@" > /dev/null 2>&1 || true
if cmp -s "$work/merged-a.kmi" "$work/single/index.kmi"; then
  echo "parallel-demo: identical to a single run's index"
else
  echo "parallel-demo: differs from a single run's index:"
  "$kmark" dump --index "$work/merged-a.kmi" | sort > "$work/a.tsv"
  "$kmark" dump --index "$work/single/index.kmi" | sort > "$work/s.tsv"
  diff "$work/a.tsv" "$work/s.tsv" | head -5 || true
  echo "($(diff "$work/a.tsv" "$work/s.tsv" | grep -c '^[<>]' || true) lines)"
fi
echo "parallel-demo: TU phase $(echo "$parsed - $start" | bc) s wall in $n workers; work in $work"
