#!/bin/sh
# Writes compile_commands.json for this example tree (a compile database
# needs absolute paths, so it is made where the tree is, not committed).
set -eu
cd "$(dirname "$0")"
root=$(pwd)
{
  echo "["
  sep=" "
  for f in $(find net -name '*.c' | LC_ALL=C sort); do
    printf '%s{"directory": "%s", "file": "%s", "arguments": ["clang-22", "-std=gnu11", "-nostdinc", "-Iinclude", "-c", "%s", "-o", "/dev/null"]}\n' \
      "$sep" "$root" "$f" "$f"
    sep=","
  done
  echo "]"
} > compile_commands.json
echo "$root/compile_commands.json"
