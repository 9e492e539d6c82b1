"""Benchmark: event-log funnels, cjm against its peers on the same generated CSV, all as whole processes.

Targets (issue 13), medians of alternating rounds (``BENCH_FUNNEL_REPEAT``/``--repeat``, default 5):
- the first funnel on a new log (``python -m cjm funnel``, an empty data folder: it reads the CSV and
  stores its columnar copy) at most 1.0x the faster peer, peak memory under 1 GB. The peers, run in
  the same rounds on the same file, must give the same counts: a DuckDB SQL funnel (window
  functions) and ClickHouse's ``windowFunnel`` through ``chdb`` (``bench/funnel_peers.py``);
- a repeated funnel on the same log with other steps and window: at most 0.5 s inside the app's
  process (the table in memory; each round a new process finds the stored table, then times six
  other questions: the round's figure is their median) and 1.5 s as a whole ``python -m cjm funnel``
  process (another question each round). Both are medians over the same alternating rounds.

Size: ``BENCH_FUNNEL_EVENTS`` or ``--events`` (default 10,000,000; 200,000 with ``BENCH_SMALL=1``).
``BENCH_HUGE=1`` also runs a 100-million-event log (about 4.4 GB; written once, which takes several
minutes) through cjm once, first and repeated funnel: target peak memory under 4 GB, the time is
printed. Logs are kept in ``.bench/``. Prints one line per figure; exits 1 if counts disagree.
"""

from __future__ import annotations

import argparse
import compileall
import importlib.util
import json
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "scripts"))

STEPS = ["view_product", "add_to_cart", "checkout", "payment", "order_confirmed"]
WINDOW_S = 14 * 86400
#: repeated questions: other steps, windows, modes, a breakdown (none is the first question)
QUESTIONS = [
    dict(steps=["view_product", "add_to_cart", "checkout"], window="7d", mode="ordered"),
    dict(steps=["search", "view_product", "add_to_cart", "payment"], window="2d", mode="ordered"),
    dict(steps=["view_product", "add_to_cart", "checkout", "payment"], window="1d", mode="strict"),
    dict(steps=["add_to_cart", "checkout", "order_confirmed"], window="3d", mode="any"),
    dict(steps=["view_product", "checkout", "order_confirmed"], window="30d", mode="ordered", by="device"),
    dict(steps=["view_product", "add_to_cart", "payment"], window="12h", mode="ordered", exclude=["remove_from_cart"]),
]
TARGET_FIRST, TARGET_FIRST_MB = 1.0, 1000
TARGET_APP_S, TARGET_PROCESS_S = 0.5, 1.5
TARGET_HUGE_MB = 4000


#: CPU seconds (user + system, all threads) of each process run, by what ran: on a machine shared
#: with other work the wall time swings with the load, the CPU time much less
CPU: dict[str, list[float]] = {}


def run(cmd: list[str], env: dict | None = None, who: str | None = None) -> tuple[float, float, str]:
    """Run a whole process: (wall seconds, its peak memory in MB, what it printed)."""
    with tempfile.TemporaryFile() as err:
        t0 = time.perf_counter()
        p = subprocess.Popen(cmd, stdout=subprocess.PIPE, stderr=err, env=env, cwd=ROOT)
        out = p.stdout.read()
        _, status, usage = os.wait4(p.pid, 0)
        seconds = time.perf_counter() - t0
        p.returncode = os.waitstatus_to_exitcode(status)
        if who:
            CPU.setdefault(who, []).append(usage.ru_utime + usage.ru_stime)
        p.stdout.close()
        if p.returncode != 0:
            err.seek(0)
            raise SystemExit(f"{' '.join(cmd)} failed ({p.returncode}): {err.read().decode(errors='replace')}")
    return seconds, usage.ru_maxrss / 1024, out.decode()


def cjm_cmd(path: Path, q: dict) -> list[str]:
    cmd = [sys.executable, "-m", "cjm", "funnel", str(path), "--steps", ",".join(q["steps"])]
    cmd += ["--window", str(q["window"]), "--mode", q.get("mode", "ordered"), "--format", "json"]
    if q.get("by"):
        cmd += ["--by", q["by"]]
    for e in q.get("exclude", ()):
        cmd += ["--exclude", e]
    return cmd


def cjm_counts(out: str) -> list[int]:
    return [s["users"] for s in json.loads(out)["steps"]]


def env_with(data_dir: Path) -> dict:
    return dict(os.environ, CJM_DATA_DIR=str(data_dir), PYTHONPATH=str(ROOT))


def make_log(events: int) -> Path:
    from gen_events import write_events

    path = ROOT / ".bench" / f"events_{events}.csv"
    if not path.exists():
        t0 = time.perf_counter()
        tmp = path.with_suffix(".partial")
        write_events(tmp, events, props=("device",))
        tmp.rename(path)
        print(f"generated {path.name} in {time.perf_counter() - t0:.1f} s")
    return path


def in_app(path: Path) -> int:
    """``--in-app``: what the app's process does: the first question finds the stored table, then
    each repeated question is timed in this process. Prints the seconds of each as JSON."""
    from cjm.funnel.engine import Exclusion, compute_funnel
    from cjm.funnel.readers import read_funnel_file

    log = read_funnel_file(path)
    compute_funnel(log, STEPS, window=f"{WINDOW_S}s")
    import resource

    def cpu() -> float:
        r = resource.getrusage(resource.RUSAGE_SELF)  # every thread of this process
        return r.ru_utime + r.ru_stime

    times, cpus = [], []
    for q in QUESTIONS:
        t0, c0 = time.perf_counter(), cpu()
        compute_funnel(
            log,
            q["steps"],
            mode=q.get("mode", "ordered"),
            window=q["window"],
            by=q.get("by"),
            exclusions=[Exclusion(e) for e in q.get("exclude", ())],
        )
        times.append(time.perf_counter() - t0)
        cpus.append(cpu() - c0)
    json.dump({"times": times, "cpu": cpus}, sys.stdout)
    return 0


def median(xs: list[float]) -> float:
    return statistics.median(xs) if xs else float("nan")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="funnel benchmark: cjm against DuckDB SQL and chdb")
    small = os.environ.get("BENCH_SMALL") == "1"
    default = int(os.environ.get("BENCH_FUNNEL_EVENTS", 200_000 if small else 10_000_000))
    parser.add_argument("--events", type=int, default=default)
    parser.add_argument("--repeat", type=int, default=int(os.environ.get("BENCH_FUNNEL_REPEAT", 5)))
    parser.add_argument("--in-app", type=Path, help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.in_app:
        return in_app(args.in_app)
    path = make_log(args.events)
    # cjm runs from its source folder: its first run on a user's machine leaves its modules compiled
    # (__pycache__), as pip does for an installed package such as chdb. Where PYTHONDONTWRITEBYTECODE
    # is set (as on the development VM) every process would compile them again (about 0.05 s): they
    # are compiled once here, as on a user's machine.
    compileall.compile_dir(ROOT / "cjm", quiet=1)
    print(f"log: {args.events:,} events, {path.stat().st_size / 1e6:.0f} MB CSV; {os.cpu_count()} cores")
    peers = ["duckdb", "chdb"]
    if importlib.util.find_spec("chdb") is None:  # not imported here: children inherit the bench's memory figure
        print("chdb is not installed (pip install -r requirements-dev.txt): ClickHouse left out")
        peers.remove("chdb")
    work = Path(tempfile.mkdtemp(prefix="cjm-bench-"))
    kept = work / "kept"  # the data folder where the log's table stays, for the repeated questions
    ok = True
    try:
        run(cjm_cmd(path, dict(steps=STEPS, window=f"{WINDOW_S}s")), env_with(kept))
        wall: dict[str, list[float]] = {}
        peak: dict[str, float] = {}
        counts: dict[str, list[int]] = {}
        loads = []
        app: list[list[float]] = []  # each round: the seconds of each repeated question inside the process
        app_cpu: list[float] = []
        for r in range(max(1, args.repeat)):  # alternating: load on a shared machine hits all alike
            loads.append(os.getloadavg()[0])
            order = ["cjm first", *peers] if r % 2 == 0 else [*reversed(peers), "cjm first"]
            for who in [*order, "cjm repeated", "cjm in app"]:
                if who == "cjm first":
                    fresh = work / f"fresh{r}"  # an empty data folder: the log is new to cjm
                    s, mb, out = run(cjm_cmd(path, dict(steps=STEPS, window=f"{WINDOW_S}s")), env_with(fresh), who)
                    shutil.rmtree(fresh, ignore_errors=True)
                    got = cjm_counts(out)
                elif who == "cjm repeated":
                    q = QUESTIONS[r % len(QUESTIONS)]
                    s, mb, out = run(cjm_cmd(path, q), env_with(kept), who)
                    got = None
                elif who == "cjm in app":  # a process like the app's: the table in memory, six questions
                    _, mb, out = run([sys.executable, __file__, "--in-app", str(path)], env_with(kept))
                    doc = json.loads(out)
                    app.append(doc["times"])
                    app_cpu.extend(doc["cpu"])
                    s, got = median(doc["times"]), None
                else:
                    cmd = [sys.executable, str(ROOT / "bench" / "funnel_peers.py"), who, str(path)]
                    s, mb, out = run([*cmd, "--steps", ",".join(STEPS), "--window", str(WINDOW_S)], who=who)
                    got = json.loads(out)["counts"]
                wall.setdefault(who, []).append(s)
                peak[who] = max(peak.get(who, 0.0), mb)
                if got is not None:
                    if who in counts and counts[who] != got:
                        print(f"{who}: counts changed between runs: {counts[who]} then {got}")
                        ok = False
                    counts[who] = got
    finally:
        shutil.rmtree(work, ignore_errors=True)
    names = {"cjm first": "cjm, first funnel", "duckdb": "DuckDB SQL funnel", "chdb": "chdb windowFunnel"}
    print(
        f"load average {min(loads):.1f}-{max(loads):.1f} during the rounds; "
        f"medians of {len(wall['cjm first'])} alternating rounds, whole processes"
    )
    for who in ["cjm first", *peers]:
        print(
            f"{names[who]:22s} {median(wall[who]):6.2f} s (CPU {median(CPU[who]):5.2f} s)  peak {peak[who]:5.0f} MB  "
            f"counts {counts[who]}"
        )
    agree = all(counts[p] == counts["cjm first"] for p in peers)
    ok &= agree
    print("counts agree:", "yes" if agree else "NO")
    met = True
    if peers:
        fastest = min(peers, key=lambda p: median(wall[p]))
        ratio = median(wall["cjm first"]) / median(wall[fastest])
        met &= ratio <= TARGET_FIRST
        print(f"first funnel / faster peer ({names[fastest]}): {ratio:.2f}x (target <= {TARGET_FIRST:.1f}x)")
        for p in peers:
            print(
                f"  / {names[p]}: {median(wall['cjm first']) / median(wall[p]):.2f}x "
                f"(CPU time {median(CPU['cjm first']) / median(CPU[p]):.2f}x)"
            )
    met &= peak["cjm first"] < TARGET_FIRST_MB
    print(f"first funnel peak memory: {peak['cjm first']:.0f} MB (target < {TARGET_FIRST_MB} MB)")
    rep = median(wall["cjm repeated"])
    app_s = median(wall["cjm in app"])  # the median over rounds of each round's median question
    met &= rep <= TARGET_PROCESS_S and app_s <= TARGET_APP_S
    peers_line = ", ".join(f"{names[p]} {median(wall[p]):.2f} s" for p in peers)
    print(
        f"repeated funnel on the same log, other steps and window (medians of {len(app)} alternating rounds; "
        f"the peers read the CSV again for every question: {peers_line or 'none run'}):"
    )
    print(
        f"  whole process (python -m cjm funnel): {rep:6.2f} s  target <= {TARGET_PROCESS_S} s  "
        f"{'met' if rep <= TARGET_PROCESS_S else 'MISSED'}  (CPU {median(CPU['cjm repeated']):.2f} s, "
        f"peak {peak['cjm repeated']:.0f} MB)"
    )
    print(
        f"  inside the app's process:             {app_s:6.2f} s  target <= {TARGET_APP_S} s  "
        f"{'met' if app_s <= TARGET_APP_S else 'MISSED'}  (CPU {median(app_cpu):.2f} s)"
    )
    per_question = [median([times[i] for times in app]) for i in range(len(QUESTIONS))]
    print(
        "    per question (median over rounds): "
        + ", ".join(
            f"{q['mode']}{'+' + q['by'] if q.get('by') else ''}{'+exclusion' if q.get('exclude') else ''} {s:.2f} s"
            for q, s in zip(QUESTIONS, per_question, strict=True)
        )
    )
    if os.environ.get("BENCH_HUGE") == "1":
        met &= huge()
    print("funnel bench:", "all targets met" if met and ok else "TARGET MISSED" if ok else "COUNTS DISAGREE")
    return 0 if ok else 1


def make_huge_log() -> Path:
    """The 100-million-event log: the 10-million-event log ten times over, the people of each copy
    renamed (``a…`` to ``j…``), so it is written person by person like the generator's (which
    would take most of an hour for 100M events; this takes a minute or two)."""
    path = ROOT / ".bench" / "events_100000000.csv"
    if not path.exists():
        source = make_log(10_000_000)
        t0 = time.perf_counter()
        tmp = path.with_suffix(".partial")
        with open(tmp, "wb") as out:
            for copy in range(10):
                letter = bytes([97 + copy])
                with open(source, "rb") as f:
                    header = f.readline()
                    if copy == 0:
                        out.write(header)
                    rest = b""
                    while chunk := f.read(1 << 26):
                        chunk = rest + chunk
                        cut = chunk.rfind(b"\n") + 1
                        chunk, rest = chunk[:cut], chunk[cut:]
                        out.write(letter + chunk[:-1].replace(b"\n", b"\n" + letter) + b"\n")
                    if rest:
                        out.write(letter + rest + (b"" if rest.endswith(b"\n") else b"\n"))
        tmp.rename(path)
        print(f"generated {path.name} in {time.perf_counter() - t0:.1f} s")
    return path


def huge() -> bool:
    """The 100-million-event log, once: first funnel (read and stored) and a repeated one."""
    path = make_huge_log()
    print(f"huge log: 100,000,000 events, {path.stat().st_size / 1e9:.1f} GB CSV")
    work = Path(tempfile.mkdtemp(prefix="cjm-bench-huge-"))
    try:
        s, mb, out = run(cjm_cmd(path, dict(steps=STEPS, window=f"{WINDOW_S}s")), env_with(work))
        print(
            f"huge, first funnel: {s:.1f} s, peak {mb:.0f} MB (target < {TARGET_HUGE_MB} MB), counts {cjm_counts(out)}"
        )
        s2, mb2, _ = run(cjm_cmd(path, QUESTIONS[0]), env_with(work))
        print(f"huge, repeated funnel (whole process): {s2:.1f} s, peak {mb2:.0f} MB")
    finally:
        shutil.rmtree(work, ignore_errors=True)
    return mb < TARGET_HUGE_MB and mb2 < TARGET_HUGE_MB


if __name__ == "__main__":
    raise SystemExit(main())
