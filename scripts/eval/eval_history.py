#!/usr/bin/env python3
"""kmark's accuracy against upstream history.

  eval_history.py --mined mined.jsonl --dump old.tsv --sarif old.sarif

mined.jsonl: accesses upstream marked between the old and the new tree
(mine_history.py).  old.tsv: `kmark dump` of the old tree's index.
old.sarif: kmark's findings on the old tree at every tier
(`kmark report --min-confidence low --headers --sarif`).

Prints, per check and per confidence tier:
  recall               share of mined accesses kmark flags on the old tree,
                       in all, in compiled code, and among those whose field
                       had a marked access in the old tree (what an
                       inconsistency checker can see);
  confirmed-by-history share of kmark's old-tree findings that upstream
                       marked by the new tree (a lower bound on precision).
Also how many mined accesses a lockless-context check could reach: fields
with no marked access, read in a known lockless slot.
"""

import argparse
import collections
import json
import re

TIERS = [("low", 0), ("medium", 50), ("high", 70)]
CHECK = {"read": "kmark-missing-read-once", "write": "kmark-missing-write-once"}
LOCKLESS = {"proto_ops.poll", "file_operations.poll", "seq_operations.show",
            "inet_diag_handler.idiag_get_info", "call:init_timer_key.1",
            "hrtimer.function"}


def norm(s):
    return re.sub(r"\s+", "", s)


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--mined", required=True)
    ap.add_argument("--dump", required=True)
    ap.add_argument("--sarif", required=True)
    ap.add_argument("--json")
    a = ap.parse_args()

    mined = [json.loads(l) for l in open(a.mined)]
    at = collections.defaultdict(list)      # (file, line) -> accesses
    marked_fields = set()
    slots = collections.defaultdict(set)    # function -> slots
    files = set()
    for line in open(a.dump):
        p = line.rstrip("\n").split("\t")
        if p[0] == "A":
            _, f, ln, col, field, kind, mark, fn, text, flags, why = p[:11]
            files.add(f)
            at[(f, int(ln))].append((field, kind, mark, fn, text))
            if mark not in ("plain", "data_race()"):
                marked_fields.add(field)
        elif p[0] == "S":
            slots[p[3]].add(p[1] + "." + p[2])

    findings = collections.defaultdict(list)  # (file, line) -> (check, conf)
    all_findings = []
    for run in json.load(open(a.sarif))["runs"]:
        for r in run["results"]:
            loc = r["locations"][0]["physicalLocation"]
            key = (loc["artifactLocation"]["uri"], loc["region"]["startLine"])
            conf = r["properties"]["confidence"]
            findings[key].append((r["ruleId"], conf))
            all_findings.append((key, r["ruleId"], conf))

    mined_keys = {(m["file"], m["old_line"], CHECK[m["kind"]]) for m in mined}
    rows = []
    for m in mined:
        key = (m["file"], m["old_line"])
        cands = at.get(key, [])
        exact = [c for c in cands if norm(c[4]) == m["expr"]]
        member = m["expr"].split("->")[-1].split(".")[-1]
        loose = [c for c in cands if c[0].endswith("::" + member)]
        hit = (exact or loose or [None])[0]
        field = hit[0] if hit else None
        best = max([c for chk, c in findings.get(key, [])
                    if chk == CHECK[m["kind"]]], default=None)
        rows.append({
            "file": m["file"], "line": m["old_line"], "kind": m["kind"],
            "expr": m["expr"], "compiled": m["file"] in files,
            "field": field, "visible": field in marked_fields,
            "lockless_slot": bool(hit and slots.get(hit[3], set()) & LOCKLESS),
            "confidence": best})

    out = {}
    print("mined accesses: %d (%d read, %d write); in compiled code: %d; "
          "field resolved: %d; field had a marked access in the old tree: %d"
          % (len(rows), sum(r["kind"] == "read" for r in rows),
             sum(r["kind"] == "write" for r in rows),
             sum(r["compiled"] for r in rows),
             sum(r["field"] is not None for r in rows),
             sum(r["visible"] for r in rows)))
    print()
    print("recall (flagged / mined)")
    print("%-26s %-8s %14s %14s %14s" % ("check", "tier", "all", "compiled",
                                         "visible"))
    for kind in ("read", "write", None):
        for tier, bound in TIERS:
            sel = [r for r in rows if kind is None or r["kind"] == kind]
            def frac(rs):
                hit = sum(r["confidence"] is not None and r["confidence"] >= bound
                          for r in rs)
                return "%d/%d %s" % (hit, len(rs),
                                     ("%3.0f%%" % (100.0 * hit / len(rs)))
                                     if rs else "   -")
            name = CHECK[kind] if kind else "both"
            comp = [r for r in sel if r["compiled"]]
            vis = [r for r in sel if r["visible"]]
            print("%-26s %-8s %14s %14s %14s" % (name, tier, frac(sel),
                                                 frac(comp), frac(vis)))
            out["recall/%s/%s" % (name, tier)] = (frac(sel), frac(comp),
                                                   frac(vis))
    print()
    print("confirmed by history (findings upstream marked / findings)")
    for chk in (CHECK["read"], CHECK["write"], None):
        for tier, bound in TIERS:
            sel = [f for f in all_findings
                   if (chk is None or f[1] == chk) and f[2] >= bound]
            conf = sum((f[0][0], f[0][1], f[1]) in mined_keys for f in sel)
            print("%-26s %-8s %6d/%-6d %5s" % (
                chk or "both", tier, conf, len(sel),
                ("%.0f%%" % (100.0 * conf / len(sel))) if sel else "-"))
            out["confirmed/%s/%s" % (chk or "both", tier)] = (conf, len(sel))
    unseen = [r for r in rows if r["field"] and not r["visible"]]
    print()
    print("mined accesses of fields with no marked access in the old tree: "
          "%d, of which read in a known lockless slot: %d" % (
              len(unseen), sum(r["lockless_slot"] for r in unseen)))
    if a.json:
        json.dump({"summary": out, "rows": rows}, open(a.json, "w"),
                  indent=1)


if __name__ == "__main__":
    main()
