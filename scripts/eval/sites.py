#!/usr/bin/env python3
"""Keep a run's sites in the repository: the findings of a SARIF log at
a confidence of 40 or more, one tab-separated row each (path, line,
check, confidence, terms), which calibrate.py, census.py and
heldout_total.py read in place of the log.

    sites.py SARIF [--under DIR...] [--min 40] > scripts/eval/sites/NAME.tsv

A SARIF log of a whole set is tens of megabytes and lives outside the
repository; when the machine is wiped, the held-out total can still be
counted from these lists and the verdicts.
"""

import argparse
import os
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import calibrate  # noqa: E402


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("sarif")
    ap.add_argument("--under", nargs="*", default=[])
    ap.add_argument("--min", type=int, default=40)
    args = ap.parse_args()
    rows = set()
    for path, line, check, conf, terms in calibrate.results(args.sarif):
        if conf < args.min or (args.under and
                               not calibrate.under(path, args.under)):
            continue
        t = ",".join(f"{k}={v}" for k, v in sorted(terms.items()))
        rows.add((path, line, check, conf, t))
    print(f"# {os.path.basename(args.sarif)}: findings at {args.min} and up"
          + (f" under {' '.join(args.under)}" if args.under else ""))
    for r in sorted(rows):
        print("\t".join(map(str, r)))


if __name__ == "__main__":
    main()
