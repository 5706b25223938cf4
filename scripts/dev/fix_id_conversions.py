#!/usr/bin/env python3
"""Adds the conversions between UUIDs and typed ids that the compiler asks
for (issue 32): for every `mismatched types` error whose expected and found
types are both ids (`Uuid` or `…Id`, bare, in an `Option` or a `Vec`),
the expression gets `.into()`, `.map(Into::into)` or
`.into_iter().map(Into::into).collect()`. Run until it finds nothing.

    fix_id_conversions.py -p CRATE [-p CRATE…]
"""
import json, re, subprocess, sys
from collections import defaultdict

ID = r'(?:uuid::Uuid|Uuid|[\w:]*\b[A-Z]\w*Id)'
def shape(t):
    t = t.replace('std::option::', '').replace('std::vec::', '').replace('&', '')
    if re.fullmatch(ID, t): return 'one'
    if re.fullmatch(r'Option<' + ID + '>', t): return 'opt'
    if re.fullmatch(r'Vec<' + ID + '>', t): return 'vec'
    return None

args = ['cargo', 'build', '--message-format=json'] + sys.argv[1:]
out = subprocess.run(args, capture_output=True, text=True).stdout
edits = defaultdict(list)
for line in out.splitlines():
    try: msg = json.loads(line)
    except ValueError: continue
    m = msg.get('message') if msg.get('reason') == 'compiler-message' else None
    if not m or not m.get('code') or m['code']['code'] != 'E0308': continue
    span = next((s for s in m['spans'] if s['is_primary']), None)
    label = span and span.get('label') or ''
    mm = re.match(r'expected `(.+)`, found `(.+)`', label)
    if not mm: continue
    if mm.group(1).startswith('&') or mm.group(2).startswith('&'):
        continue  # a reference wants `&x.uuid()`, not a conversion: by hand
    exp, found = shape(mm.group(1)), shape(mm.group(2))
    if not exp or exp != found: continue
    suffix = {'one': '.into()', 'opt': '.map(Into::into)', 'vec': '.into_iter().map(Into::into).collect()'}[exp]
    edits[span['file_name']].append((span['byte_start'], span['byte_end'], suffix))
n = 0
for f, es in edits.items():
    text = open(f, 'rb').read()
    # Nested spans (an id inside a longer expression) wait for the next run.
    kept, last_start = [], None
    for start, end, suffix in sorted(set(es), reverse=True):
        if last_start is not None and end > last_start:
            continue
        kept.append((start, end, suffix))
        last_start = start
    for start, end, suffix in kept:
        expr = text[start:end].decode()
        needs_parens = not re.fullmatch(r'[\w.()\[\]]+', expr)
        new = (f'({expr})' if needs_parens else expr) + suffix
        text = text[:start] + new.encode() + text[end:]
        n += 1
    open(f, 'wb').write(text)
print(f'{n} conversions added in {len(edits)} files')
