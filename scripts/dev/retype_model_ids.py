#!/usr/bin/env python3
"""Retypes a context's model fields from UUIDs to its typed ids (issue 32).

    retype_model_ids.py FILE 'Struct=IdKind,…' 'field=IdKind,…'

`id` takes the kind of its struct; other fields the kind of their name.
"""
import re, sys
path, structs, fields = sys.argv[1], dict(x.split('=') for x in sys.argv[2].split(',')), dict(x.split('=') for x in sys.argv[3].split(','))
lines = open(path).read().split('\n')
cur = None
for i, l in enumerate(lines):
    m = re.match(r'pub struct (\w+)', l)
    if m: cur = m.group(1)
    m = re.match(r'(\s+pub (\w+): )(Option<|Vec<)?(?:uuid::)?Uuid(>?,)', l)
    if m:
        k = structs.get(cur) if m.group(2) == 'id' else fields.get(m.group(2))
        if k: lines[i] = m.group(1) + (m.group(3) or '') + k + m.group(4)
        else: print('left as a UUID:', cur, m.group(2))
open(path, 'w').write('\n'.join(lines))
