#!/bin/bash
# kbuild $(CHECK) that only parses: clang-22 -fsyntax-only with sparse's
# flags and the dependency-file flags dropped, the baseline for kmark check.
args=()
for a in "$@"; do
  case "$a" in
    --arch=*|-Wbitwise|-Wno-return-void|-Wno-unknown-attribute|-D__STDC__|-Wp,-MMD*|-Wp,-MD*) ;;
    *) args+=("$a") ;;
  esac
done
exec clang-22 -fsyntax-only -Wno-unknown-warning-option "${args[@]}"
