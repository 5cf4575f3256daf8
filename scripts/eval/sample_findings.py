#!/usr/bin/env python3
"""Pick findings at random from a kmark text report, for a hand triage.

    sample_findings.py REPORT [-n 40] [--seed 6112] > sample.txt

REPORT is the text `kmark run` or `kmark report` prints: each finding is a
`path:line:col: warning: ...` line followed by its source excerpt, fix and
notes.  The sample keeps each finding whole, numbered, in report order, so
a triage table can refer to "#7".  The seed makes the sample reproducible.
"""

import argparse
import random
import re
import sys

WARNING = re.compile(r"^\S+:\d+:\d+: warning: ")


def findings(lines):
    """Yields each finding as a list of lines."""
    block = []
    for line in lines:
        if WARNING.match(line):
            if block:
                yield block
            block = [line]
        elif block and not line.startswith("kmark:"):
            block.append(line)
    if block:
        yield block


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("report")
    ap.add_argument("-n", type=int, default=40, help="findings to pick")
    ap.add_argument("--seed", type=int, default=6112)
    args = ap.parse_args()
    with open(args.report, encoding="utf-8", errors="replace") as f:
        all_findings = list(findings(f.read().splitlines()))
    n = min(args.n, len(all_findings))
    picked = sorted(random.Random(args.seed).sample(range(len(all_findings)), n))
    print(f"# {n} of {len(all_findings)} findings, seed {args.seed}",
          file=sys.stderr)
    for number, i in enumerate(picked, 1):
        print(f"### {number}")
        print("\n".join(all_findings[i]).rstrip())
        print()


if __name__ == "__main__":
    main()
