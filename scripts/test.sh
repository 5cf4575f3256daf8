#!/usr/bin/env bash
# Sets kmark up (with the real-kernel tests) and runs every test: lint, unit
# tests, the lit suite and the seed cases on Debian's linux-source-6.12.
set -euo pipefail
cd "$(dirname "$0")/.."
KMARK_KERNEL=1 KMARK_WERROR=1 scripts/setup.sh
scripts/fetch-sarif-schema.sh > /dev/null

# The sanitizer build (ASan+UBSan, the runtime preloaded into Debian's
# clang-tidy) runs the lit suite, the unit tests and the index-reader
# fuzzer for a bounded time.
cmake -S . -B build-asan -G Ninja -DKMARK_SANITIZE=ON -DKMARK_FUZZ=ON \
  -DKMARK_WERROR=ON > /dev/null
cmake --build build-asan
(cd build-asan && ctest --output-on-failure -j "$(nproc)" -L 'unit|fuzz' &&
  ctest --output-on-failure -R '^lit$')

# Everything, last, so the output ends with its summary.
cd build
ctest --output-on-failure -j "$(nproc)"
