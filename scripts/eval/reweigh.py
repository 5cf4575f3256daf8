#!/usr/bin/env python3
"""What a change of weights would do to the default tier, without a re-run.

    kmark report --headers --min-confidence low --sarif all.sarif DIRS
    reweigh.py all.sarif --train $(cat scripts/eval/sets/dev.txt) \
        --verdicts docs/evaluation.md docs/triage/*.md \
        --set lockless-reader=20 marked-store-share=0 [--list]

A finding's confidence is the sum of its terms (properties.terms), clamped
to 0-100; this re-adds them with the weights given (`term=W`, or `term=*F`
to scale) and prints, for the sites under the --train directories (the
ones rules are tuned on) and for the rest (held out), the default tier
(50 and up) before and after: its size and how many of its judged sites
are real (verdicts read as calibrate.py reads them).  Only lowering a
weight is exact: a finding below the SARIF's own threshold is not in it.
Terms that gate other evidence inside the rules (a plain reader counted
only at the default tier) are not re-derived.
"""

import argparse
import collections
import json
import os
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import calibrate  # noqa: E402


def weigh(terms, changes):
    total = 0
    for term, w in terms.items():
        c = changes.get(term)
        if c is None:
            total += w
        elif c.startswith("*"):
            total += int(w * float(c[1:]))
        else:
            total += int(c)
    return min(100, max(0, total))


def main():
    p = argparse.ArgumentParser()
    p.add_argument("sarif", nargs="+")
    p.add_argument("--train", nargs="+", required=True)
    p.add_argument("--verdicts", nargs="+", required=True)
    p.add_argument("--set", nargs="*", default=[], metavar="TERM=W")
    p.add_argument("--list", action="store_true",
                   help="print each site that enters or leaves the tier")
    args = p.parse_args()
    table = calibrate.verdicts(args.verdicts)
    changes = dict(s.split("=", 1) for s in args.set)
    count = {s: collections.Counter() for s in ("train", "held-out")}
    seen = set()
    for sarif in args.sarif:
        for path, line, check, conf, terms in calibrate.results(sarif):
            if (path, line, check) in seen:
                continue
            seen.add((path, line, check))
            if weigh(terms, {}) != conf:
                sys.exit(f"{path}:{line}: terms do not add up to {conf}")
            split = "train" if calibrate.under(path, args.train) else "held-out"
            v = table.get((path, line, check), table.get((path, line, None)))
            new = weigh(terms, changes)
            for tag, score in (("before", conf), ("after", new)):
                if score < 50:
                    continue
                c = count[split]
                c[tag] += 1
                c[tag + " real"] += v is True
                c[tag + " not"] += v is False
            if args.list and (conf >= 50) != (new >= 50):
                verdict = {True: "real", False: "not real"}.get(v, "unjudged")
                print(f"{split} {'in ' if new >= 50 else 'out'} {conf}->{new} "
                      f"{verdict}: {path}:{line} {check} "
                      f"{json.dumps(terms, sort_keys=True)}")
    for split, c in count.items():
        for tag in ("before", "after"):
            real, judged = c[tag + " real"], c[tag + " real"] + c[tag + " not"]
            share = f" ({100.0 * real / judged:.1f}%)" if judged else ""
            print(f"{split:8} {tag:6}: {c[tag]} at the default tier, "
                  f"{real}/{judged} judged real{share}, "
                  f"{c[tag] - judged} not judged")


if __name__ == "__main__":
    main()
