#!/usr/bin/env python3
"""Runs a kmark check on a test file the way clang-tidy's own tests do.

  check_kmark.py [options] INPUT CHECK TEMP [-- COMPILER-ARGS...]

1. INPUT is copied to TEMP.c with its `// CHECK-...` comments emptied, so
   line numbers stay and the expectations cannot match themselves.
2. With --evidence FILE (repeatable), those TUs and TEMP.c are indexed first:
   clang-tidy writes their shards and `kmark merge` builds the index the
   check then reads, as on a real tree where the evidence is in other files.
3. clang-tidy runs CHECK on TEMP.c with -fix.  Its output must match the
   CHECK-MESSAGES lines, and no warning or error may appear that no line
   expects.  A file without CHECK-MESSAGES must produce no warning at all.
4. The fixed TEMP.c must match the CHECK-FIXES lines (whole lines), and it
   must still compile (clang -fsyntax-only).

With --expect FILE the CHECK-MESSAGES and CHECK-FIXES lines are read from
FILE instead of from INPUT, so INPUT can be a plain source (the example
tree's files, which kmark's demo prints as patches).  INPUT must then carry
no CHECK line of its own.  [[@LINE]] would count FILE's lines, not INPUT's,
so FILE names positions in INPUT absolutely (`:22:3: warning: ...`) and
positions in other files as `net/ipv4/tcp.c:22:16: note: ...`; a FILE that
uses [[@LINE]] is an error.  Everything else is as above.
"""

import argparse
import os
import re
import shutil
import subprocess
import sys


def run(cmd, **kw):
    return subprocess.run(cmd, stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
                          universal_newlines=True, **kw)


def fail(msg, output=None):
    sys.stderr.write("check_kmark: FAIL: %s\n" % msg)
    if output:
        sys.stderr.write("------ output ------\n%s\n--------------------\n"
                         % output)
    sys.exit(1)


def main():
    argv = sys.argv[1:]
    extra = []
    if "--" in argv:
        i = argv.index("--")
        argv, extra = argv[:i], argv[i + 1:]
    p = argparse.ArgumentParser()
    p.add_argument("--clang-tidy", required=True)
    p.add_argument("--plugin", required=True)
    p.add_argument("--kmark", required=True)
    p.add_argument("--filecheck", required=True)
    p.add_argument("--clang", required=True)
    p.add_argument("--evidence", action="append", default=[])
    p.add_argument("--config", action="append", default=[],
                   help="a check option, Key=Value")
    p.add_argument("--check-suffix", default="")
    p.add_argument("--no-compile", action="store_true",
                   help="the input itself does not compile (bad-input tests)")
    p.add_argument("--expect", metavar="FILE",
                   help="read CHECK-MESSAGES/CHECK-FIXES from FILE, not INPUT")
    p.add_argument("input")
    p.add_argument("check")
    p.add_argument("temp")
    a = p.parse_args(argv)

    suffix = "-" + a.check_suffix if a.check_suffix else ""
    msg_prefix = "CHECK-MESSAGES" + suffix
    fix_prefix = "CHECK-FIXES" + suffix
    with open(a.input) as f:
        original = f.read()
    expect_file = a.input
    expectations = original
    if a.expect:
        if re.search(r"// *CHECK-[A-Z0-9\-]*:", original):
            fail("%s has CHECK lines of its own; with --expect %s they "
                 "belong there" % (a.input, a.expect))
        try:
            with open(a.expect) as f:
                expectations = f.read()
        except OSError as e:
            fail("cannot read --expect %s: %s" % (a.expect, e.strerror))
        if "[[@LINE" in expectations:
            fail("%s uses [[@LINE]], which counts its own lines, not %s's: "
                 "give :LINE:COLUMN" % (a.expect, a.input))
        expect_file = a.expect
    has_messages = re.search(r"\b%s:" % re.escape(msg_prefix), expectations)
    has_fixes = re.search(r"\b%s:" % re.escape(fix_prefix), expectations)
    if a.expect and not (has_messages or has_fixes):
        fail("%s has no %s or %s line" % (a.expect, msg_prefix, fix_prefix))
    cleaned = re.sub(r"// *CHECK-[A-Z0-9\-]*:[^\r\n]*", "//", original)

    temp_dir = a.temp + ".d"
    shutil.rmtree(temp_dir, ignore_errors=True)
    os.makedirs(temp_dir)
    temp_file = a.temp + os.path.splitext(a.input)[1]
    with open(temp_file, "w") as f:
        f.write(cleaned)

    options = {}
    for kv in a.config:
        k, _, v = kv.partition("=")
        options[k] = v

    def config(opts):
        body = ", ".join("%s: '%s'" % (k, v.replace("'", "''"))
                         for k, v in sorted(opts.items()))
        return "{CheckOptions: {%s}}" % body

    load = ["--load=" + a.plugin]
    if a.evidence:
        shards = os.path.join(temp_dir, "shards")
        for tu in a.evidence + [temp_file]:
            o = dict(options, ShardDir=shards, EmitDiagnostics="false")
            r = run([a.clang_tidy] + load +
                    ["-checks=-*,kmark-missing-write-once",
                     "--config=" + config(o), tu, "--"] + extra)
            if r.returncode != 0:
                fail("indexing %s failed" % tu, r.stdout)
        index = os.path.join(temp_dir, "index.kmi")
        r = run([a.kmark, "merge", "-o", index, shards])
        if r.returncode != 0:
            fail("kmark merge failed", r.stdout)
        options["IndexFile"] = index

    r = run([a.clang_tidy] + load +
            ["-fix", "-checks=-*," + a.check, "--config=" + config(options),
             temp_file, "--"] + extra)
    output = r.stdout
    with open(temp_file + ".msg", "w") as f:
        f.write(output)
    if "Found compiler error" in output and not a.no_compile:
        fail("the input does not compile", output)

    if has_messages:
        fc = run([a.filecheck, "-input-file=" + temp_file + ".msg",
                  expect_file,
                  "-check-prefix=" + msg_prefix,
                  "-implicit-check-not={{warning|error}}:"])
        if fc.returncode != 0:
            fail("CHECK-MESSAGES did not match", fc.stdout + "\n" + output)
    elif re.search(r"\b(warning|error):", output):
        fail("unexpected diagnostics (the test expects none)", output)

    if has_fixes:
        fc = run([a.filecheck, "-input-file=" + temp_file, expect_file,
                  "-check-prefix=" + fix_prefix, "-match-full-lines"])
        if fc.returncode != 0:
            with open(temp_file) as f:
                fail("CHECK-FIXES did not match", fc.stdout + "\n" + f.read())

    if not a.no_compile:
        cc = run([a.clang, "-fsyntax-only", temp_file] + extra)
        if cc.returncode != 0:
            with open(temp_file) as f:
                fail("the fixed file does not compile",
                     cc.stdout + "\n" + f.read())


if __name__ == "__main__":
    main()
