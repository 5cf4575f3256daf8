#!/usr/bin/env bash
# Fetches the SARIF 2.1.0 JSON schema (OASIS, as shipped in Microsoft's
# @microsoft/jest-sarif npm package) into the cache, for the test that
# validates kmark's SARIF output.  Prints the schema's path.
set -euo pipefail
cache=${KMARK_CACHE:-$HOME/.cache/kmark}/sarif
schema=$cache/sarif-schema-2.1.0.json
if [ ! -s "$schema" ]; then
  mkdir -p "$cache"
  tmp=$(mktemp -d)
  (cd "$tmp" && npm pack --silent @microsoft/jest-sarif@1.0.0-beta.0 > /dev/null)
  tar -xzf "$tmp"/microsoft-jest-sarif-*.tgz -C "$tmp"
  cp "$tmp/package/lib/schemas/sarif-2.1.0-rtm.5.json" "$schema"
  rm -rf "$tmp"
fi
echo "$schema"
