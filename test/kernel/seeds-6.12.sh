#!/usr/bin/env bash
# The two seed cases on the real tree (Debian's linux-source-6.12): prepare
# the tree, compile the handful of TUs involved, run kmark over them, and
# assert the findings, their fix-its and the known negatives; then apply
# the exported fixes and rebuild the touched objects.
#
#   seeds-6.12.sh SOURCE_DIR BUILD_DIR
set -euo pipefail
src=$1
build=$2
kmark=$build/tools/kmark/kmark
out=$build/test/kernel-seeds
rm -rf "$out"
mkdir -p "$out"

tus="net/ipv4/tcp.c net/ipv4/tcp_ipv4.c net/ipv4/tcp_input.c
     net/ipv4/tcp_output.c net/ipv4/tcp_minisocks.c net/ipv4/af_inet.c
     net/ipv6/tcp_ipv6.c net/ipv6/af_inet6.c net/smc/af_smc.c"
objs=$(for f in $tus; do printf '%s ' "${f%.c}.o"; done)

start=$(date +%s)
# One run at a time uses the shared tree: this test edits its sources (the
# fix-its, restored at the end), and a second run at the same time would
# back up the first one's edits as the originals.
cache=${KMARK_CACHE:-$HOME/.cache/kmark}
mkdir -p "$cache"
exec 9> "$cache/seeds-6.12.lock"
flock 9
tree=$("$src/scripts/kernel-tree.sh" 6.12 $objs | tail -n 1)
prepared=$(date +%s)
echo "seeds: tree ready in $((prepared - start))s: $tree"

cd "$tree"
status=0
"$kmark" run -p . -j "$(nproc)" --index-dir "$out/index" \
  --export-fixes "$out/fixes/kmark.yaml" --sarif "$out/kmark.sarif" \
  --patches "$out/patches" $tus > "$out/report.txt" 2> "$out/log.txt" ||
  status=$?
echo "seeds: kmark finished in $(( $(date +%s) - prepared ))s, status $status"
cat "$out/log.txt"

fail=0
expect() { # PATTERN: must be in the report
  if grep -qE -- "$1" "$out/report.txt"; then echo "ok:   $1"
  else echo "FAIL: expected /$1/"; fail=1; fi
}
reject() { # PATTERN: must not be in the report
  if grep -qE -- "$1" "$out/report.txt"; then echo "FAIL: unexpected /$1/"; fail=1
  else echo "ok:   no $1"; fi
}

[ "$status" = 1 ] || { echo "FAIL: exit status $status, expected 1 (findings)"; fail=1; }
grep -q "^kmark: skipped" "$out/log.txt" && { echo "FAIL: a TU was skipped"; fail=1; }

# tcp: tcp_v6_connect's plain store, with upstream's own fix.
expect 'net/ipv6/tcp_ipv6.c:324:3: warning: plain store to .tcp_sock::tsoffset. races with lockless reader do_tcp_getsockopt\(\); tcp_v4_connect\(\), also .proto.connect., uses WRITE_ONCE\(\)'
expect '\| fix: WRITE_ONCE\(tp->tsoffset, st.ts_off\);'
expect 'net/ipv4/tcp_ipv4.c:330:[0-9]+: note: tcp_v4_connect\(\), also .proto.connect. of .tcp_prot., writes it with WRITE_ONCE\(\)'
# smc: smc_connect_work's store and smc_poll's read.
# Each names the other first: the race is between two accesses of an SMC
# socket; TCP's READ_ONCE() of its own sk_err shows the convention.
expect 'net/smc/af_smc.c:1621:3: warning: plain store to .sock::sk_err. races with lockless reader smc_poll\(\); tcp_poll\(\) reads it with READ_ONCE\(\) on another kind of object'
expect '\| fix: WRITE_ONCE\(smc->sk.sk_err, smc->clcsock->sk->sk_err\);'
expect 'net/smc/af_smc.c:2913:7: warning: plain load of .sock::sk_err. races with (__)?smc_connect(_work)?\(\), which writes it plainly; tcp_poll\(\), also .proto_ops.poll., reads it with READ_ONCE\(\)'
expect '\| fix: if \(READ_ONCE\(sk->sk_err\)\)'
# The known negatives.
reject 'net/ipv4/tcp.c:460:'          # tcp_init_sock: tp->tsoffset = 0
reject 'net/ipv4/tcp_minisocks.c:603:' # tcp_create_openreq_child
reject 'net/ipv4/tcp_output.c:(853|1000):'
reject 'net/ipv4/tcp_input.c:(4383|4412|6503):'

# The editor's view equals the driver's: clang-tidy with the plugin on one
# TU, reading the run's index, reports the same findings as kmark run for
# that TU (the rules answer every query the same whatever asks first).
same=0
for tu in $tus; do
  grep -E "^($tree/)?$tu:[0-9]+:[0-9]+: warning: " "$out/report.txt" |
    sed "s|^$tree/||" | sort > "$out/run-$(basename $tu).txt" || true
  clang-tidy-22 --load "$build/lib/libkmark.so" -p . \
    -checks='-*,kmark-*' \
    -config="{CheckOptions: {IndexFile: '$out/index/index.kmi'}}" "$tu" 2> /dev/null |
    grep -E "^($tree/)?$tu:[0-9]+:[0-9]+: warning: " |
    sed "s|^$tree/||" | sort > "$out/tidy-$(basename $tu).txt" || true
  if cmp -s "$out/run-$(basename $tu).txt" "$out/tidy-$(basename $tu).txt"; then
    same=$((same + 1))
  else
    echo "FAIL: the plugin and kmark run disagree on $tu:"
    diff "$out/run-$(basename $tu).txt" "$out/tidy-$(basename $tu).txt" | head -10
    fail=1
  fi
done
echo "ok:   the plugin and kmark run agree on $same of $(echo $tus | wc -w) TUs"

# The exported fixes apply and the touched objects still build.
files=$(grep -o "FilePath: *'[^']*'" "$out/fixes/kmark.yaml" | sed "s/.*'\(.*\)'/\1/" | sort -u)
backup=$out/backup
mkdir -p "$backup"
for f in $files; do mkdir -p "$backup/$(dirname "${f#$tree/}")"; cp -p "$f" "$backup/${f#$tree/}"; done
restore() { for f in $files; do cp -p "$backup/${f#$tree/}" "$f"; done; }
trap restore EXIT
/usr/lib/llvm-22/bin/clang-apply-replacements "$out/fixes"
touched=$(for f in $files; do case "$f" in *.c) r=${f#$tree/}; printf '%s ' "${r%.c}.o";; esac; done)
echo "seeds: rebuilding $touched"
if make -s LLVM=-22 -j"$(nproc)" $touched > "$out/make.log" 2>&1; then
  echo "ok:   fixed objects build"
else
  echo "FAIL: fixed objects do not build"; tail -30 "$out/make.log"; fail=1
fi
grep -c 'WRITE_ONCE(tp->tsoffset, st.ts_off);' net/ipv6/tcp_ipv6.c > /dev/null ||
  { echo "FAIL: the tcp_v6 fix was not applied"; fail=1; }
restore
trap - EXIT

# The SARIF log validates against the 2.1.0 schema.
if schema=$("$src/scripts/fetch-sarif-schema.sh" 2> /dev/null); then
  if python3 "$src/test/driver/validate_sarif.py" "$out/kmark.sarif" "$schema" > "$out/sarif.txt"; then
    echo "ok:   SARIF valid ($(grep -c '^result' "$out/sarif.txt") results)"
  else
    echo "FAIL: SARIF invalid"; head "$out/sarif.txt"; fail=1
  fi
else
  echo "FAIL: cannot fetch the SARIF schema"; fail=1
fi

# The patches: the tcp_v6 one is upstream's one-line fix; every patch
# passes checkpatch.pl with no error and the series applies with git am.
p6=$(ls "$out"/patches/*tp-tsoffset-in-tcp-v6*.patch)
if [ "$(grep -c $'^[-+]\t' "$p6")" = 2 ] &&
   grep -qxF -e "-		tp->tsoffset = st.ts_off;" "$p6" &&
   grep -qxF -e "+		WRITE_ONCE(tp->tsoffset, st.ts_off);" "$p6"; then
  echo "ok:   the tcp_v6 patch is upstream's one-line fix"
else
  echo "FAIL: the tcp_v6 patch differs from upstream's fix"; cat "$p6"; fail=1
fi
errors=0
for p in "$out"/patches/*.patch; do
  ./scripts/checkpatch.pl -q --no-signoff "$p" > "$out/checkpatch.txt" 2>&1 || true
  if grep -q '^ERROR' "$out/checkpatch.txt"; then
    echo "FAIL: checkpatch errors in $p"; cat "$out/checkpatch.txt"; errors=1
  fi
done
[ $errors = 0 ] && echo "ok:   checkpatch.pl: no errors in $(ls "$out"/patches | wc -l) patches"
fail=$((fail | errors))
repo=$out/am-repo
mkdir -p "$repo"
amfiles=$(grep -h '^diff --git a/' "$out"/patches/*.patch | awk '{print substr($3, 3)}' | sort -u)
for f in $amfiles; do mkdir -p "$repo/$(dirname "$f")"; cp "$f" "$repo/$f"; done
if (cd "$repo" && git init -q && git add -A &&
    git -c user.name=kmark -c user.email=kmark@localhost commit -qm base &&
    git -c user.name=kmark -c user.email=kmark@localhost am -q "$out"/patches/*.patch); then
  echo "ok:   git am applied $(ls "$out"/patches | wc -l) patches"
else
  echo "FAIL: git am"; fail=1
fi

# The KCSAN seed (syzbot's page, the report collapsed into one line) through
# kmark kcsan on the run's index: sock::sk_err, WRITE_ONCE() of the store in
# smc_connect_work(), READ_ONCE() of the read in smc_poll(); the mail passes
# checkpatch.pl with neither error nor warning and applies with git am.
seed=$(grep -l "data-race in smc_connect_work / smc_poll" "$src"/../shared/seeds/* 2> /dev/null | head -1 || true)
[ -n "$seed" ] || seed=$src/test/kcsan/reports/01-smc-dashboard-oneline.txt
# The mail's Fixes: tag names a commit of a repository that holds the file,
# so that checkpatch.pl can check it as it does in a kernel git tree.
krepo=$out/kcsan-repo
mkdir -p "$krepo/net/smc" && cp net/smc/af_smc.c "$krepo/net/smc/"
git -C "$krepo" init -q && git -C "$krepo" add -A &&
  git -C "$krepo" -c user.name=kmark -c user.email=kmark@localhost commit -qm "net/smc: the file as 6.12 has it"
fixes="$(git -C "$krepo" log -1 --format='%h ("%s")' --abbrev=12)"
kstart=$(date +%s%N)
"$kmark" kcsan -p . --index-dir "$out/index" "$seed" --patches "$out/kcsan" \
  --from "kmark <kmark@localhost>" --signoff --fixes "$fixes" \
  --reported-by "syzbot+0000000000000000000@syzkaller.appspotmail.com" \
  --closes "https://syzkaller.appspot.com/bug?extid=0000000000000000000" \
  > "$out/kcsan.txt" 2> "$out/kcsan.log" ||
  { echo "FAIL: kmark kcsan exited with $?"; cat "$out/kcsan.log"; fail=1; }
echo "seeds: kmark kcsan took $(( ($(date +%s%N) - kstart) / 1000000 )) ms"
kexpect() { # PATTERN: must be in kmark kcsan's output
  if grep -qE -- "$1" "$out/kcsan.txt"; then echo "ok:   kcsan: $1"
  else echo "FAIL: kcsan: expected /$1/"; fail=1; fi
}
kexpect "^  field: sock::sk_err "
kexpect "^  write +smc_connect_work\\(\\): net/smc/af_smc.c:[0-9]+:[0-9]+ 'smc->sk.sk_err' plain"
kexpect "^  read +smc_poll\\(\\): net/smc/af_smc.c:[0-9]+:[0-9]+ 'sk->sk_err' plain, no lock held"
kexpect "^  verdict: plain against plain"
kexpect "fix: +WRITE_ONCE\\(smc->sk.sk_err, "
kexpect "fix: .*READ_ONCE\\(sk->sk_err\\)"
kp=$(ls "$out"/kcsan/*.patch 2> /dev/null | head -1)
if [ -n "$kp" ] && (cd "$krepo" && "$tree/scripts/checkpatch.pl" -q --no-tree "$kp") > "$out/kcsan-checkpatch.txt" 2>&1; then
  echo "ok:   kcsan: checkpatch.pl passes $(basename "$kp")"
else
  echo "FAIL: kcsan: checkpatch.pl on ${kp:-no patch}"; cat "$out/kcsan-checkpatch.txt" 2> /dev/null; fail=1
fi
if [ -n "$kp" ] && git -C "$krepo" -c user.name=kmark -c user.email=kmark@localhost am -q "$kp"; then
  echo "ok:   kcsan: git am applied the patch"
else
  echo "FAIL: kcsan: git am"; fail=1
fi
echo "seeds: total $(( $(date +%s) - start ))s"
exit $fail
