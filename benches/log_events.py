#!/usr/bin/env python3
"""Appends N case views to an oordeel database's event log, chained as oordeel chains them,
so `verify` and `export --log` can be measured on a log of a million events without a
million console sessions. A bench fixture only: it writes the database directly.

Usage: python3 benches/log_events.py DB N

Each event is a `view` of an open case by one of the demo's reviewers of its team, with no
claim taken (payload {"claim": null, "household": ...}), the v2 chain of src/domain/event.rs
(the same rule assets/verify-log.py checks).
"""
import hashlib
import sqlite3
import sys
from datetime import datetime, timedelta, timezone


def field_bytes(fields):
    out = bytearray()
    for f in fields:
        b = f.encode("utf-8")
        out += str(len(b)).encode() + b":" + b + b"\0"
    return bytes(out)


def main():
    db, n = sys.argv[1], int(sys.argv[2])
    con = sqlite3.connect(db)
    con.execute("PRAGMA synchronous = OFF")
    seq, prev = con.execute("SELECT seq, hash FROM events ORDER BY seq DESC LIMIT 1").fetchone()
    last_at = con.execute("SELECT at FROM events WHERE seq = ?", (seq,)).fetchone()[0]
    start = datetime.fromisoformat(last_at.replace("Z", "+00:00")) + timedelta(seconds=1)
    reviewers = {}
    for name, team in con.execute("SELECT name, team FROM users WHERE role = 'reviewer'"):
        reviewers.setdefault(team, []).append(name)
    cases = con.execute(
        "SELECT c.id, c.team, h.pseudonym FROM cases c JOIN households h ON h.id = c.household_id"
        " WHERE c.status = 'open' ORDER BY c.id").fetchall()
    cases = [c for c in cases if c[1] in reviewers]
    if not cases:
        sys.exit("no open case of a team with reviewers")
    rows = []
    for i in range(n):
        case_id, team, household = cases[i % len(cases)]
        team_reviewers = reviewers[team]
        actor = team_reviewers[i % len(team_reviewers)]
        seq += 1
        at = (start + timedelta(microseconds=250_000 * i)).astimezone(timezone.utc)
        at = at.strftime("%Y-%m-%dT%H:%M:%S.%fZ")
        payload = '{"claim":null,"household":"%s"}' % household
        digest = hashlib.sha256(payload.encode()).hexdigest()
        fields = [prev, str(seq), at, actor, "reviewer", "view", str(case_id), digest]
        h = hashlib.sha256(b"oordeel-event-v2\0" + field_bytes(fields)).hexdigest()
        rows.append((seq, at, actor, "reviewer", "view", case_id, payload, prev, h, digest))
        prev = h
        if len(rows) == 50000:
            con.executemany("INSERT INTO events (seq, at, actor, role, kind, case_id, payload,"
                            " prev_hash, hash, payload_digest) VALUES (?,?,?,?,?,?,?,?,?,?)", rows)
            rows.clear()
    con.executemany("INSERT INTO events (seq, at, actor, role, kind, case_id, payload,"
                    " prev_hash, hash, payload_digest) VALUES (?,?,?,?,?,?,?,?,?,?)", rows)
    con.commit()
    con.close()


if __name__ == "__main__":
    main()
