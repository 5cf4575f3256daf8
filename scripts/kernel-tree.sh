#!/usr/bin/env bash
# Prepare a Debian linux-source tree with a compile database, in a cache
# folder outside the repository.  Reuses everything already built.
#
#   [KMARK_ARCH=arm64] scripts/kernel-tree.sh VERSION [OBJECT|DIR/ ...]
#
# VERSION is 6.12 or 6.1.  Objects (net/ipv4/tcp.o) or directories (net/smc/)
# are compiled with LLVM=-22 so kbuild writes their .cmd files; then
# compile_commands.json is regenerated.  Prints the tree's path last.
# KMARK_CACHE (default ~/.cache/kmark) holds the trees.  KMARK_ARCH=arm64
# prepares a second tree, linux-VERSION-arm64, with the kernel's own arm64
# defconfig (Debian's linux-config-* has amd64 configs only): the drivers
# and arch code an amd64 build never compiles, for held-out draws.
set -euo pipefail
ver=${1:?usage: kernel-tree.sh VERSION [OBJECT|DIR/ ...]}
shift
cache=${KMARK_CACHE:-$HOME/.cache/kmark}
arch=${KMARK_ARCH:-amd64}
case $arch in
  amd64) tree=$cache/linux-$ver; mk=(make -s LLVM=-22) ;;
  arm64) tree=$cache/linux-$ver-arm64; mk=(make -s ARCH=arm64 LLVM=-22) ;;
  *) echo "kernel-tree: KMARK_ARCH is amd64 or arm64, not $arch" >&2; exit 2 ;;
esac
tarball=/usr/src/linux-source-$ver.tar.xz
jobs=${JOBS:-$(nproc)}
log() { printf 'kernel-tree: %s\n' "$*" >&2; }

if [ ! -f "$tarball" ]; then
  echo "kernel-tree: $tarball is missing; install it: apt-get install linux-source-$ver" >&2
  exit 2
fi
config=/usr/src/linux-config-$ver/config.amd64_none_amd64.xz
if [ "$arch" = amd64 ] && [ ! -f "$config" ]; then
  echo "kernel-tree: $config is missing; install it: apt-get install linux-config-$ver" >&2
  exit 2
fi
mkdir -p "$cache"
if [ ! -f "$tree/.kmark-extracted" ]; then
  log "extracting $tarball"
  rm -rf "$tree"
  # A folder of its own: an amd64 and an arm64 tree may be extracted at once.
  tmp=$(mktemp -d "$cache/extract.XXXXXX")
  tar -C "$tmp" -xf "$tarball"
  mv "$tmp/linux-source-$ver" "$tree"
  rmdir "$tmp"
  touch "$tree/.kmark-extracted"
fi
cd "$tree"
if [ ! -f .kmark-prepared ]; then
  if [ "$arch" = amd64 ]; then
    log "configuring with Debian's amd64 config"
    xzcat "$config" > .config
    "${mk[@]}" olddefconfig
  else
    log "configuring with the kernel's arm64 defconfig"
    "${mk[@]}" defconfig
  fi
  ./scripts/config --disable MODULE_SIG --disable SYSTEM_TRUSTED_KEYS \
    --disable SYSTEM_REVOCATION_KEYS --disable DEBUG_INFO_BTF \
    --disable DEBUG_INFO --enable DEBUG_INFO_NONE --set-str MODULE_SIG_KEY ""
  "${mk[@]}" olddefconfig
  log "make prepare"
  "${mk[@]}" -j"$jobs" prepare
  touch .kmark-prepared
fi
if [ $# -gt 0 ]; then
  log "compiling $*"
  # -k: an object that does not build with this config is skipped, not fatal.
  "${mk[@]}" -j"$jobs" -k "$@" || log "some targets failed (kept going)"
  python3 scripts/clang-tools/gen_compile_commands.py -d . -o compile_commands.json
fi
echo "$tree"
