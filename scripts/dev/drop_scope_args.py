#!/usr/bin/env python3
"""Moves helpers from (transaction, scope-or-centre, ...) to (TenantTx, ...)
(issue 32). For each function whose first parameters are a transaction or a
generic connection and then `scope: &TenantScope` or `centre: CentreId`,
the transaction becomes `txn: &TenantTx`, `scope.centre_id()` and `centre`
in its body become `txn.centre()`, and when nothing else of the scope is
used the parameter goes, with the matching argument at every call site in
the crates. Usage: drop_scope_args.py FILE... (call sites: all crates)."""
import glob
import re
import sys

SIG = re.compile(
    r"(?P<head>(?:pub(?:\([^)]*\))? )?async fn (?P<name>\w+))(?:<C: (?:sea_orm::)?ConnectionTrait>)?\(\s*"
    r"(?P<first>(?:txn|conn): &(?:TenantTx|C|DatabaseTransaction|sea_orm::DatabaseTransaction)),\s*"
    r"(?P<second>(?:scope|_scope): &TenantScope|centre: (?:integra_kernel::)?CentreId),"
)


def body_end(s, start):
    """Index just past the function body starting at the first '{' after start."""
    i = s.index("{", start)
    depth = 0
    for j in range(i, len(s)):
        if s[j] == "{":
            depth += 1
        elif s[j] == "}":
            depth -= 1
            if depth == 0:
                return j + 1
    raise ValueError("unbalanced")


dropped = set()
for path in sys.argv[1:]:
    s = open(path).read()
    out = []
    pos = 0
    for m in SIG.finditer(s):
        if m.start() < pos:
            continue
        end = body_end(s, m.end())
        body = s[m.end():end]
        was_conn = m.group("first").startswith("conn")
        param = m.group("second").split(":")[0]
        if was_conn:
            body = re.sub(r"\bconn\b", "txn", body)
        if param.endswith("scope"):
            body = body.replace(f"{param}.centre_id()", "txn.centre()")
            keep = re.search(rf"\b{param}\b", body) is not None
        else:
            body = re.sub(r"\bcentre\b(?!:)", "txn.centre()", body)
            keep = False
        sig = f"{m.group('head')}(\n    txn: &TenantTx,"
        if keep:
            sig += f"\n    {m.group('second')},"
        else:
            dropped.add(m.group("name"))
        out.append(s[pos:m.start()] + sig + body)
        pos = end
    out.append(s[pos:])
    new = "".join(out)
    if new != s:
        open(path, "w").write(new)
        print("rewrote", path)

ARG = r"(?:&\*?)?[\w.]+(?:\(\))?"
# Call sites are found by name: only names defined once in the crates are
# rewritten (others are listed, to be done by hand).
defined = {}
for path in glob.glob("crates/*/src/**/*.rs", recursive=True):
    for m in re.finditer(r"\bfn (\w+)\b", open(path).read()):
        defined[m.group(1)] = defined.get(m.group(1), 0) + 1
ambiguous = sorted(n for n in dropped if defined.get(n, 0) > 1)
dropped = {n for n in dropped if n not in ambiguous}
for path in glob.glob("crates/*/src/**/*.rs", recursive=True):
    s = open(path).read()
    before = s
    for name in sorted(dropped):
        s = re.sub(
            rf"(?<![\w:.])((?:[\w:]*::)?{name})\((\s*{ARG}),\s*{ARG},\s*",
            r"\1(\2, ",
            s,
        )
    if s != before:
        open(path, "w").write(s)
        print("calls in", path)
print("dropped:", " ".join(sorted(dropped)))
if ambiguous:
    print("by hand (name defined more than once):", " ".join(ambiguous))
