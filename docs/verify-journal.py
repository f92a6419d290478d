#!/usr/bin/env python3
"""Verifies a cloudpatch journal, wire format v1 (see JOURNAL.md). Usage: verify-journal.py JOURNAL"""
import hashlib, json, re, sys

def check(seq, line, prev):  # -> (hash, None) or (None, (reason, whether a crash explains it))
    m = re.fullmatch(rb"([0-9a-f]{64}) (.*)", line)
    if not m: return None, ("not '<64 lowercase hex> SPACE <JSON>'", True)
    try: entry = json.loads(m[2])
    except ValueError: return None, ("JSON does not parse", True)
    found = entry.get("seq") if isinstance(entry, dict) else None
    if type(found) is not int or found != seq: return None, ("seq is %s, expected %d" % (found, seq), False)
    digest = hashlib.sha256(prev + m[2]).digest()
    return (digest, None) if digest.hex().encode() == m[1] else (None, ("hash does not match the chain", False))

if len(sys.argv) != 2: print(__doc__, file=sys.stderr); sys.exit(2)
data = open(sys.argv[1], "rb").read()
lines, head = data.split(b"\n"), bytes(32)
if lines[-1] == b"": lines.pop()  # the empty piece after the final newline; otherwise a torn line
for seq, line in enumerate(lines):
    digest, bad = check(seq, line, head)
    last = seq == len(lines) - 1
    if last and not data.endswith(b"\n"): bad = ("no trailing newline", True)
    if bad:
        form = "torn last line %d: %s (crash artefact; recovery truncates it)" if last and bad[1] else "line %d: %s"
        print("BAD seq %d: " % seq + form % (seq + 1, bad[0]))
        sys.exit(1)
    head = digest
print("OK %d %s" % (len(lines), head.hex()))
