#!/bin/sh
# compdb.sh TREE KERNEL_INCLUDE: a compile database for every .c under TREE,
# with TREE/include and the mock kernel headers on the include path.
set -eu
cd "$1"
root=$(pwd)
{
  echo "["
  sep=" "
  for f in $(find . -name '*.c' | sed 's|^\./||' | LC_ALL=C sort); do
    printf '%s{"directory": "%s", "file": "%s", "arguments": ["clang-22", "-std=gnu11", "-nostdinc", "-Iinclude", "-I%s", "-c", "%s", "-o", "/dev/null"]}\n' \
      "$sep" "$root" "$f" "$2" "$f"
    sep=","
  done
  echo "]"
} > compile_commands.json
