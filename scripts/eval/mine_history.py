#!/usr/bin/env python3
"""Mines the accesses upstream marked between two kernel trees.

  mine_history.py OLD_TREE NEW_TREE DIR... > mined.jsonl

For every .c/.h file under DIR in both trees, a line that is plain in the
old tree and the same line with READ_ONCE()/WRITE_ONCE() added in the new
one is a mined access: {"file", "old_line", "new_line", "kind" ("read" or
"write"), "expr"}.  "The same line" is decided on text with the marking
removed, white space ignored, `x op= v` read as `x = x op v` and `x++` as
`x = x + 1`, so WRITE_ONCE(x, x + n) matches x += n.

net/ is the project's held-out set: this script refuses to mine it.
"""

import json
import os
import re
import subprocess
import sys

MARKS = ("READ_ONCE", "WRITE_ONCE")


def calls(text, name):
    """(start, end, args) of each name(...) call in text, args split at
    top-level commas."""
    out = []
    for m in re.finditer(r"\b%s\s*\(" % name, text):
        depth, i, args, cur = 1, m.end(), [], []
        while i < len(text) and depth:
            c = text[i]
            if c in "([{":
                depth += 1
            elif c in ")]}":
                depth -= 1
                if depth == 0:
                    break
            if c == "," and depth == 1:
                args.append("".join(cur))
                cur = []
            else:
                cur.append(c)
            i += 1
        if depth:
            continue  # unbalanced on this line
        args.append("".join(cur))
        out.append((m.start(), i + 1, [a.strip() for a in args]))
    return out


def unmark(text):
    """The line with READ_ONCE(x) -> x and WRITE_ONCE(a, b) -> a = b."""
    for _ in range(8):
        changed = False
        for name in MARKS:
            cs = calls(text, name)
            if not cs:
                continue
            s, e, args = cs[0]
            if name == "READ_ONCE" and len(args) == 1:
                text = text[:s] + args[0] + text[e:]
            elif name == "WRITE_ONCE" and len(args) == 2:
                text = text[:s] + args[0] + " = " + args[1] + text[e:]
            else:
                return None
            changed = True
            break
        if not changed:
            break
    return text


def canon(line):
    """Comparable form: no blanks or parentheses, compound assignments
    spelled out."""
    s = line.strip()
    m = re.match(r"^(.+?)\s*(\+|-|\*|/|%|\||&|\^|<<|>>)=\s*(.+?);\s*$", s)
    if m and "=" not in m.group(1):
        s = "%s = %s %s %s;" % (m.group(1), m.group(1), m.group(2), m.group(3))
    m = re.match(r"^(\+\+|--)?\s*([\w.\->\[\]]+)\s*(\+\+|--)?\s*;\s*$", s)
    if m and (m.group(1) or m.group(3)):
        op = "+" if "+" in (m.group(1) or m.group(3)) else "-"
        s = "%s = %s %s 1;" % (m.group(2), m.group(2), op)
    return re.sub(r"[\s()]", "", s)


def marked(line):
    """(kind, expr) of each marking call on a line."""
    out = []
    for name, kind in (("READ_ONCE", "read"), ("WRITE_ONCE", "write")):
        for _, _, args in calls(line, name):
            if args:
                out.append((kind, re.sub(r"\s+", "", args[0])))
    return out


def hunks(old, new):
    r = subprocess.run(["diff", "-U0", old, new], stdout=subprocess.PIPE,
                       universal_newlines=True, errors="replace")
    cur = None
    for line in r.stdout.split("\n"):
        m = re.match(r"^@@ -(\d+)(?:,(\d+))? \+(\d+)(?:,(\d+))? @@", line)
        if m:
            if cur:
                yield cur
            cur = {"old": int(m.group(1)), "new": int(m.group(3)),
                   "del": [], "add": []}
            continue
        if cur is None or line.startswith(("---", "+++")):
            continue
        if line.startswith("-"):
            cur["del"].append(line[1:])
        elif line.startswith("+"):
            cur["add"].append(line[1:])
    if cur:
        yield cur


def main():
    old_tree, new_tree, dirs = sys.argv[1], sys.argv[2], sys.argv[3:]
    for d in dirs:
        if d.rstrip("/") == "net" or d.startswith("net/"):
            sys.exit("mine_history: net/ is the held-out set; not mining it")
    for d in dirs:
        for root, _, files in os.walk(os.path.join(old_tree, d)):
            for f in sorted(files):
                if not f.endswith((".c", ".h")):
                    continue
                old = os.path.join(root, f)
                rel = os.path.relpath(old, old_tree)
                new = os.path.join(new_tree, rel)
                if not os.path.exists(new):
                    continue
                for h in hunks(old, new):
                    used = set()
                    for j, a in enumerate(h["add"]):
                        ms = marked(a)
                        if not ms:
                            continue
                        plain = unmark(a)
                        if plain is None:
                            continue
                        target = canon(plain)
                        for i, r in enumerate(h["del"]):
                            if i in used or canon(r) != target:
                                continue
                            used.add(i)
                            before = set(marked(r))
                            for kind, expr in ms:
                                if (kind, expr) in before:
                                    continue
                                print(json.dumps({
                                    "file": rel, "old_line": h["old"] + i,
                                    "new_line": h["new"] + j, "kind": kind,
                                    "expr": expr}))
                            break


if __name__ == "__main__":
    main()
