#!/usr/bin/env bash
# Installs what kmark needs on Debian 12 (LLVM 22 from apt) and builds it
# into build/.  Set KMARK_KERNEL=1 to also install what the full test suite
# needs (linux-source-6.12 and its build tools, the SARIF validator),
# KMARK_WERROR=1 to turn compiler warnings into errors.
set -euo pipefail
cd "$(dirname "$0")/.."

sudo=""
[ "$(id -u)" = 0 ] || sudo=sudo
pkgs=(cmake ninja-build git python3 clang-22 clang-tidy-22 clang-tools-22
      libclang-22-dev llvm-22-dev llvm-22-tools googletest libgtest-dev
      libgmock-dev)
if [ "${KMARK_KERNEL:-0}" = 1 ]; then
  pkgs+=(linux-source-6.12 linux-config-6.12 flex bison bc libelf-dev libssl-dev lld-22 llvm-22
         rsync cpio kmod xz-utils make perl python3-jsonschema
         libclang-rt-22-dev)
  command -v npm > /dev/null || pkgs+=(npm)
fi
missing=()
for p in "${pkgs[@]}"; do
  dpkg -s "$p" > /dev/null 2>&1 || missing+=("$p")
done
if [ ${#missing[@]} -gt 0 ]; then
  echo "setup: installing ${missing[*]}"
  $sudo apt-get update -qq
  $sudo env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq \
    --no-install-recommends "${missing[@]}" > /dev/null
fi

args=(-G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo)
[ "${KMARK_WERROR:-0}" = 1 ] && args+=(-DKMARK_WERROR=ON)
[ "${KMARK_KERNEL:-0}" = 1 ] && args+=(-DKMARK_KERNEL_TESTS=ON)
cmake -S . -B build "${args[@]}" > /dev/null
cmake --build build
