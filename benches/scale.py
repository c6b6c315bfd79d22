#!/usr/bin/env python3
"""oordeel at scale: builds the demo at 2,000 and at N households, runs each piece of batch
work and the console on both in the same go, and prints one table of figures, the ratio of N
to 2,000, and the targets (see README, "Scale"). A benchmark, not a test: nothing in `cargo
test` depends on how fast this machine is.

    python3 benches/scale.py                      # N = 200,000
    OORDEEL_BENCH_N=1000000 python3 benches/scale.py

Environment: OORDEEL_BENCH_N (households, default 200000), OORDEEL_BENCH_EVENTS (log events
for verify and export, default 1000000), OORDEEL_BENCH_KEYS (keys per console run, default
300), OORDEEL_BIN (a built binary; default: `cargo build --release` and target/release),
OORDEEL_BENCH_DIR (where the databases go; default a temporary directory, removed after),
OORDEEL_BENCH_CONCURRENCY=0 (leave out the 32-process run, which builds the tests in release),
OORDEEL_BENCH_MARKDOWN=1 (the table again in Markdown, for the README).

Wall time and peak RSS are the kernel's (wait4) for each command. The concurrency line is
tests/it/concurrency.rs's `at_scale` on a copy of the demo: 32 reviewer processes of one team
claim and decide while a tenth are killed with SIGKILL; it asserts that nothing is lost or
decided twice, nobody sees a locked database and the log verifies, and prints the decision
latency the workers saw. The fit alone is what
`train` reports with OORDEEL_TIMINGS set; scikit-learn's is benches/sklearn_fit.py on the
same database, skipped with a line saying so when numpy or scikit-learn is missing. Key to
frame is measured as a terminal sees it: the console runs in a pseudo-terminal, and each key
is timed to the end of the frame it causes (output quiet for 30 ms, which is not counted).
"""
import fcntl
import json
import os
import pty
import select
import shutil
import signal
import statistics
import struct
import subprocess
import sys
import tempfile
import termios
import time

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(HERE)
TODAY = "2026-11-27"
SMALL = 2000
QUIET = 0.03


def binary():
    if os.environ.get("OORDEEL_BIN"):
        return os.environ["OORDEEL_BIN"]
    subprocess.run(["cargo", "build", "--release", "--quiet"], cwd=ROOT, check=True)
    return os.path.join(ROOT, "target", "release", "oordeel")


def measured(argv, env=None):
    """(seconds, peak RSS in MB, stdout, stderr), RSS from wait4 of this one child."""
    started = time.perf_counter()
    pid = os.fork()
    if pid == 0:
        out = os.open(os.path.join(tempfile.gettempdir(), f"oordeel-bench-{os.getpid()}.out"),
                      os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
        os.dup2(out, 1)
        os.dup2(out, 2)
        os.environ.update(env or {})
        os.execvp(argv[0], argv)
    _, status, usage = os.wait4(pid, 0)
    seconds = time.perf_counter() - started
    path = os.path.join(tempfile.gettempdir(), f"oordeel-bench-{pid}.out")
    with open(path, errors="replace") as f:
        text = f.read()
    os.unlink(path)
    if os.waitstatus_to_exitcode(status) != 0:
        sys.exit(f"{' '.join(argv)} failed:\n{text}")
    return seconds, usage.ru_maxrss / 1024, text


def console(argv, keys, key=None):
    """First frame and key-to-frame times (ms) of the console, and its peak RSS (MB)."""
    pid, fd = pty.fork()
    if pid == 0:
        os.environ.update({"TERM": "xterm-256color", "LANG": "en_US.UTF-8"})
        os.execvp(argv[0], argv)
    fcntl.ioctl(fd, termios.TIOCSWINSZ, struct.pack("HHHH", 40, 120, 0, 0))

    def frame(started, wanted=None, limit=30.0):
        seen, last = b"", None
        while time.perf_counter() - started < limit:
            ready, _, _ = select.select([fd], [], [], QUIET)
            if ready:
                try:
                    chunk = os.read(fd, 65536)
                except OSError:
                    break
                seen += chunk
                last = time.perf_counter()
            elif last is not None and (wanted is None or wanted in seen):
                return (last - started) * 1000
        return None

    started = time.perf_counter()
    first = frame(started, wanted=b"H-")
    times = []
    for i in range(keys):
        k = key or ("j" if (i // 50) % 2 == 0 else "k")
        started = time.perf_counter()
        os.write(fd, k.encode())
        t = frame(started, limit=5)
        if t is not None:
            times.append(t)
    with open(f"/proc/{pid}/status") as f:
        rss = next(int(l.split()[1]) for l in f if l.startswith("VmHWM")) / 1024
    os.write(fd, b"q")
    time.sleep(0.3)
    try:
        os.kill(pid, signal.SIGTERM)
    except ProcessLookupError:
        pass
    os.waitpid(pid, 0)
    times.sort()
    return {"first": first, "p50": statistics.median(times),
            "p99": times[max(0, int(len(times) * 0.99) - 1)], "max": times[-1], "rss": rss}


def sklearn(db):
    try:
        import numpy  # noqa: F401
        import sklearn as _  # noqa: F401
    except ImportError:
        return None
    out = subprocess.run([sys.executable, os.path.join(HERE, "sklearn_fit.py"), db],
                         check=True, capture_output=True, text=True).stdout
    return json.loads(out.strip().splitlines()[-1])


def fresh_copy(db, work):
    copy = os.path.join(work, "concurrency.db")
    shutil.copy(db, copy)
    return copy


def concurrency(db):
    """The concurrency test's shape on this database (tests/it/concurrency.rs, `at_scale`):
    decision latency p50/p99/max in ms, as the workers saw it under that load."""
    if os.environ.get("OORDEEL_BENCH_CONCURRENCY", "1") == "0":
        return None
    out = subprocess.run(
        ["cargo", "test", "--release", "--quiet", "--test", "it", "concurrency::at_scale", "--",
         "--ignored", "--nocapture"],
        cwd=ROOT, env={**os.environ, "OORDEEL_SCALE_DB": db}, capture_output=True, text=True)
    if out.returncode != 0:
        sys.exit(f"the concurrency run failed:\n{out.stdout}\n{out.stderr}")
    for line in out.stderr.splitlines():
        if line.startswith("concurrency: decision latency"):
            words = line.replace(",", "").split()
            return {"p50": float(words[4]), "p99": float(words[7]), "max": float(words[10])}
    sys.exit(f"the concurrency run printed no latency:\n{out.stderr}")


def timings(text):
    for line in text.splitlines():
        if line.startswith("{") and "fit_seconds" in line:
            return json.loads(line)
    sys.exit("train printed no timings (OORDEEL_TIMINGS)")


def measure(exe, work, households, events, keys):
    """Every line of the table at one size."""
    got = {}
    db = os.path.join(work, f"demo-{households}.db")
    say = lambda what: print(f"  {households:>9,} households: {what}", file=sys.stderr, flush=True)
    say("demo")
    got["demo"] = measured([exe, "demo", "--households", str(households), "--today", TODAY, "--db", db])
    fresh = db + ".fresh"
    shutil.copy(db, fresh)
    # The console first, while the machine is quiet: after scikit-learn's gigabytes the
    # kernel's page cache no longer holds the database, and a key can wait for the disk.
    say("console, j/k")
    console_db = os.path.join(work, f"console-{households}.db")
    shutil.copy(fresh, console_db)
    # The copies' dirty pages written out first: a decision's fsync must not wait for them.
    os.sync()
    time.sleep(1)
    got["move"] = console([exe, "review", "--db", console_db], keys)
    subprocess.run([exe, "settings", "set", "confirm_within_seconds", "0", "--db", console_db],
                   check=True, capture_output=True)
    say("console, decisions")
    got["decide"] = console([exe, "review", "--db", console_db], keys, key="a")
    say("score")
    got["score"] = measured([exe, "score", "--db", db])
    say("train")
    got["train"] = measured([exe, "train", "--db", db], env={"OORDEEL_TIMINGS": "1"})
    got["fit"] = timings(got["train"][2])
    say("scikit-learn")
    got["sklearn"] = sklearn(fresh)
    say(f"{events:,} log events")
    subprocess.run([sys.executable, os.path.join(HERE, "log_events.py"), fresh, str(events)], check=True)
    say("verify")
    got["verify"] = measured([exe, "verify", "--db", fresh])
    say("export --log")
    got["export"] = measured([exe, "export", "--log", "--out", os.path.join(work, "log.jsonl"), "--db", fresh])
    os.unlink(os.path.join(work, "log.jsonl"))
    # Only on the large caseload: at 2,000 households a team has too few open cases for 32
    # reviewers to decide twenty each, and a worker chosen to be killed may be done first.
    got["concurrency"] = None
    if households > SMALL:
        say("32 reviewer processes, a tenth killed")
        copy = fresh_copy(db, work)
        got["concurrency"] = concurrency(copy)
        os.unlink(copy)
    for path in (db, fresh, console_db):
        for suffix in ("", "-wal", "-shm"):
            if os.path.exists(path + suffix):
                os.unlink(path + suffix)
    return got


def main():
    n = int(os.environ.get("OORDEEL_BENCH_N", "200000"))
    events = int(os.environ.get("OORDEEL_BENCH_EVENTS", "1000000"))
    keys = int(os.environ.get("OORDEEL_BENCH_KEYS", "300"))
    exe = binary()
    keep = os.environ.get("OORDEEL_BENCH_DIR")
    work = keep or tempfile.mkdtemp(prefix="oordeel-scale-")
    os.makedirs(work, exist_ok=True)
    try:
        small = measure(exe, work, SMALL, events, keys)
        large = measure(exe, work, n, events, keys)
    finally:
        if not keep:
            shutil.rmtree(work, ignore_errors=True)

    rows = []

    def line(work, s, l, unit, target, digits=1):
        ratio = f"{l / s:.2f}" if s else "-"
        rows.append((work, f"{s:,.{digits}f} {unit}", f"{l:,.{digits}f} {unit}", ratio, target))

    for name, key, target in [("demo", "demo", "<= 25 s, <= 400 MB at 1M"),
                              ("train, end to end", "train", "<= 5 s, <= 400 MB at 1M"),
                              ("score", "score", "<= 2 s, <= 200 MB at 1M"),
                              (f"verify, {events:,} events", "verify", "<= 3 s, memory flat"),
                              (f"export --log, {events:,} events", "export", "memory flat")]:
        line(name, small[key][0], large[key][0], "s", target, 2)
        line("  peak RSS", small[key][1], large[key][1], "MB", "", 0)
    fit_s, fit_l = small["fit"], large["fit"]
    line(f"fit alone ({fit_l['fit_rows']:,} x {fit_l['columns']})", fit_s["fit_seconds"],
         fit_l["fit_seconds"], "s", "", 3)
    if large["sklearn"]:
        sk_s, sk_l = small["sklearn"], large["sklearn"]
        line(f"  scikit-learn lbfgs ({sk_l['fit_rows']:,} x {sk_l['columns']})",
             sk_s["fit_seconds"], sk_l["fit_seconds"], "s", "", 3)
        rows.append(("  oordeel / scikit-learn", f"{fit_s['fit_seconds'] / sk_s['fit_seconds']:.2f}",
                     f"{fit_l['fit_seconds'] / sk_l['fit_seconds']:.2f}", "", "<= 1.0"))
        rows.append(("  held-out AUC, oordeel / scikit-learn",
                     f"{fit_s['auc']:.4f} / {sk_s['auc']:.4f}", f"{fit_l['auc']:.4f} / {sk_l['auc']:.4f}",
                     "", "same to 0.001"))
    else:
        rows.append(("  scikit-learn", "skipped: numpy or scikit-learn not installed",
                     "(pip install scikit-learn)", "", ""))
    for name, key, target in [("decision, key to frame", "decide", "p50 <= 3 ms, p99 <= 8 ms; 1M/2k <= 1.3"),
                              ("j/k, key to frame", "move", "keep p50 2.3, p99 4.5 ms")]:
        for stat in ("p50", "p99", "max"):
            line(f"{name} {stat}" if stat == "p50" else f"  {stat}", small[key][stat],
                 large[key][stat], "ms", target if stat == "p50" else "", 2)
    if large["concurrency"]:
        for stat in ("p50", "p99", "max"):
            rows.append(("decision, 32 processes (3 killed)" if stat == "p50" else f"  {stat}",
                         "-", f"{large['concurrency'][stat]:,.2f} ms", "",
                         "nothing lost or twice; verify intact" if stat == "p50" else ""))
    line("console first frame", small["move"]["first"], large["move"]["first"], "ms", "", 1)
    line("console peak RSS", small["decide"]["rss"], large["decide"]["rss"], "MB", "", 0)

    header = ("work", f"{SMALL:,} households", f"{n:,} households", "ratio", "target")
    widths = [max(len(r[i]) for r in rows + [header]) for i in range(5)]
    print(" | ".join(h.ljust(w) for h, w in zip(header, widths)))
    print("-+-".join("-" * w for w in widths))
    for r in rows:
        print(" | ".join(c.ljust(w) for c, w in zip(r, widths)))
    if os.environ.get("OORDEEL_BENCH_MARKDOWN"):
        # The same table for the README's section on scale.
        print()
        print("| " + " | ".join(header) + " |")
        print("|" + "|".join("---" for _ in header) + "|")
        for r in rows:
            cells = [c.replace("<=", "≤").replace("|", "/") for c in r]
            # A sub-line (peak RSS, p99, scikit-learn's side) keeps its indent as a mark.
            cells[0] = "· " + cells[0].strip() if cells[0].startswith("  ") else cells[0]
            print("| " + " | ".join(c.strip() or " " for c in cells) + " |")


if __name__ == "__main__":
    main()
