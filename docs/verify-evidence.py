#!/usr/bin/env python3
"""Checks a cloudpatch evidence bundle without cloudpatch (docs/evidence.md).

    python3 verify-evidence.py BUNDLE_DIR [--key VKEY_OR_FILE]

Python 3 standard library only. Checks every journal line's hash and chain (DESIGN 9), each
entry's C2SP tlog-proof against the checkpoint's RFC 9162 root, the checkpoint's Ed25519
signature (C2SP signed-note, RFC 8032 verification below) and the content file's SHA-256 and its
agreement with the proven entries. Without --key the bundle's own journal.pub is used: compare the
key it prints with the one the operator published. Exit 0 and "OK ..." on success; exit 1 and
"FAIL <what>: <why>" naming the first failed check; exit 2 on a usage error.
"""
import base64
import hashlib
import json
import os
import sys

# --- Ed25519 verification, after the reference code of RFC 8032, section 6 ---------------------
P = 2**255 - 19
L = 2**252 + 27742317777372353535851937790883648493
D = -121665 * pow(121666, P - 2, P) % P
SQRT_M1 = pow(2, (P - 1) // 4, P)


def _add(a, b):
    x = (a[1] - a[0]) * (b[1] - b[0]) % P
    y = (a[1] + a[0]) * (b[1] + b[0]) % P
    c = 2 * a[3] * b[3] * D % P
    d = 2 * a[2] * b[2] % P
    e, f, g, h = y - x, d - c, d + c, y + x
    return (e * f, g * h, f * g, e * h)


def _mul(s, pt):
    q = (0, 1, 1, 0)
    while s > 0:
        if s & 1:
            q = _add(q, pt)
        pt = _add(pt, pt)
        s >>= 1
    return q


def _equal(a, b):
    return (a[0] * b[2] - b[0] * a[2]) % P == 0 and (a[1] * b[2] - b[1] * a[2]) % P == 0


def _recover_x(y, sign):
    if y >= P:
        return None
    x2 = (y * y - 1) * pow(D * y * y + 1, P - 2, P)
    if x2 % P == 0:
        return None if sign else 0
    x = pow(x2, (P + 3) // 8, P)
    if (x * x - x2) % P != 0:
        x = x * SQRT_M1 % P
    if (x * x - x2) % P != 0:
        return None
    if (x & 1) != sign:
        x = P - x
    return x


_GY = 4 * pow(5, P - 2, P) % P
_GX = _recover_x(_GY, 0)
G = (_GX, _GY, 1, _GX * _GY % P)


def _decompress(s):
    if len(s) != 32:
        return None
    y = int.from_bytes(s, "little")
    sign = y >> 255
    y &= (1 << 255) - 1
    x = _recover_x(y, sign)
    return None if x is None else (x, y, 1, x * y % P)


def ed25519_verify(public, message, signature):
    """Whether signature (64 bytes) is public's (32 bytes) Ed25519 signature of message."""
    if len(public) != 32 or len(signature) != 64:
        return False
    a = _decompress(public)
    r = _decompress(signature[:32])
    if a is None or r is None:
        return False
    s = int.from_bytes(signature[32:], "little")
    if s >= L:
        return False
    h = int.from_bytes(hashlib.sha512(signature[:32] + public + message).digest(), "little") % L
    return _equal(_mul(s, G), _add(r, _mul(h, a)))


# --- C2SP signed-note, tlog-checkpoint, tlog-proof; RFC 9162 inclusion ------------------------
class Fail(Exception):
    pass


def sha256(data):
    return hashlib.sha256(data).digest()


def b64(text, what):
    try:
        return base64.b64decode(text, validate=True)
    except ValueError:
        raise Fail(what + " is not base64")


def parse_vkey(text):
    """name+hex key hash+base64(0x01 || key) -> (name, key hash, key)."""
    parts = text.strip().split("+")
    if len(parts) != 3 or not parts[0]:
        raise Fail("journal.pub: not '<name>+<hash>+<key>'")
    name, hash_hex, key = parts[0], parts[1], b64(parts[2], "journal.pub: the key")
    if len(key) != 33 or key[0] != 0x01:
        raise Fail("journal.pub: not an Ed25519 key (type 0x01)")
    key_hash = sha256(name.encode() + b"\n" + key)[:4]
    if key_hash.hex() != hash_hex:
        raise Fail("journal.pub: the key hash does not match its name and key")
    return name, key_hash, key[1:]


def open_note(note, vkey):
    """The text of a signed note whose signature by vkey verifies."""
    name, key_hash, key = vkey
    split = note.rfind("\n\n")
    if split < 0 or not note.endswith("\n"):
        raise Fail("not a signed note: no blank line before the signatures")
    text = note[: split + 1]
    named = False
    for line in note[split + 2 :].split("\n"):
        if not line:
            continue
        if not line.startswith("\u2014 ") or " " not in line[2:]:
            raise Fail("not a signature line: " + line)
        signer, sig = line[2:].split(" ", 1)
        if signer != name:
            continue
        named = True
        blob = b64(sig, "the signature")
        if len(blob) == 68 and blob[:4] == key_hash and ed25519_verify(key, text.encode(), blob[4:]):
            return text
    raise Fail(("the signature by " + name + " does not verify") if named else ("no signature by " + name))


def parse_checkpoint(text):
    lines = text.split("\n")
    if len(lines) < 4 or not lines[1].isdigit():
        raise Fail("not a tlog-checkpoint: origin, size and root lines expected")
    root = b64(lines[2], "the checkpoint root")
    if len(root) != 32:
        raise Fail("the checkpoint root is not 32 bytes")
    return lines[0], int(lines[1]), root


def parse_tlog_proof(text):
    lines = text.split("\n")
    if len(lines) < 3 or lines[0] != "c2sp.org/tlog-proof@v1":
        raise Fail("not a c2sp.org/tlog-proof@v1")
    i = 1
    if lines[i].startswith("extra "):
        i += 1
    if not lines[i].startswith("index ") or not lines[i][6:].isdigit():
        raise Fail("the tlog-proof has no 'index N' line")
    index = int(lines[i][6:])
    i += 1
    nodes = []
    while i < len(lines) and lines[i]:
        node = b64(lines[i], "a proof node")
        if len(node) != 32:
            raise Fail("a proof node is not 32 bytes")
        nodes.append(node)
        i += 1
    if i >= len(lines):
        raise Fail("the tlog-proof has no checkpoint")
    return index, nodes, "\n".join(lines[i + 1 :])


def verify_inclusion(index, size, leaf, proof, root):
    """RFC 9162 section 2.1.3.2."""
    if index >= size:
        raise Fail("index %d is not in a tree of size %d" % (index, size))
    fn, sn, r = index, size - 1, leaf
    for p in proof:
        if sn == 0:
            raise Fail("the proof has more nodes than the tree has levels")
        if fn & 1 or fn == sn:
            r = sha256(b"\x01" + p + r)
            if not fn & 1:
                while not fn & 1 and fn != 0:
                    fn >>= 1
                    sn >>= 1
        else:
            r = sha256(b"\x01" + r + p)
        fn >>= 1
        sn >>= 1
    if sn != 0:
        raise Fail("the proof has fewer nodes than the tree has levels")
    if r != root:
        raise Fail("the proof does not lead to the checkpoint's root")


# --- the bundle ---------------------------------------------------------------------------------
def read(bundle, name):
    try:
        with open(os.path.join(bundle, name), "rb") as f:
            return f.read()
    except OSError as e:
        raise Fail("%s: cannot read: %s" % (name, e.strerror))


def read_lines(bundle, name):
    text = read(bundle, name).decode()
    if text and not text.endswith("\n"):
        raise Fail(name + ": the last line has no newline")
    return text[:-1].split("\n") if text else []


def verify(bundle, trusted_key):
    try:
        manifest = json.loads(read(bundle, "manifest.json"))
    except ValueError:
        raise Fail("manifest.json: does not parse")
    if manifest.get("format") != "cloudpatch.evidence/v2":
        raise Fail("manifest.json: not a cloudpatch.evidence/v2 bundle")
    record = manifest["record"]
    bundled = read(bundle, "journal.pub").decode().strip()
    if trusted_key is not None and trusted_key != bundled:
        raise Fail("journal.pub: the bundle's key " + bundled + " is not the trusted key")
    vkey = parse_vkey(trusted_key or bundled)
    note = read(bundle, "checkpoint").decode()
    try:
        origin, size, root = parse_checkpoint(open_note(note, vkey))
    except Fail as e:
        raise Fail("checkpoint: " + str(e))
    if manifest["checkpoint"]["origin"] != origin or manifest["checkpoint"]["size"] != size:
        raise Fail("checkpoint: it is not the checkpoint the manifest names")

    lines = read_lines(bundle, "entries.log")
    entries = manifest["entries"]
    if len(lines) != len(entries):
        raise Fail("entries.log: holds %d lines but the manifest lists %d entries" % (len(lines), len(entries)))
    proofs = read_lines(bundle, "proofs.jsonl")
    if len(proofs) != len(lines):
        raise Fail("proofs.jsonl: holds %d lines but entries.log holds %d" % (len(proofs), len(lines)))
    own, closing_at, prev_seq, prev_hash = set(), None, -1, None
    for line, listed, proof_line in zip(lines, entries, proofs):
        seq = listed["seq"]
        what = "entry seq %d" % seq
        raw = line.encode()
        if len(raw) < 66 or raw[64:65] != b" ":
            raise Fail(what + ": the line is not 'HASH JSON'")
        try:
            stated, previous = bytes.fromhex(line[:64]), bytes.fromhex(listed["previous"])
        except ValueError:
            raise Fail(what + ": a hash is not hex")
        body = raw[65:]
        if seq <= prev_seq:
            raise Fail(what + ": entries are not in increasing seq order")
        if seq == 0 and previous != bytes(32):
            raise Fail(what + ": the first entry's previous hash is not all zeros")
        if prev_hash is not None and seq == prev_seq + 1 and previous != prev_hash:
            raise Fail(what + ": the chain is broken: its previous hash is not the hash of entry seq %d" % prev_seq)
        if sha256(previous + body) != stated:
            raise Fail(what + ": its hash does not match SHA-256(previous hash || JSON)")
        try:
            entry = json.loads(body)
        except ValueError:
            raise Fail(what + ": its JSON does not parse")
        if entry.get("seq") != seq:
            raise Fail(what + ": the entry holds another seq")
        try:
            proof = json.loads(proof_line)
        except ValueError:
            raise Fail(what + ": its proofs.jsonl line does not parse")
        if not isinstance(proof, dict) or proof.get("seq") != seq or not isinstance(proof.get("tlogProof"), str):
            raise Fail(what + ': its proofs.jsonl line is not {"seq":%d,"tlogProof":"..."}' % seq)
        try:
            index, nodes, proof_note = parse_tlog_proof(proof["tlogProof"])
        except Fail as e:
            raise Fail(what + ": " + str(e))
        if index != seq:
            raise Fail(what + ": its proof is for index %d" % index)
        if proof_note != note:
            raise Fail(what + ": its proof leads to another checkpoint than the bundle's")
        try:
            verify_inclusion(seq, size, sha256(b"\x00" + body), nodes, root)
        except Fail as e:
            raise Fail(what + ": its inclusion proof fails against the checkpoint: " + str(e))
        if entry.get("record") == record:
            own.add(seq)
            if entry["type"].startswith("tracking.closed") or entry["type"] == "tracking.risk-accepted":
                closing_at = entry["at"]
        prev_seq, prev_hash = seq, stated

    content = read(bundle, manifest["content"]["file"])
    actual = hashlib.sha256(content).hexdigest()
    if actual != manifest["content"]["sha256"]:
        raise Fail("bundle.json: its SHA-256 %s does not match the manifest's %s" % (actual, manifest["content"]["sha256"]))
    try:
        stored = json.loads(content)
    except ValueError:
        raise Fail("bundle.json: does not parse")
    for field in ("record", "tenant", "advisory"):
        if stored.get(field) != manifest.get(field):
            raise Fail("bundle.json: its %s is not the manifest's" % field)
    if closing_at is None:
        raise Fail("bundle.json: no proven entry closes record " + record)
    if stored.get("closedAt") != closing_at:
        raise Fail("bundle.json: closedAt is not the time of the proven entry that closed the record (%s)" % closing_at)
    for seq in stored.get("journalSeqs", []):
        if seq not in own:
            raise Fail("bundle.json: journal seq %d of the record is not a proven entry" % seq)
    return "OK record %s: %d entries proven in checkpoint %s @ %d signed by %s" % (
        record, len(lines), origin, size, vkey[0])


def main(argv):
    args, key = [], None
    i = 0
    while i < len(argv):
        if argv[i] == "--key" and i + 1 < len(argv):
            key = argv[i + 1]
            if os.path.isfile(key):
                with open(key, encoding="utf-8") as f:
                    key = f.read(65536)
            key = key.strip()
            i += 2
        elif argv[i].startswith("-"):
            break
        else:
            args.append(argv[i])
            i += 1
    if len(args) != 1 or i != len(argv) or not os.path.isdir(args[0]):
        print("usage: verify-evidence.py BUNDLE_DIR [--key VKEY_OR_FILE]", file=sys.stderr)
        return 2
    try:
        print(verify(args[0], key))
        return 0
    except Fail as e:
        print("FAIL " + str(e))
        return 1
    except (KeyError, TypeError, UnicodeDecodeError) as e:
        print("FAIL manifest.json: malformed (%s)" % e)
        return 1


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
