#!/usr/bin/env python3
"""Every default-tier site of a report against the hand triages: a census.

    kmark report --headers --sarif set.sarif DIRS > set.txt
    census.py set.sarif [--under DIR ...] [--report set.txt --unjudged out.txt]
              [--verdicts docs/evaluation.md docs/triage/*.md]

Joins each default-tier result (confidence 50 and up) of the SARIF with
the verdicts, as calibrate.py does (a row naming `path:line` and `real` or
`not real`; the last row read wins), and prints how many are real, not
real and not yet judged.  --under keeps the results below the given
directories.  With --report (the text the same `kmark report` printed) and
--unjudged, the findings without a verdict are written whole, numbered
"### Finding #N", ready for a reviewer.
"""

import argparse
import os
import re
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import calibrate  # noqa: E402
import sample_findings  # noqa: E402

SITE = re.compile(r"^(\S+):(\d+):\d+: warning: .*\[(kmark-[a-z-]+)\]$")


def blocks(report):
    """(path, line, check, lines) for each finding of a text report."""
    with open(report, encoding="utf-8", errors="replace") as f:
        for block in sample_findings.findings(x.rstrip("\n") for x in f):
            m = SITE.match(block[0])
            if m:
                yield m.group(1), int(m.group(2)), m.group(3), block


def relative(path, root):
    return path[len(root):] if root and path.startswith(root) else path


def main():
    p = argparse.ArgumentParser()
    p.add_argument("sarif")
    p.add_argument("--under", nargs="*", default=[])
    p.add_argument("--verdicts", nargs="+", default=[])
    p.add_argument("--report")
    p.add_argument("--unjudged")
    p.add_argument("--root", default="",
                   help="prefix the text report puts before paths")
    args = p.parse_args()
    if bool(args.report) != bool(args.unjudged):
        p.error("--report and --unjudged go together")
    table = calibrate.verdicts(args.verdicts)

    def kept(path):
        return not args.under or calibrate.under(path, args.under)

    sites = {}
    for path, line, check, conf, _ in calibrate.results(args.sarif):
        if conf >= 50 and kept(path):
            sites[(path, line, check)] = table.get(
                (path, line, check), table.get((path, line, None)))
    real = sum(v is True for v in sites.values())
    judged = sum(v is not None for v in sites.values())
    print(f"{len(sites)} default-tier sites: {real} real, "
          f"{judged - real} not real, {len(sites) - judged} not judged")
    if judged:
        print(f"real among the judged: {real}/{judged} "
              f"({100.0 * real / judged:.1f}%)")
    if args.report:
        n = 0
        with open(args.unjudged, "w", encoding="utf-8") as out:
            for path, line, check, lines in blocks(args.report):
                path = relative(path, args.root)
                if not kept(path) or (path, line, check) not in sites:
                    continue
                if sites[(path, line, check)] is not None:
                    continue
                n += 1
                out.write(f"### Finding #{n}\n")
                out.write("\n".join(relative(x, args.root) for x in lines))
                out.write("\n\n")
        print(f"{n} unjudged findings written to {args.unjudged}")


if __name__ == "__main__":
    main()
