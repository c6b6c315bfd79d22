#!/usr/bin/env python3
"""Search at scale: the console's `/` on a demo of N households (default 1,000,000) against
2,000 in the same go. In a pseudo-terminal, as a reviewer would: `/`, a household's number
typed digit by digit (each digit searches again), Enter to open it, Esc back; then a
surname (the admin may see names, so the showing is logged) and a creditor. Each key is
timed to the end of the frame it causes, as benches/scale.py times j/k. A benchmark, not a
test: it prints figures and ratios and asserts nothing about speed.

    python3 benches/search.py
    OORDEEL_BENCH_N=200000 python3 benches/search.py

Environment: OORDEEL_BENCH_N, OORDEEL_BIN (a built binary; default `cargo build
--release`), OORDEEL_BENCH_DIR (keep the databases there; a demo already in it is reused),
OORDEEL_BENCH_ROUNDS (how often each search is typed, default 5).
"""
import fcntl
import os
import pty
import select
import shutil
import signal
import sqlite3
import statistics
import struct
import sys
import tempfile
import termios
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from scale import QUIET, SMALL, TODAY, binary, measured  # noqa: E402


def searches(db):
    """A household deep in the queue (its number and surname) and a creditor's first word."""
    conn = sqlite3.connect(db)
    pseudonym, name = conn.execute(
        "SELECT h.pseudonym, p.name FROM cases c JOIN households h ON h.id = c.household_id"
        " JOIN personal_data p ON p.household_id = h.id WHERE c.status = 'open'"
        " ORDER BY c.queue_rank LIMIT 1 OFFSET (SELECT count(*) / 2 FROM cases WHERE status = 'open')"
    ).fetchone()
    creditor = conn.execute("SELECT name FROM creditors ORDER BY name LIMIT 1").fetchone()[0]
    conn.close()
    number = pseudonym.split("-")[1].lstrip("0")
    return {"number": number, "surname": name.split()[-1].lower(),
            "creditor": creditor.split()[0].lower()}


def session(exe, db, rounds, typed):
    """Key-to-frame times (ms) per kind of key, over `rounds` of each search."""
    pid, fd = pty.fork()
    if pid == 0:
        os.environ.update({"TERM": "xterm-256color", "LANG": "en_US.UTF-8"})
        os.execvp(exe, [exe, "review", "--db", db])
    fcntl.ioctl(fd, termios.TIOCSWINSZ, struct.pack("HHHH", 40, 120, 0, 0))

    def frame(started, wanted=None, limit=30.0):
        seen, last = b"", None
        while time.perf_counter() - started < limit:
            ready, _, _ = select.select([fd], [], [], QUIET)
            if ready:
                try:
                    seen += os.read(fd, 65536)
                except OSError:
                    break
                last = time.perf_counter()
            elif last is not None and (wanted is None or wanted in seen):
                return (last - started) * 1000
        return None

    def key(k, kind, out):
        started = time.perf_counter()
        os.write(fd, k.encode())
        t = frame(started, limit=10)
        if t is not None:
            out.setdefault(kind, []).append(t)

    frame(time.perf_counter(), wanted=b"H-")
    out = {}
    for _ in range(rounds):
        for what, text in typed.items():
            key("/", "open the prompt", out)
            for c in text:
                key(c, f"a key of a {what}", out)
            key("\r", "Enter: open the case found", out)
            key("\x1b", "Esc: back to the queue", out)
    os.write(fd, b"q")
    time.sleep(0.3)
    try:
        os.kill(pid, signal.SIGTERM)
    except ProcessLookupError:
        pass
    os.waitpid(pid, 0)
    return out


def at(exe, work, households, rounds):
    db = os.path.join(work, f"search-{households}.db")
    if not os.path.exists(db):
        print(f"  {households:,} households: demo", file=sys.stderr, flush=True)
        measured([exe, "demo", "--households", str(households), "--today", TODAY, "--db", db])
    typed = searches(db)
    os.sync()
    print(f"  {households:,} households: typing {typed}", file=sys.stderr, flush=True)
    return session(exe, db, rounds, typed)


def main():
    n = int(os.environ.get("OORDEEL_BENCH_N", "1000000"))
    rounds = int(os.environ.get("OORDEEL_BENCH_ROUNDS", "5"))
    exe = binary()
    keep = os.environ.get("OORDEEL_BENCH_DIR")
    work = keep or tempfile.mkdtemp(prefix="oordeel-search-")
    os.makedirs(work, exist_ok=True)
    try:
        small = at(exe, work, SMALL, rounds)
        large = at(exe, work, n, rounds)
    finally:
        if not keep:
            shutil.rmtree(work, ignore_errors=True)
    header = ("key to frame", f"{SMALL:,} p50", "max", f"{n:,} p50", "max", "ratio p50")
    rows = []
    for kind in small:
        s, l = sorted(small[kind]), sorted(large.get(kind, [float("nan")]))
        rows.append((kind, f"{statistics.median(s):.1f} ms", f"{s[-1]:.1f} ms",
                     f"{statistics.median(l):.1f} ms", f"{l[-1]:.1f} ms",
                     f"{statistics.median(l) / statistics.median(s):.2f}"))
    widths = [max(len(r[i]) for r in rows + [header]) for i in range(len(header))]
    print(" | ".join(h.ljust(w) for h, w in zip(header, widths)))
    print("-+-".join("-" * w for w in widths))
    for r in rows:
        print(" | ".join(c.ljust(w) for c, w in zip(r, widths)))


if __name__ == "__main__":
    main()
