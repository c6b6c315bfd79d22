#!/usr/bin/env python3
"""Check an oordeel audit log without oordeel:

    python3 verify-log.py LOG.jsonl [--key PUBLIC-KEY-OR-FILE]...

LOG.jsonl comes from `oordeel export --log`: one JSON object per event, then one line
{"checkpoint": NOTE} per signed checkpoint. Python's standard library only (Ed25519 is
checked with the `cryptography` package when it is installed, else with the RFC 8032
reference arithmetic below, which VERIFY_LOG_PURE_ED25519=1 forces). Exit 0 when the chain is intact and every checkpoint agrees
with it; exit 1 naming the first bad event or checkpoint. Without --key the checkpoints
are not checked, and it says so.

Per event (docs/audit.md, "Exporting the audit log"; src/domain/event.rs):
  v1 (payload_digest null): hash = SHA-256("oordeel-event-v1\\0" + F(prev_hash, seq, at,
      actor, role, kind, case_id, payload))
  v2: hash = SHA-256("oordeel-event-v2\\0" + F(..., case_id, payload_digest)), and the
      payload must hash to payload_digest unless a later `purge` event lists the seq in its
      payload's "erased" with the SHA-256 of the payload now there (a lawful erasure).
  F(fields) = for each: str(len(utf8 bytes)) + ":" + field + "\\0"; case_id "" when null;
  the first prev_hash is 64 zeros.

Per checkpoint (a C2SP signed note; src/domain/checkpoint.rs): its text is
  <key name>/<first 16 hex digits of event 1's hash>, <event count>, base64(head hash),
  "time <RFC 3339>"; then an empty line and "— <key name> base64(key id || signature)".
  The key is "<name>+<key id hex>+base64(0x01 || 32-byte Ed25519 public key)", its id the
  first 4 bytes of SHA-256(name + "\\n" + 0x01 + public key). It agrees when the chain holds
  at least that many events and event <count> has that hash. A checkpoint that disagrees is
  accepted as lost only when a `log_restored` event lists it and a later checkpoint that
  agrees covers that event (only the key's holder can have signed over it).
"""
import base64
import hashlib
import json
import os
import sys


def sha(data):
    return hashlib.sha256(data).hexdigest()


def chain_hash(e, prev, version, last):
    fields = [prev, str(e["seq"]), e["at"], e["actor"], e["role"], e["kind"],
              "" if e["case_id"] is None else str(e["case_id"]), last]
    out = b"oordeel-event-v%d\0" % version
    for f in fields:
        b = f.encode("utf-8")
        out += str(len(b)).encode() + b":" + b + b"\0"
    return sha(out)


ALTERED_PAYLOAD = "payload altered: it does not match its digest and no purge lists it"


def verify(events):
    """Returns (None, head hash) or (seq, what is wrong) for the first bad event."""
    prev, unexplained = "0" * 64, {}

    def bad(n, what):  # an unexplained payload before the break comes first
        return (min(unexplained), ALTERED_PAYLOAD) if unexplained else (n, what)

    for n, e in enumerate(events, start=1):
        if e["seq"] != n:
            return bad(n, "event %d is missing (numbering jumps to %d)" % (n, e["seq"]))
        if e["prev_hash"] != prev:
            return bad(n, "does not link to the event before it")
        digest = e["payload_digest"]
        if digest is None:
            computed = chain_hash(e, prev, 1, e["payload"])
        else:
            computed = chain_hash(e, prev, 2, digest)
        if computed != e["hash"]:
            return bad(n, "altered: its hash does not match its fields")
        now = sha(e["payload"].encode("utf-8"))
        if digest is not None and now != digest:
            unexplained[n] = now
        if e["kind"] == "purge":
            for erased in json.loads(e["payload"]).get("erased", []):
                if unexplained.get(erased["seq"]) == erased["digest"]:
                    del unexplained[erased["seq"]]
        prev = e["hash"]
    return bad(None, prev)


# --- Ed25519 verification (RFC 8032, section 5.1.7), used without `cryptography` ---
P = 2 ** 255 - 19
L = 2 ** 252 + 27742317777372353535851937790883648493
D = -121665 * pow(121666, P - 2, P) % P
SQRT_M1 = pow(2, (P - 1) // 4, P)


def _add(a, b):
    x1, y1, z1, t1 = a
    x2, y2, z2, t2 = b
    aa = (y1 - x1) * (y2 - x2) % P
    bb = (y1 + x1) * (y2 + x2) % P
    cc = 2 * t1 * t2 * D % P
    dd = 2 * z1 * z2 % P
    e, f, g, h = bb - aa, dd - cc, dd + cc, bb + aa
    return (e * f % P, g * h % P, f * g % P, e * h % P)


def _mul(s, point):
    q = (0, 1, 1, 0)
    while s > 0:
        if s & 1:
            q = _add(q, point)
        point = _add(point, point)
        s >>= 1
    return q


def _decompress(s):
    if len(s) != 32:
        return None
    y = int.from_bytes(s, "little")
    sign = y >> 255
    y &= (1 << 255) - 1
    if y >= P:
        return None
    x2 = (y * y - 1) * pow(D * y * y + 1, P - 2, P) % P
    if x2 == 0:
        if sign:
            return None
        x = 0
    else:
        x = pow(x2, (P + 3) // 8, P)
        if (x * x - x2) % P != 0:
            x = x * SQRT_M1 % P
        if (x * x - x2) % P != 0:
            return None
        if (x & 1) != sign:
            x = P - x
    return (x, y, 1, x * y % P)


def _equal(a, b):
    return (a[0] * b[2] - b[0] * a[2]) % P == 0 and (a[1] * b[2] - b[1] * a[2]) % P == 0


_BASE = _decompress((4 * pow(5, P - 2, P) % P).to_bytes(32, "little"))


def ed25519_verify(public, message, signature):
    if os.environ.get("VERIFY_LOG_PURE_ED25519"):  # to test the arithmetic below
        return _ed25519_verify(public, message, signature)
    try:
        from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PublicKey
        from cryptography.exceptions import InvalidSignature
        try:
            Ed25519PublicKey.from_public_bytes(public).verify(signature, message)
            return True
        except InvalidSignature:
            return False
    except ImportError:
        return _ed25519_verify(public, message, signature)


def _ed25519_verify(public, message, signature):
    if len(public) != 32 or len(signature) != 64:
        return False
    a = _decompress(public)
    r = _decompress(signature[:32])
    s = int.from_bytes(signature[32:], "little")
    if a is None or r is None or s >= L:
        return False
    h = int.from_bytes(hashlib.sha512(signature[:32] + public + message).digest(), "little") % L
    return _equal(_mul(s, _BASE), _add(r, _mul(h, a)))


# --- signed notes and checkpoints ---
def parse_key(text):
    """(name, key id, 32-byte public key) from name+hexid+base64; exits on a bad key."""
    try:
        name, key_id, b64 = text.strip().split("+", 2)
        raw = base64.b64decode(b64, validate=True)
        if len(raw) != 33 or raw[0] != 1:
            raise ValueError("not an Ed25519 key")
        computed = hashlib.sha256(name.encode() + b"\n" + raw).digest()[:4].hex()
        if computed != key_id.lower():
            raise ValueError("its id does not match the key")
        return name, int(key_id, 16), raw[1:]
    except ValueError as e:
        sys.exit("not a public key of the form name+id+base64: %s (%s)" % (text.strip(), e))


def open_note(note, keys):
    """The checkpoint (origin, count, head hex, time) in a note, or a reason it is not."""
    if "\n\n" not in note or not note.endswith("\n"):
        return None, "not a signed note"
    text, sigs = note.rsplit("\n\n", 1)
    text += "\n"
    signed_by = []
    for line in sigs.rstrip("\n").split("\n"):
        if not line.startswith("\u2014 "):
            return None, "not a signed note (a signature line does not start with an em dash)"
        name, _, b64 = line[2:].partition(" ")
        try:
            raw = base64.b64decode(b64, validate=True)
        except ValueError:
            return None, "not a signed note (a signature is not base64)"
        key_id = int.from_bytes(raw[:4], "big")
        signed_by.append("%s+%08x" % (name, key_id))
        for k_name, k_id, public in keys:
            if (name, key_id) == (k_name, k_id):
                if not ed25519_verify(public, text.encode("utf-8"), raw[4:]):
                    return None, "its signature does not match its text: altered after signing"
                lines = text.rstrip("\n").split("\n")
                if len(lines) < 3:
                    return None, "not a checkpoint"
                try:
                    count = int(lines[1])
                    head = base64.b64decode(lines[2], validate=True).hex()
                except ValueError:
                    return None, "not a checkpoint"
                time = next((l[5:] for l in lines[3:] if l.startswith("time ")), "?")
                return (lines[0], count, head, time, k_name), None
    return None, "signed with %s, not with the key given" % ", ".join(signed_by)


def check_checkpoints(events, notes, keys):
    """Lines saying what is wrong (empty when every checkpoint agrees) and lines of losses."""
    log_id = events[0]["hash"][:16]
    opened, problems = [], []
    for number, note in enumerate(notes, start=1):
        cp, why = open_note(note, keys)
        if cp is None:
            problems.append((number, "checkpoint %d: %s" % (number, why)))
            continue
        origin, count, head, time, name = cp
        label = "checkpoint %d (signed %s, %d events)" % (number, time, count)
        if origin != "%s/%s" % (name, log_id):
            problems.append((number, "%s belongs to log %s, this log is %s/%s" %
                             (label, origin, name, log_id)))
            continue
        if count > len(events):
            state = "missing: events %d to %d" % (len(events) + 1, count)
        elif events[count - 1]["hash"] != head:
            state = "rewritten: event %d hashes otherwise than when it was signed" % count
        else:
            state = None
        opened.append((number, count, head, time, label, state))
    newest = max((c for _, c, _, _, _, s in opened if s is None), default=0)
    lost = set()
    for e in events[:newest]:
        if e["kind"] == "log_restored":
            for ref in json.loads(e["payload"]).get("lost", []):
                lost.add((ref["events"], ref["head"], ref["time"]))
    losses, highest = [], None
    for number, count, head, time, label, state in opened:
        if state is not None and (count, head, time) in lost:
            losses.append("%s: lost in a restore, acknowledged in the log" % label)
            continue
        if state is not None:
            problems.append((number, "%s: %s" % (label, state)))
        if highest is not None and count < highest[0]:
            problems.append((number, "%s counts fewer events than %s: the log went back" %
                             (label, highest[1])))
        elif highest is None or count > highest[0]:
            highest = (count, label)
    return [p for _, p in sorted(problems, key=lambda p: p[0])], losses, newest


def read_keys(arg):
    """The keys of --key: one key, or a file holding keys one per line (# for comments)."""
    if os.path.isfile(arg):
        try:
            with open(arg, encoding="utf-8") as f:
                lines = [l.strip() for l in f if l.strip() and not l.startswith("#")]
        except (OSError, UnicodeDecodeError) as e:
            sys.exit("cannot read %s: %s" % (arg, e))
        return [parse_key(l) for l in lines]
    if "/" in arg and arg.count("+") < 2:
        sys.exit("cannot read %s: there is no such file" % arg)
    return [parse_key(arg)]


def read_export(path):
    """(events, checkpoint notes) of an export; exits naming the line that is not right."""
    events, notes = [], []
    try:
        with open(path, encoding="utf-8") as f:
            for number, line in enumerate(f, start=1):
                if not line.strip():
                    continue
                try:
                    value = json.loads(line)
                except ValueError as e:
                    sys.exit("%s:%d: not JSON: %s" % (path, number, e))
                if isinstance(value, dict) and "checkpoint" in value:
                    if not isinstance(value["checkpoint"], str):
                        sys.exit("%s:%d: a checkpoint line whose note is not text" % (path, number))
                    notes.append(value["checkpoint"])
                elif isinstance(value, dict) and all(k in value for k in EVENT_FIELDS):
                    events.append(value)
                else:
                    sys.exit("%s:%d: neither an event nor a checkpoint of `oordeel export --log`"
                             % (path, number))
    except (OSError, UnicodeDecodeError) as e:
        sys.exit("cannot read %s: %s" % (path, e))
    return events, notes


EVENT_FIELDS = ("seq", "at", "actor", "role", "kind", "case_id", "payload", "payload_digest",
                "prev_hash", "hash")


def main():
    args = sys.argv[1:]
    keys, paths = [], []
    while args:
        a = args.pop(0)
        if a in ("-h", "--help"):
            print(__doc__)
            return
        if a == "--key" and args:
            keys.extend(read_keys(args.pop(0)))
        elif a.startswith("--key="):
            keys.extend(read_keys(a[6:]))
        elif a.startswith("-"):
            sys.exit(__doc__)
        else:
            paths.append(a)
    if len(paths) != 1:
        sys.exit(__doc__)
    events, notes = read_export(paths[0])
    if not events:
        # An oordeel database always has events (its creation is one): an empty export is
        # not an intact log but a missing one.
        sys.exit("%s holds no events: export the log with `oordeel export --log`" % paths[0])
    bad, what = verify(events)
    if bad is not None:
        print("BROKEN at event %d: %s" % (bad, what))
        sys.exit(1)
    print("OK: %d events, head hash %s" % (len(events), what))
    if not notes:
        print("No checkpoints in the export: a rewritten or cut log would still pass.")
        if keys:
            # Asked to check checkpoints that are not there (left out, or stripped).
            print("CHECKPOINT none to check with the key given: export with the checkpoints "
                  "(`oordeel export --log --checkpoints FILE`).")
            sys.exit(1)
        return
    if not keys:
        print("%d checkpoints not checked: give --key with the public key they were "
              "signed with." % len(notes))
        return
    problems, losses, newest = check_checkpoints(events, notes, keys)
    for line in losses:
        print(line)
    if problems:
        for line in problems:
            print("CHECKPOINT " + line)
        sys.exit(1)
    print("Checkpoints OK: %d agree with the log; the newest covers %d of its %d events." %
          (len(notes) - len(losses), newest, len(events)))


if __name__ == "__main__":
    main()
