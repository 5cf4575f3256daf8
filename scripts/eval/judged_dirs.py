#!/usr/bin/env python3
"""Which candidate directories a session has already run or judged.

    judged_dirs.py DIR ...        # before a fresh draw, on its candidates

A draw of code "never looked at" must leave out every directory that a
set in scripts/eval/sets/ holds, or that holds one, and every directory
a triage in docs/triage/ names a site in or draws from (a candidate list
made from one build tree missed that the seventeenth and eighteenth
triages had judged sixteen of the twenty-third draw's directories in
another).  Prints each candidate that overlaps, with where; exits 1 if
any does.
"""

import glob
import os
import re
import sys

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
PATH = re.compile(r"\b((?:arch|block|crypto|drivers|fs|io_uring|ipc|kernel|lib|mm|net|"
                  r"security|sound|virt)(?:/[\w.+-]+)*)")


def seen():
    """[(path, recursive, where)]: a set's directory or one a triage names
    covers what lies inside it; a site's file covers its own directory."""
    out = []
    for f in sorted(glob.glob(os.path.join(ROOT, "scripts/eval/sets/*.txt"))):
        for line in open(f):
            d = line.strip().rstrip("/")
            if d:
                out.append((d, True, os.path.relpath(f, ROOT)))
    for f in sorted(glob.glob(os.path.join(ROOT, "docs/triage/*.md"))):
        for m in PATH.finditer(open(f).read()):
            p = m.group(1).rstrip(".")
            if re.search(r"\.[ch]$", p):
                out.append((os.path.dirname(p), False, os.path.relpath(f, ROOT)))
            elif "/" in p:
                out.append((p, True, os.path.relpath(f, ROOT)))
    return out


def main(argv):
    if not argv:
        print(__doc__.strip(), file=sys.stderr)
        return 2
    known = seen()
    hit = False
    for c in (a.rstrip("/") for a in argv):
        where = sorted({w for k, rec, w in known
                        if c == k or k.startswith(c + "/") or
                        (rec and c.startswith(k + "/"))})
        if where:
            hit = True
            print(f"{c}: {', '.join(where)}")
    return 1 if hit else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
