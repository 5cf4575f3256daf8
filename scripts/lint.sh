#!/usr/bin/env bash
# Lints kmark's own C++ with the root .clang-tidy (warnings are errors).
#   scripts/lint.sh BUILD_DIR
set -euo pipefail
build=${1:?usage: lint.sh BUILD_DIR}
cd "$(dirname "$0")/.."
git ls-files 'lib/*.cpp' 'tools/*.cpp' 'test/unit/*.cpp' |
  xargs -P "$(nproc)" -n 1 clang-tidy-22 -p "$build" --quiet
echo "lint: clean"
