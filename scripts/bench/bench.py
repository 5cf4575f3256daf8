#!/usr/bin/env python3
"""kmark's speed and memory against a parse-only clang-tidy, on the same TUs.

  bench.py --tree TREE [--kmark PATH] [-j N] [--editor-tu FILE] DIR...

In one run, on the translation units of TREE's compile_commands.json below
the DIRs:
  1. the baselines: clang-tidy-22 -checks='-*,linuxkernel-must-check-errs'
     on each TU (clang-tidy refuses to run with no check at all), and
     clang-22 -fsyntax-only with the TU's own command (no clang-tidy:
     the floor for kmark's in-process parse);
  2. kmark's whole pipeline, cold: `kmark run --force` (facts, shards,
     index, findings, outputs);
  3. one editor check of one TU against the index made in 2, and the same
     TU's baseline, each five times.
It prints CPU time, wall time and peak RSS, per TU and in total, and their
ratios; the index's size and the merge time.  A benchmark, never a test:
run it on an otherwise idle machine.
"""

import argparse
import concurrent.futures
import json
import os
import shlex
import statistics
import subprocess
import sys
import tempfile
import time


def run(cmd, cwd):
    """(cpu seconds, peak rss KiB, wall seconds, status) of one command and
    everything it waited for."""
    start = time.monotonic()
    p = subprocess.Popen(cmd, cwd=cwd, stdout=subprocess.DEVNULL,
                         stderr=subprocess.DEVNULL)
    _, status, ru = os.wait4(p.pid, 0)
    wall = time.monotonic() - start
    return ru.ru_utime + ru.ru_stime, ru.ru_maxrss, wall, status


def syntax_only(entry, clang):
    """The compile command of a compile_commands.json entry as a parse:
    -fsyntax-only, without its output and dependency files."""
    args = entry.get("arguments") or shlex.split(entry["command"])
    out, skip = [clang, "-fsyntax-only", "-Wno-unknown-warning-option"], False
    for x in args[1:]:
        if skip:
            skip = False
        elif x in ("-o", "-MF", "-MT", "-MQ"):
            skip = True
        elif x in ("-c", "-MD", "-MMD") or x.startswith("-Wp,-M"):
            pass
        else:
            out.append(x)
    return out


def pct(xs, q):
    xs = sorted(xs)
    return xs[min(len(xs) - 1, int(q * len(xs)))]


def main():
    here = os.path.dirname(os.path.abspath(__file__))
    ap = argparse.ArgumentParser()
    ap.add_argument("--tree", required=True)
    ap.add_argument("--kmark", default=os.path.join(
        here, "..", "..", "build", "tools", "kmark", "kmark"))
    ap.add_argument("--clang-tidy", default="clang-tidy-22")
    ap.add_argument("--clang", default="clang-22")
    ap.add_argument("-j", type=int, default=os.cpu_count())
    ap.add_argument("--editor-tu")
    ap.add_argument("--json", help="also write the figures here")
    ap.add_argument("--editor-only", metavar="INDEX",
                    help="only the editor check, against this index")
    ap.add_argument("dirs", nargs="+")
    a = ap.parse_args()
    tree = os.path.abspath(a.tree)
    kmark = os.path.abspath(a.kmark)

    db = json.load(open(os.path.join(tree, "compile_commands.json")))
    entries = {e["file"]: e for e in db}
    tus = sorted({e["file"] for e in db
                  if e["file"].endswith(".c") and any(
                      os.path.relpath(e["file"], tree).startswith(d.rstrip("/") + "/")
                      for d in a.dirs)})
    print("bench: %d translation units below %s, -j %d" %
          (len(tus), " ".join(a.dirs), a.j))

    if a.editor_only:
        editor_check(a, tree, kmark, os.path.abspath(a.editor_only))
        return

    # 1. The baseline.
    base = {}
    t0 = time.monotonic()
    with concurrent.futures.ThreadPoolExecutor(a.j) as pool:
        futs = {pool.submit(run, [a.clang_tidy, "-p", tree, "--quiet",
                                  "-checks=-*,linuxkernel-must-check-errs",
                                  f], tree): f for f in tus}
        for fut in concurrent.futures.as_completed(futs):
            base[futs[fut]] = fut.result()
    base_wall = time.monotonic() - t0
    base_cpu = sum(v[0] for v in base.values())
    syn = {}
    t0 = time.monotonic()
    with concurrent.futures.ThreadPoolExecutor(a.j) as pool:
        futs = {pool.submit(run, syntax_only(entries[f],
                                             a.clang),
                            entries[f]["directory"]): f
                for f in tus}
        for fut in concurrent.futures.as_completed(futs):
            syn[futs[fut]] = fut.result()
    syn_wall = time.monotonic() - t0
    syn_cpu = sum(v[0] for v in syn.values())

    # 2. kmark's whole pipeline, cold.
    work = tempfile.mkdtemp(prefix="kmark-bench-")
    stats_path = os.path.join(work, "stats.json")
    index_dir = os.path.join(work, "index")
    cmd = [kmark, "run", "-p", tree, "-j", str(a.j), "--force", "--quiet",
           "--index-dir", index_dir, "--stats", stats_path,
           "--export-fixes", os.path.join(work, "fixes.yaml"),
           "--sarif", os.path.join(work, "kmark.sarif")] + a.dirs
    k_cpu, k_rss_driver, k_wall, _ = run(cmd, tree)
    stats = json.load(open(stats_path))
    per = {t["file"]: t for t in stats["tus"]}

    ratios_cpu, ratios_rss, ratios_syn = [], [], []
    for f in tus:
        if f in per and base[f][0] > 0:
            ratios_cpu.append(per[f]["cpu"] / base[f][0])
            ratios_rss.append(per[f]["rss_kib"] / max(1, base[f][1]))
        if f in per and syn[f][0] > 0:
            ratios_syn.append(per[f]["cpu"] / syn[f][0])
    base_rss = max(v[1] for v in base.values())
    k_rss = max(t["rss_kib"] for t in stats["tus"])
    skipped = [t["file"] for t in stats["tus"] if not t["ok"]]

    print()
    print("%-34s %12s %12s %8s" % ("", "baseline", "kmark", "ratio"))
    print("%-34s %12.1f %12.1f %8.3f" % ("CPU, all TUs (s)", base_cpu, k_cpu,
                                         k_cpu / base_cpu))
    print("%-34s %12.1f %12.1f %8.3f" % ("wall, all TUs (s)", base_wall,
                                         k_wall, k_wall / base_wall))
    print("%-34s %12.0f %12.0f %8.3f" % ("peak RSS, largest TU (MiB)",
                                         base_rss / 1024, k_rss / 1024,
                                         k_rss / base_rss))
    print("%-34s %12s %12s %8.3f" % ("CPU per TU, median ratio", "", "",
                                     statistics.median(ratios_cpu)))
    print("%-34s %12s %12s %8.3f" % ("CPU per TU, 90th pct ratio", "", "",
                                     pct(ratios_cpu, 0.9)))
    print("%-34s %12s %12s %8.3f" % ("peak RSS per TU, median ratio", "", "",
                                     statistics.median(ratios_rss)))
    print("%-34s %12s %12s %8.3f" % ("peak RSS per TU, max ratio", "", "",
                                     max(ratios_rss)))
    print()
    print("%-34s %12s %12s %8s" % ("", "-fsyntax-only", "kmark", "ratio"))
    print("%-34s %12.1f %12.1f %8.3f" % ("CPU, all TUs (s)", syn_cpu, k_cpu,
                                         k_cpu / syn_cpu))
    print("%-34s %12.1f %12.1f %8.3f" % ("wall, all TUs (s)", syn_wall,
                                         k_wall, k_wall / syn_wall))
    print("%-34s %12s %12s %8.3f" % ("CPU per TU, median ratio", "", "",
                                     statistics.median(ratios_syn)))
    print()
    print("index: %.1f MB, %d accesses; merge %.2f s; analysis %.2f s; "
          "driver peak RSS %.0f MiB" % (
              stats["index_bytes"] / 1e6, stats["accesses"],
              stats["merge_wall"], stats["analyze_wall"],
              k_rss_driver / 1024))
    print("translation units skipped: %d%s" % (
        len(skipped), (" (" + ", ".join(skipped[:5]) + ")") if skipped else ""))

    editor = None
    if a.editor_tu:
        editor = editor_check(a, tree, kmark,
                              os.path.join(index_dir, "index.kmi"))
    if a.json:
        json.dump({"tus": len(tus), "jobs": a.j, "baseline_cpu": base_cpu,
                   "baseline_wall": base_wall, "kmark_cpu": k_cpu,
                   "syntax_only_cpu": syn_cpu, "syntax_only_wall": syn_wall,
                   "syntax_only_cpu_ratio_median":
                       statistics.median(ratios_syn),
                   "kmark_wall": k_wall, "baseline_peak_rss_kib": base_rss,
                   "kmark_peak_rss_kib": k_rss,
                   "cpu_ratio_median": statistics.median(ratios_cpu),
                   "cpu_ratio_p90": pct(ratios_cpu, 0.9),
                   "index_bytes": stats["index_bytes"],
                   "merge_wall": stats["merge_wall"],
                   "analyze_wall": stats["analyze_wall"],
                   "skipped": skipped, "editor": editor},
                  open(a.json, "w"), indent=2)


def editor_check(a, tree, kmark, index):
    """One editor check of a TU against the tree's index, and the same TU's
    baseline, five times each; medians."""
    f = os.path.join(tree, a.editor_tu)
    ed, bs = [], []
    for _ in range(5):
        bs.append(run([a.clang_tidy, "-p", tree, "--quiet",
                       "-checks=-*,linuxkernel-must-check-errs", f],
                      tree))
        ed.append(run([a.clang_tidy, "-p", tree, "--quiet",
                       "--load", os.path.join(os.path.dirname(kmark),
                                              "..", "..", "lib",
                                              "libkmark.so"),
                       "-checks=-*,kmark-*",
                       "--config={CheckOptions: {IndexFile: '%s'}}" % index,
                       f], tree))
    b = statistics.median(x[0] for x in bs)
    e = statistics.median(x[0] for x in ed)
    br = statistics.median(x[1] for x in bs)
    er = statistics.median(x[1] for x in ed)
    editor = {"tu": a.editor_tu, "baseline_cpu": b, "kmark_cpu": e,
              "baseline_rss_kib": br, "kmark_rss_kib": er}
    print("editor check of %s against the index: CPU %.2f s vs %.2f s "
          "(ratio %.3f), peak RSS %.0f vs %.0f MiB (ratio %.3f), "
          "median of 5" % (a.editor_tu, e, b, e / b, er / 1024, br / 1024,
                            er / br))
    return editor


if __name__ == "__main__":
    main()
