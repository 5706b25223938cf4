#!/usr/bin/env python3
"""Rewrites hand-written tenant filters on sea-orm queries into TenantTx
query starters (issue 32): `x::Entity::find().filter(x::Column::TenantId.eq(..))`
becomes `txn.find::<x::Entity>()`, and likewise for find_by_id, update_many
and delete_many. Usage: tenant_filters.py TXN_NAME FILE..."""
import re
import sys

ARG = r"(?:[^()]|\((?:[^()]|\([^()]*\))*\))*"
txn = sys.argv[1]
for path in sys.argv[2:]:
    s = open(path).read()
    before = s
    s = re.sub(
        r"(\w+)::Entity::find\(\)\s*\.filter\(\s*\1::Column::TenantId\.eq\(" + ARG + r"\)\s*\)",
        lambda m: f"{txn}.find::<{m.group(1)}::Entity>()",
        s,
    )
    s = re.sub(
        r"(\w+)::Entity::find_by_id\((" + ARG + r")\)\s*\.filter\(\s*\1::Column::TenantId\.eq\(" + ARG + r"\)\s*\)",
        lambda m: f"{txn}.find_by_id::<{m.group(1)}::Entity>({m.group(2)})",
        s,
    )
    # The tenant filter further down a chain of builder calls.
    s = re.sub(
        r"(\w+)::Entity::(find|update_many|delete_many)\(\)((?:\s*\.(?!filter\(\s*\1::Column::TenantId)\w+(?:::<[^>]*>)?\(" + ARG + r"\))*?)\s*\.filter\(\s*\1::Column::TenantId\.eq\(" + ARG + r"\)\s*\)",
        lambda m: f"{txn}.{m.group(2)}::<{m.group(1)}::Entity>(){m.group(3)}",
        s,
    )
    for op in ["update_many", "delete_many"]:
        s = re.sub(
            r"(\w+)::Entity::" + op + r"\(\)((?:\s*\.col_expr\(" + ARG + r"\))*)\s*\.filter\(\s*\1::Column::TenantId\.eq\(" + ARG + r"\)\s*\)",
            lambda m, op=op: f"{txn}.{op}::<{m.group(1)}::Entity>(){m.group(2)}",
            s,
        )
    if s != before:
        open(path, "w").write(s)
        print("rewrote", path)
