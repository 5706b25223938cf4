#!/usr/bin/env python3
"""Splits one GraphQL module of the gateway into a folder of modules.

    split_module.py SRC.rs SPEC.json

SPEC: {"dir": "...", "doc": "module doc", "modules": {"name": {"doc": "...",
"items": ["Case", ...], "query": "CasesQuery", "mutation": "CasesMutation"}},
"roots": {"CounsellingQuery": {"method": "module"}, ...}}
Items not named stay in mod.rs. Each root `#[Object] impl R` is cut by method
into per-module roots, merged again in mod.rs with `MergedObject`. Imports are
copied everywhere: run `cargo fix` afterwards to drop the unused ones.
"""
import json, re, sys, os

src, spec_path = sys.argv[1], sys.argv[2]
spec = json.load(open(spec_path))
lines = open(src).read().split("\n")

# module doc
i = 0
head_doc = []
while lines[i].startswith("//!"):
    head_doc.append(lines[i]); i += 1
uses = []
items = []  # (name, text lines)
pending = []
depth = 0
cur = None

def item_name(line):
    m = re.match(r"(?:pub(?:\([^)]*\))? )?(?:async )?(?:struct|enum|fn|const|type|static|trait|union) (\w+)", line)
    if m: return m.group(1)
    m = re.match(r"impl(?:<[^>]*>)? (?:[\w:<>, ]+ for )?([\w:]+)", line)
    if m: return m.group(1).split("::")[-1]
    return None

while i < len(lines):
    l = lines[i]
    if cur is None:
        if l.strip() == "":
            i += 1; continue
        if l.startswith("use ") or l.startswith("pub use ") or l.startswith("pub(crate) use "):
            u = [l]
            while not u[-1].rstrip().endswith(";"):
                i += 1; u.append(lines[i])
            uses.append("\n".join(u)); i += 1; continue
        if l.startswith("///") or l.startswith("#[") or l.startswith("//"):
            pending.append(l); i += 1; continue
        cur = pending + [l]; pending = []
        depth = l.count("{") - l.count("}")
        name = item_name(l)
        if depth == 0 and (l.rstrip().endswith(";") or l.rstrip().endswith("}")):
            items.append((name, cur)); cur = None
        i += 1; continue
    cur.append(l)
    depth += l.count("{") - l.count("}")
    if depth == 0 and (l.startswith("}") or l.rstrip().endswith(";") and not l.startswith(" ")):
        items.append((item_name(cur[len([x for x in cur if x.startswith(('///','#[','//'))]):][0]) if False else None, cur))
        # name from the first non-attribute line
        first = next(x for x in cur if not x.startswith(("///", "#[", "//")))
        items[-1] = (item_name(first), cur)
        cur = None
    i += 1
assert cur is None, "unterminated item"

owner = {}
for mod, m in spec["modules"].items():
    for it in m["items"]:
        owner[it] = mod

roots = spec.get("roots", {})
out = {mod: [] for mod in spec["modules"]}
out["mod"] = []
root_methods = {}  # root -> module -> [lines]
for name, text in items:
    first = next(x for x in text if not x.startswith(("///", "#[", "//")))
    if name in roots and first.startswith("impl"):
        # cut methods
        body = text[text.index(first) + 1:-1]
        methods = []
        pend = []
        curm = None
        d = 0
        for l in body:
            if curm is None:
                if l.strip() == "":
                    continue
                if l.startswith("    ///") or l.startswith("    #[") or l.startswith("    //"):
                    pend.append(l); continue
                curm = pend + [l]; pend = []
                d = l.count("{") - l.count("}")
                continue
            curm.append(l)
            d += l.count("{") - l.count("}")
            if d == 0 and l.startswith("    }"):
                methods.append(curm); curm = None
        assert curm is None and not pend, name
        for mt in methods:
            fl = next(x for x in mt if "fn " in x)
            mname = re.search(r"fn (\w+)", fl).group(1)
            mod = roots[name].get(mname)
            assert mod, f"{name}.{mname} has no module"
            root_methods.setdefault(name, {}).setdefault(mod, []).append(mt)
        continue
    if name in roots:
        continue  # the struct of a root: rebuilt in mod.rs
    mod = owner.get(name, "mod")
    out[mod].append(text)

os.makedirs(spec["dir"], exist_ok=True)
mods = list(spec["modules"])
def fix_use(u):
    return re.sub(r"\bsuper::", "crate::graphql::", u)
def vis(text):
    res = []
    for l in text:
        if re.match(r"(async )?fn |struct |enum |const |type ", l):
            l = "pub(super) " + l
        res.append(l)
    return res

for mod in mods:
    m = spec["modules"][mod]
    body = ["//! " + m["doc"], ""]
    body += [fix_use(u) for u in uses]
    sib = [x for x in mods if x != mod]
    body.append("#[allow(unused_imports)]")
    body.append("use super::*;")
    if sib:
        body.append("use super::{" + ", ".join(s + "::*" for s in sib) + "};")
    body.append("")
    for t in out[mod]:
        body += vis(t) + [""]
    for root, rname_key in (("query", "query"), ("mutation", "mutation")):
        pass
    for rname, per in root_methods.items():
        if mod in per:
            kind = "Query" if rname.endswith("Query") else "Mutation"
            sname = m.get(kind.lower())
            assert sname, f"{mod} needs a {kind.lower()} name"
            body += [f"/// {kind} fields of this part.", "#[derive(Default)]", f"pub struct {sname};", "", "#[Object]", f"impl {sname} {{"]
            for k, mt in enumerate(per[mod]):
                if k: body.append("")
                body += mt
            body += ["}", ""]
    open(os.path.join(spec["dir"], mod + ".rs"), "w").write("\n".join(body).rstrip() + "\n")

body = [spec.get("doc") or "\n".join(head_doc), ""]
for mod in mods:
    body.append(f"mod {mod};")
body.append("")
body += [fix_use(u) for u in uses]
body.append("")
for mod in mods:
    body.append(f"pub use {mod}::*;")
body.append("")
for t in out["mod"]:
    body += vis(t) + [""]
for rname, per in root_methods.items():
    kind = "Query" if rname.endswith("Query") else "Mutation"
    parts = [f"{mod}::{spec['modules'][mod][kind.lower()]}" for mod in mods if mod in per]
    body += [f"/// {kind} fields of this context, one part per module.", "#[derive(async_graphql::MergedObject, Default)]", f"pub struct {rname}(", ] + [f"    {p}," for p in parts] + [");", ""]
open(os.path.join(spec["dir"], "mod.rs"), "w").write("\n".join(body).rstrip() + "\n")
print("items:", len(items), "->", {k: len(v) for k, v in out.items()})
