#!/usr/bin/env python3
"""Join the hand triages with today's findings: real per band and per term.

    kmark report --headers --min-confidence low --sarif all.sarif DIRS
    calibrate.py all.sarif [--verdicts docs/evaluation.md docs/triage/*.md]

Every markdown table row that names a site (`path.c:123`) and a verdict
(`real` or `not real`) is a judged site; where triages disagree on a site
the row read last wins (later rows, then later --verdicts files).
The SARIF is what `kmark report --sarif` writes: each result carries its
confidence and its terms (properties.terms).  Prints, for the judged sites
still reported, real/judged per confidence band, per term, and per tier,
and with --list every joined site.
"""

import argparse
import collections
import json
import re
import sys

SITE = re.compile(r"^`?([\w./+-]+\.[ch]):(\d+)`?$")
BANDS = [(0, 40), (40, 50), (50, 55), (55, 60), (60, 65), (65, 70), (70, 80),
         (80, 101)]


def judged_rows(paths):
    """(file, cells, path, line, real) for each table row naming a site and
    a verdict, in the order read."""
    for p in paths:
        with open(p, encoding="utf-8") as f:
            for row in f:
                if not row.startswith("|"):
                    continue
                cells = [c.strip().strip("*").strip() for c in
                         row.strip().strip("|").split("|")]
                site = next((SITE.match(c) for c in cells if SITE.match(c)),
                            None)
                verdict = next((c.lower() for c in cells
                                if c.lower() in ("real", "not real")), None)
                if site and verdict:
                    yield (p, cells, site.group(1), int(site.group(2)),
                           verdict == "real")


def verdicts(paths):
    """{(path, line, check-or-None): True if real}, the last file winning."""
    out = {}
    for _, cells, path, line, real in judged_rows(paths):
        check = next((c for c in cells if c.endswith("-once")), None)
        if check and not check.startswith("kmark-"):
            check = "kmark-" + check
        out[(path, line, check)] = real
    return out


def under(path, dirs):
    """Whether path is one of dirs or below one of them."""
    return any(path == d or path.startswith(d.rstrip("/") + "/")
               for d in dirs)


def results(sarif):
    """(path, line, check, confidence, terms) of each result of a SARIF
    log, or of a site list sites.py kept from one (a .tsv file)."""
    if sarif.endswith(".tsv"):
        with open(sarif, encoding="utf-8") as f:
            for row in f:
                if row.startswith("#") or not row.strip():
                    continue
                path, line, check, conf, terms = row.rstrip("\n").split("\t")
                yield (path, int(line), check, int(conf),
                       {t: int(w) for t, w in
                        (x.rsplit("=", 1) for x in terms.split(",") if x)})
        return
    with open(sarif, encoding="utf-8") as f:
        run = json.load(f)["runs"][0]
    for r in run["results"]:
        loc = r["locations"][0]["physicalLocation"]
        yield (loc["artifactLocation"]["uri"], loc["region"]["startLine"],
               r["ruleId"], r["properties"]["confidence"],
               r["properties"].get("terms", {}))


def ratio(c):
    real, n = c
    return f"{real}/{n}" + (f" ({100 * real // n}%)" if n >= 5 else "")


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("sarif")
    ap.add_argument("--verdicts", nargs="+", required=True)
    ap.add_argument("--list", action="store_true")
    args = ap.parse_args()
    judged = verdicts(args.verdicts)
    band = collections.defaultdict(lambda: [0, 0])
    term = collections.defaultdict(lambda: [0, 0])
    tier = collections.defaultdict(lambda: [0, 0])
    seen = set()
    for path, line, check, conf, terms in results(args.sarif):
        v = judged.get((path, line, check), judged.get((path, line, None)))
        if v is None or (path, line, check) in seen:
            continue
        seen.add((path, line, check))
        lo, hi = next(b for b in BANDS if b[0] <= conf < b[1])
        for c in (band[f"{lo}-{hi - 1}"], tier["high" if conf >= 70 else
                  "medium" if conf >= 50 else "low"]):
            c[0] += v
            c[1] += 1
        for t in terms:
            term[t][0] += v
            term[t][1] += 1
        if args.list:
            print(f"{'real' if v else 'not real':8} {conf:3} {path}:{line} "
                  f"{check} {json.dumps(terms, sort_keys=True)}")
    print(f"# {len(judged)} judged sites, {len(seen)} of them reported",
          file=sys.stderr)
    print("| confidence | real / judged |\n|---|---|")
    for lo, hi in BANDS:
        k = f"{lo}-{hi - 1}"
        if k in band:
            print(f"| {k} | {ratio(band[k])} |")
    print("\n| tier | real / judged |\n|---|---|")
    for k in ("high", "medium", "low"):
        if k in tier:
            print(f"| {k} | {ratio(tier[k])} |")
    print("\n| term | real / judged |\n|---|---|")
    for k in sorted(term, key=lambda k: -term[k][1]):
        print(f"| {k} | {ratio(term[k])} |")


if __name__ == "__main__":
    main()
