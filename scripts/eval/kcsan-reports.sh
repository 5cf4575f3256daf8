#!/usr/bin/env bash
# Resolves each KCSAN report in a directory against an index and prints one
# row per report: file, field, verdict, fix-its, milliseconds.
#
#   kcsan-reports.sh KMARK TREE INDEX_DIR REPORT_DIR > table.md
#
# The reports are inputs to run, not test text: collect them yourself (see
# docs/kcsan.md for the list used there).
set -euo pipefail
kmark=$1 tree=$2 index=$3 dir=$4
echo "| report | field | verdict | fix-its | ms |"
echo "|---|---|---|---|---|"
for r in "$dir"/*.txt; do
  out=$(mktemp) err=$(mktemp)
  start=$(date +%s%N)
  "$kmark" kcsan -p "$tree" --index-dir "$index" "$r" > "$out" 2> "$err" || true
  ms=$(( ($(date +%s%N) - start) / 1000000 ))
  field=$(sed -n 's/^  field: \([^ ]*\).*/\1/p' "$out" | head -1)
  verdict=$(sed -n 's/^  verdict: //p' "$out" | head -1)
  [ -n "$verdict" ] || verdict=$(grep -oE "not found.*|no KCSAN report.*|ambiguous.*" "$out" "$err" | head -1 | cut -d: -f2-)
  fixes=$(grep -c "^ *| fix: " "$out" || true)
  echo "| $(basename "$r" .txt) | ${field:--} | ${verdict:--} | $fixes | $ms |"
  rm -f "$out" "$err"
done
