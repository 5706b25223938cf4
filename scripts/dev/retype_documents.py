#!/usr/bin/env python3
"""Rewrites `$var: ID` (and `$var: String`) declarations in GraphQL documents embedded in source
files (TypeScript, JavaScript, Rust) to the per-kind id scalar the schema
expects where the variable is used (issue 32: `CourseId`, `ClientId`, …).

    retype_documents.py SCHEMA FILE...
"""
import re, sys
from graphql import build_schema, parse, TypeInfo, visit, Visitor, TypeInfoVisitor, get_named_type

schema = build_schema(open(sys.argv[1]).read())
START = re.compile(r'\b(query|mutation|subscription)\b\s*\w*\s*\(')

def matching(text, i, open_c, close_c):
    depth = 0
    for j in range(i, len(text)):
        if text[j] == open_c: depth += 1
        elif text[j] == close_c:
            depth -= 1
            if depth == 0: return j
    return -1

def expected_types(doc_text):
    doc = parse(doc_text)
    ti = TypeInfo(schema)
    found = {}
    class V(Visitor):
        def enter_variable(self, node, *_):
            t = ti.get_input_type()
            if t is not None:
                found.setdefault(node.name.value, set()).add(get_named_type(t).name)
    visit(doc, TypeInfoVisitor(ti, V()))
    return found

changed_total = 0
for path in sys.argv[2:]:
    text = open(path).read()
    out = []
    pos = 0
    changed = 0
    for m in START.finditer(text):
        if m.start() < pos: continue
        head_open = m.end() - 1
        head_close = matching(text, head_open, '(', ')')
        if head_close < 0: continue
        body_open = text.find('{', head_close)
        body_close = matching(text, body_open, '{', '}')
        if body_close < 0: continue
        head = text[m.start():head_close + 1]
        if not re.search(r'\$\w+\s*:\s*\[?\s*(?:ID|String)\b', head): continue
        span = text[m.start():body_close + 1]
        src = span.replace('\\"', '"').replace('\\n', '\n')
        if '{{' in src: src = src.replace('{{', '{').replace('}}', '}')
        src = re.sub(r'\$\{[^}]*\}', '', src)  # template interpolations (fragments)
        try:
            types = expected_types(src)
        except Exception as e:
            print(f'{path}: cannot read a document ({e}): {span[:80]!r}', file=sys.stderr)
            continue
        new_head = head
        for var, declared in re.findall(r'\$(\w+)\s*:\s*\[?\s*(ID|String)\b', head):
            t = types.get(var, set())
            kinds = {k for k in t if k != declared}
            if len(kinds) != 1:
                if t != {declared}:
                    print(f'{path}: ${var} is used as {sorted(t)}', file=sys.stderr)
                continue
            kind = kinds.pop()
            new_head = re.sub(r'(\$' + var + r'\s*:\s*\[?\s*)' + declared + r'\b', r'\g<1>' + kind, new_head)
        if new_head != head:
            changed += 1
            out.append(text[pos:m.start()]); out.append(new_head); pos = head_close + 1
    out.append(text[pos:])
    if changed:
        open(path, 'w').write(''.join(out))
        changed_total += changed
        print(f'{path}: {changed} documents')
print('documents retyped:', changed_total)
