#!/usr/bin/env python3
"""Check an oordeel audit log without oordeel: python3 verify-log.py LOG.jsonl

LOG.jsonl comes from `oordeel export --log` (one JSON object per event). Standard library
only. Exit 0 and the head hash when the chain is intact; exit 1 naming the first bad event.

Per event (README, "Exporting the audit log"; src/domain/event.rs):
  v1 (payload_digest null): hash = SHA-256("oordeel-event-v1\\0" + F(prev_hash, seq, at,
      actor, role, kind, case_id, payload))
  v2: hash = SHA-256("oordeel-event-v2\\0" + F(..., case_id, payload_digest)), and the
      payload must hash to payload_digest unless a later `purge` event lists the seq in its
      payload's "erased" with the SHA-256 of the payload now there (a lawful erasure).
  F(fields) = for each: str(len(utf8 bytes)) + ":" + field + "\\0"; case_id "" when null;
  the first prev_hash is 64 zeros.
"""
import hashlib
import json
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


def verify(lines):
    """Returns (None, head hash) or (seq, what is wrong) for the first bad event."""
    prev, unexplained = "0" * 64, {}

    def bad(n, what):  # an unexplained payload before the break comes first
        return (min(unexplained), ALTERED_PAYLOAD) if unexplained else (n, what)

    for n, line in enumerate(lines, start=1):
        e = json.loads(line)
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


def main():
    if len(sys.argv) != 2:
        sys.exit(__doc__)
    try:
        with open(sys.argv[1], encoding="utf-8") as f:
            lines = [line for line in f if line.strip()]
    except (OSError, UnicodeDecodeError) as e:
        sys.exit("cannot read %s: %s" % (sys.argv[1], e))
    if not lines:
        # An oordeel database always has events (its creation is one): an empty export is
        # not an intact log but a missing one.
        sys.exit("%s holds no events: export the log with `oordeel export --log`" % sys.argv[1])
    bad, what = verify(lines)
    if bad is not None:
        print("BROKEN at event %d: %s" % (bad, what))
        sys.exit(1)
    print("OK: %d events, head hash %s" % (len(lines), what))


if __name__ == "__main__":
    main()
