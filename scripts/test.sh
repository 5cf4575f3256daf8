#!/usr/bin/env bash
# Sets kmark up (with the real-kernel tests) and runs every test: lint, unit
# tests, the lit suite and the seed cases on Debian's linux-source-6.12.
set -euo pipefail
cd "$(dirname "$0")/.."
KMARK_KERNEL=1 KMARK_WERROR=1 scripts/setup.sh
scripts/fetch-sarif-schema.sh > /dev/null
cd build
ctest --output-on-failure -j "$(nproc)"
