#!/usr/bin/env python3
"""Rewrites hand-written `tenant_id = ?` filters in raw SQL into `:tenant`,
bound by `TenantTx::stmt` (issue 32): the tenant's value leaves the values
list and `X.query_all_raw(stmt(backend, …))` becomes `X.query_all_raw(X.stmt(…))`.
Occurrences after a `{…}` interpolation in the same statement are listed for
a hand edit instead. Prints every value it removed, for review.
Usage: sql_tenant.py FILE..."""
import re
import sys


def items(text, start):
    """Top-level items of the `vec![...]` whose `[` is at `start`: (begin, end) spans."""
    depth, i, spans, begin = 0, start + 1, [], start + 1
    in_str = False
    while i < len(text):
        c = text[i]
        if in_str:
            if c == "\\":
                i += 2
                continue
            if c == '"':
                in_str = False
        elif c == '"':
            in_str = True
        elif c in "([{":
            depth += 1
        elif c in ")]}":
            if depth == 0:
                spans.append((begin, i))
                return spans, i
            depth -= 1
        elif c == "," and depth == 0:
            spans.append((begin, i))
            begin = i + 1
        i += 1
    raise ValueError("unclosed vec")


HEAD = re.compile(r"\b(?:stmt|q)\(")
for path in sys.argv[1:]:
    s = open(path).read()
    hits = [m.start() for m in re.finditer(r"tenant_id = \?", s)]
    for p in reversed(hits):
        heads = [m for m in HEAD.finditer(s, 0, p)]
        if not heads:
            print(f"{path}: no call before offset {p}")
            continue
        head = heads[-1]
        between = s[head.end():p]
        line = s.count("\n", 0, p) + 1
        if re.search(r"\{\w*\}", between):
            print(f"{path}:{line}: interpolation before the filter, edit by hand")
            continue
        # '?' inside string literals between the call's head and the filter.
        lits = re.findall(r'"((?:[^"\\]|\\.)*)', between)
        index = between.count("?") - between.count(".await?")
        v = s.find("vec![", p)
        if v < 0 or ";" in s[p:v].replace('";', ""):
            print(f"{path}:{line}: no `vec![…]` of values follows, edit by hand")
            continue
        spans, _ = items(s, v + 4)
        spans = [sp for sp in spans if s[sp[0]:sp[1]].strip()]
        if any(";" in s[a:b] for a, b in spans):
            print(f"{path}:{line}: values built by repetition, edit by hand")
            continue
        if index >= len(spans):
            print(f"{path}:{line}: value {index} beyond {len(spans)} values")
            continue
        a, b = spans[index]
        removed = s[a:b].strip()
        print(f"{path}:{line}: removed {removed}")
        # Drop the item and its comma.
        if index + 1 < len(spans):
            s = s[:a] + s[spans[index + 1][0]:]
        elif index > 0:
            s = s[:spans[index - 1][1]] + s[b:]
        else:
            s = s[:a] + s[b:]
        s = s[:p] + "tenant_id = :tenant" + s[p + len("tenant_id = ?"):]
    # `X.query_all_raw(stmt(backend, ` -> `X.query_all_raw(X.stmt(`: the
    # heads of the statements now holding `:tenant`, last first.
    heads = set()
    for m in re.finditer(r"tenant_id = :tenant", s):
        found = list(HEAD.finditer(s, 0, m.start()))
        if found:
            heads.add(found[-1].start())
    for h in sorted(heads, reverse=True):
        before = s[:h]
        m = re.search(r"(\b\w+)\s*\.(query_all_raw|query_one_raw|execute_raw)\(\s*\Z", before)
        after = re.match(r"stmt\(\s*[\w.]+(?:\(\))?,\s*", s[h:])
        if m and after:
            s = before + f"{m.group(1)}.stmt(" + s[h + after.end():]
    open(path, "w").write(s)
