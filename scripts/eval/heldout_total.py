#!/usr/bin/env python3
"""The held-out default tier's judged share, each site counted once.

    heldout_total.py --set NAME SARIF DIR... [--set ...] \
        [--dev DIR...] [--verdicts docs/evaluation.md docs/triage/*.md]

Each --set is a re-indexed part: the default-tier sites (confidence 50
and up) its SARIF reports below its directories, joined with the
verdicts as census.py joins them.  Every other judged site of the
verdict files that is not below a set's directory, nor below a --dev
directory, is a site of an older draw, counted at its last verdict
where the row that gave it shows a confidence of 50 or more (a row
without one is listed apart, not counted).  A site lies in one part
only: the first set whose directories hold it and whose SARIF has a
result (of any confidence) in its file, or the older draws.  A file a
set's index did not hold (an arm64-only driver below an amd64 set's
drivers/spi) belongs to the next set that holds it.
"""

import argparse
import collections
import os
import re
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import calibrate  # noqa: E402

CONF = re.compile(r"^(?:[a-z]+ )?\(?(\d{1,3})\)?$|^(?:[a-z]+), (\d{1,3})$")


def under(path, dirs):
    """calibrate.under(), where "DIR/*" holds only the files directly in DIR."""
    return any(os.path.dirname(path) == d[:-2] if d.endswith("/*")
               else calibrate.under(path, [d]) for d in dirs)


def last_rows(paths):
    """{(path, line): (real, confidence or None, file)}, the last row winning."""
    out = {}
    for p, cells, path, line, real in calibrate.judged_rows(paths):
        conf = None
        for c in cells[1:]:
            m = CONF.match(c.lower())
            if m:
                conf = int(m.group(1) or m.group(2))
                break
        if conf is None and (path, line) in out:
            conf = out[path, line][1]
        out[path, line] = (real, conf, os.path.basename(p))
    return out


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--set", nargs="+", action="append", default=[],
                    metavar="NAME SARIF DIR", help="a re-indexed part")
    ap.add_argument("--dev", nargs="*", default=[])
    ap.add_argument("--verdicts", nargs="+", required=True)
    ap.add_argument("--list", action="store_true",
                    help="print every older draws' site")
    args = ap.parse_args()
    table = calibrate.verdicts(args.verdicts)
    rows = last_rows(args.verdicts)
    sets = []
    for s in args.set:
        if len(s) < 3:
            ap.error("--set needs NAME SARIF DIR...")
        sets.append((s[0], s[1], s[2:]))
    total = [0, 0, 0]  # real, judged, unjudged
    print("| part | default-tier sites | judged real | not judged |")
    print("|---|---|---|---|")
    results = [list(calibrate.results(sarif)) for _, sarif, _ in sets]
    files = [{r[0] for r in rs} for rs in results]
    for i, (name, sarif, dirs) in enumerate(sets):
        def earlier(path):
            return under(path, args.dev) or any(
                under(path, ds) and path in files[j]
                for j, (_, _, ds) in enumerate(sets[:i]))
        sites = {}
        for path, line, check, conf, _ in results[i]:
            if conf < 50 or not under(path, dirs) or earlier(path):
                continue
            v = table.get((path, line, check), table.get((path, line, None)))
            if sites.get((path, line)) is not True:
                sites[(path, line)] = v
        real = sum(v is True for v in sites.values())
        judged = sum(v is not None for v in sites.values())
        total[0] += real
        total[1] += judged
        total[2] += len(sites) - judged
        print(f"| {name} | {len(sites)} | {real}/{judged} | "
              f"{len(sites) - judged} |")
    covered = [d for _, _, ds in sets for d in ds] + args.dev
    older = collections.Counter()
    noconf = []
    listing = []
    for (path, line), (real, conf, where) in sorted(rows.items()):
        if under(path, covered):
            continue
        if conf is None:
            noconf.append(f"{path}:{line} ({where})")
            continue
        if conf < 50:
            continue
        older[where, real] += 1
        listing.append(f"{path}:{line} {conf} "
                       f"{'real' if real else 'not real'} ({where})")
    o_real = sum(n for (_, r), n in older.items() if r)
    o_all = sum(older.values())
    print(f"| older draws, at their last verdicts | {o_all} | "
          f"{o_real}/{o_all} | 0 |")
    total[0] += o_real
    total[1] += o_all
    share = 100.0 * total[0] / total[1] if total[1] else 0.0
    print(f"| **held-out, all** | {total[1] + total[2]} | "
          f"**{total[0]}/{total[1]} ({share:.1f}%)** | {total[2]} |")
    for where in sorted({w for w, _ in older}):
        print(f"older, from {where}: {older[where, True]}/"
              f"{older[where, True] + older[where, False]}", file=sys.stderr)
    if args.list:
        print("\n".join(listing), file=sys.stderr)
    if noconf:
        print(f"{len(noconf)} older judged sites show no confidence and are "
              f"not counted: " + ", ".join(noconf), file=sys.stderr)


if __name__ == "__main__":
    main()
