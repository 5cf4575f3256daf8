#!/usr/bin/env bash
# The history evaluation, end to end, on the development set.
#
#   scripts/eval/run-eval.sh [OUT_DIR]
#
# Prepares Debian's linux-source-6.1 and linux-source-6.12 (Debian's config,
# LLVM=-22) and builds the development directories in both, runs kmark on
# both trees, mines the accesses upstream marked from 6.1 to 6.12 and
# scores kmark's 6.1 findings against them.  net/ is the held-out set and
# is not part of it.  About an hour on 2 cores the first time (most of it
# building the trees), minutes afterwards.
set -euo pipefail
src=$(cd "$(dirname "$0")/../.." && pwd)
out=${1:-$src/build/eval}
dirs=${KMARK_EVAL_DIRS:-"fs kernel mm block"}
kmark=${KMARK:-$src/build/tools/kmark/kmark}
mkdir -p "$out"

# The two kernels' sources and Debian's configs, from apt, if missing.
missing=()
for p in linux-source-6.1 linux-config-6.1 linux-source-6.12 linux-config-6.12; do
  dpkg -s "$p" > /dev/null 2>&1 || missing+=("$p")
done
if [ ${#missing[@]} -gt 0 ]; then
  sudo=""
  [ "$(id -u)" = 0 ] || sudo=sudo
  echo "eval: installing ${missing[*]}"
  $sudo apt-get update -qq
  $sudo env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq \
    --no-install-recommends "${missing[@]}" > /dev/null
fi

for ver in 6.1 6.12; do
  tree=$("$src/scripts/kernel-tree.sh" "$ver" $(for d in $dirs; do printf '%s/ ' "$d"; done) | tail -n 1)
  echo "eval: $ver tree at $tree"
  (cd "$tree" && "$kmark" run -p . --index-dir "$out/index-$ver" --quiet \
     --min-confidence low --headers --sarif "$out/findings-$ver.sarif" \
     --stats "$out/stats-$ver.json" $dirs > "$out/report-$ver.txt") || [ $? = 1 ]
  "$kmark" dump --index "$out/index-$ver/index.kmi" > "$out/dump-$ver.tsv"
done
old=$("$src/scripts/kernel-tree.sh" 6.1 | tail -n 1)
new=$("$src/scripts/kernel-tree.sh" 6.12 | tail -n 1)
python3 "$src/scripts/eval/mine_history.py" "$old" "$new" $dirs > "$out/mined.jsonl"
python3 "$src/scripts/eval/eval_history.py" --mined "$out/mined.jsonl" \
  --dump "$out/dump-6.1.tsv" --sarif "$out/findings-6.1.sarif" \
  --json "$out/eval.json" | tee "$out/eval.txt"
