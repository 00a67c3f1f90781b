"""Bounded load test on loopback: many dashboard sessions read while an import commits.

Starts one or more Streamlit app servers on 127.0.0.1 against one store, opens SESSIONS sessions
over Streamlit's own websocket protocol (what a browser tab does: ask for a script run, receive the
page), runs every session ROUNDS times, commits an import into the store while they run, and
reports errors and response times (p50/p95). Everything is bounded: a fixed number of runs, a
timeout per run, and a deadline for the whole test; the servers are stopped at the end.

    python scripts/load_test.py --db sqlite:////tmp/kkmp-load.sqlite --sessions 20 --rounds 3
    python scripts/load_test.py --db postgresql+psycopg://... --servers 2 --json out.json
"""

from __future__ import annotations

import argparse
import asyncio
import concurrent.futures
import json
import os
import socket
import statistics
import subprocess
import sys
import time
import urllib.request
from dataclasses import asdict, dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

import pandas as pd  # noqa: E402
import websockets  # noqa: E402
from streamlit.proto.BackMsg_pb2 import BackMsg  # noqa: E402
from streamlit.proto.ForwardMsg_pb2 import ForwardMsg  # noqa: E402

from kkmp.sample import init_store  # noqa: E402
from kkmp.store import CommitInfo, Store, safe_url  # noqa: E402

RUN_TIMEOUT = 180.0  # seconds one page run may take before it counts as an error
DEADLINE = 900.0  # seconds for the whole test


@dataclass
class LoadReport:
    """What the load test saw."""

    database: str
    servers: int
    sessions: int
    rounds: int
    runs: int = 0
    errors: list[str] = field(default_factory=list)
    times_ms: list[float] = field(default_factory=list)
    revision_before: int = 0
    revision_after: int = 0
    commit_ms: float = 0.0
    runs_during_commit: int = 0
    servers_showing_new_revision: int = 0
    wall_s: float = 0.0
    intervals: list[tuple[float, float]] = field(default_factory=list)
    commit_interval: tuple[float, float] = (0.0, 0.0)

    @property
    def p50_ms(self) -> float:
        """Median response time of a page run."""
        return statistics.median(self.times_ms) if self.times_ms else float("nan")

    @property
    def p95_ms(self) -> float:
        """95th percentile response time of a page run."""
        if len(self.times_ms) < 2:
            return self.times_ms[0] if self.times_ms else float("nan")
        return statistics.quantiles(self.times_ms, n=20, method="inclusive")[18]

    def as_dict(self) -> dict:
        """The report as plain data (for --json)."""
        out = asdict(self)
        for name in ("times_ms", "intervals", "commit_interval"):
            out.pop(name)
        out.update(
            p50_ms=round(self.p50_ms, 1), p95_ms=round(self.p95_ms, 1), max_ms=round(max(self.times_ms or [0]), 1)
        )
        return out


def free_port() -> int:
    """A free TCP port on loopback."""
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def start_server(db_url: str, port: int, log: Path) -> subprocess.Popen:
    """Start `streamlit run app.py` on 127.0.0.1:port against `db_url`."""
    env = {**os.environ, "KKMP_DATABASE_URL": db_url, "KKMP_SAMPLE_ON_FIRST_RUN": "0"}
    cmd = [
        sys.executable,
        "-m",
        "streamlit",
        "run",
        "app.py",
        "--server.port",
        str(port),
        "--server.address",
        "127.0.0.1",
        "--server.headless",
        "true",
        "--browser.gatherUsageStats",
        "false",
        "--server.fileWatcherType",
        "none",
    ]
    return subprocess.Popen(cmd, cwd=ROOT, env=env, stdout=log.open("wb"), stderr=subprocess.STDOUT)


def wait_healthy(port: int, proc: subprocess.Popen, timeout: float = 120) -> None:
    """Wait until the server answers its health check."""
    end = time.monotonic() + timeout
    while time.monotonic() < end:
        if proc.poll() is not None:
            raise RuntimeError(f"server on port {port} exited with {proc.returncode}")
        try:
            with urllib.request.urlopen(f"http://127.0.0.1:{port}/_stcore/health", timeout=2) as r:
                if r.status == 200:
                    return
        except OSError:
            pass
        time.sleep(0.3)
    raise RuntimeError(f"server on port {port} not healthy after {timeout} s")


def _texts(msg: ForwardMsg) -> list[str]:
    element = msg.delta.new_element
    kind = element.WhichOneof("type")
    if kind == "markdown":
        return [element.markdown.body]
    if kind == "text":
        return [element.text.body]
    return []


async def run_page(ws, query: str = "") -> tuple[float, list[str], list[str]]:
    """Ask for one script run and read until it finishes: (milliseconds, errors, texts shown)."""
    back = BackMsg()
    back.rerun_script.query_string = query
    back.rerun_script.page_script_hash = ""
    start = time.perf_counter()
    await ws.send(back.SerializeToString())
    errors: list[str] = []
    texts: list[str] = []
    while True:
        raw = await asyncio.wait_for(ws.recv(), timeout=RUN_TIMEOUT)
        msg = ForwardMsg()
        msg.ParseFromString(raw)
        kind = msg.WhichOneof("type")
        if kind == "delta" and msg.delta.WhichOneof("type") == "new_element":
            element = msg.delta.new_element
            if element.WhichOneof("type") == "exception":
                errors.append(f"{element.exception.type}: {element.exception.message}")
            texts.extend(_texts(msg))
        elif kind == "script_finished":
            if msg.script_finished not in (ForwardMsg.FINISHED_SUCCESSFULLY, ForwardMsg.FINISHED_EARLY_FOR_RERUN):
                errors.append(f"script finished with status {msg.script_finished}")
            return (time.perf_counter() - start) * 1000, errors, texts


async def session(index: int, port: int, rounds: int, report: LoadReport, started: asyncio.Event) -> str:
    """One dashboard session: connect, run the page `rounds` times; returns the last page's text."""
    url = f"ws://127.0.0.1:{port}/_stcore/stream"
    last = ""
    try:
        async with websockets.connect(
            url,
            subprotocols=["streamlit"],
            origin=f"http://127.0.0.1:{port}",
            max_size=64 * 1024 * 1024,
            open_timeout=60,
        ) as ws:
            for r in range(rounds):
                if r == 1:
                    started.set()
                t0 = time.perf_counter()
                ms, errors, texts = await run_page(ws)
                report.runs += 1
                report.intervals.append((t0, time.perf_counter()))
                report.times_ms.append(ms)
                report.errors.extend(f"sessi {index}: {e}" for e in errors)
                last = "\n".join(texts)
    except Exception as exc:  # any failure of a session counts as an error, never stops the test
        report.errors.append(f"sessi {index}: {type(exc).__name__}: {exc}")
    return last


def commit_import(store: Store) -> CommitInfo:
    """An import like a staff upload: new member counts for every cooperative."""
    kop = store.read("koperasi")
    change = kop[["id_koperasi"]].copy()
    change["jumlah_anggota"] = pd.array(range(500, 500 + len(kop)), dtype="Int64")
    info = CommitInfo(pengguna="uji-beban", catatan="impor selama uji beban", nama_file="anggota.xlsx")
    store.commit({"koperasi": change}, info)
    return info


async def drive(ports: list[int], store: Store, report: LoadReport, commit: bool) -> list[str]:
    """Run every session; commit once the sessions are past their first page."""
    started = asyncio.Event()

    async def committer() -> None:
        await started.wait()
        t0 = time.perf_counter()
        await asyncio.to_thread(commit_import, store)
        t1 = time.perf_counter()
        report.commit_ms = round((t1 - t0) * 1000, 1)
        report.commit_interval = (t0, t1)

    tasks = [
        asyncio.create_task(session(i, ports[i % len(ports)], report.rounds, report, started))
        for i in range(report.sessions)
    ]
    if commit:
        tasks.append(asyncio.create_task(committer()))
    await asyncio.wait_for(asyncio.gather(*tasks), timeout=DEADLINE)
    c0, c1 = report.commit_interval
    report.runs_during_commit = sum(a < c1 and b > c0 for a, b in report.intervals)
    # afterwards a new session on every server must show the revision the import wrote
    checks = [session(-1 - i, port, 1, LoadReport("", 0, 0, 0), asyncio.Event()) for i, port in enumerate(ports)]
    return list(await asyncio.wait_for(asyncio.gather(*checks), timeout=DEADLINE))


def _run_in_own_thread(coro):
    """asyncio.run in a fresh thread, so a caller with a running event loop (a test session) is no bother."""
    with concurrent.futures.ThreadPoolExecutor(max_workers=1) as pool:
        return pool.submit(asyncio.run, coro).result()


def run_load_test(
    db_url: str, *, sessions: int = 20, rounds: int = 3, servers: int = 1, commit: bool = True, log_dir: Path
) -> LoadReport:
    """Start the servers, run the sessions with an import committing meanwhile, stop the servers."""
    log_dir.mkdir(parents=True, exist_ok=True)
    store = Store(db_url)
    store.create()
    if store.latest_revision() == 0:
        init_store(store, sample=True)
    report = LoadReport(safe_url(db_url), servers, sessions, rounds, revision_before=store.latest_revision())
    ports = [free_port() for _ in range(servers)]
    procs = [start_server(db_url, p, log_dir / f"streamlit-{p}.log") for p in ports]
    try:
        for p, proc in zip(ports, procs, strict=True):
            wait_healthy(p, proc)
        t0 = time.perf_counter()
        texts = _run_in_own_thread(drive(ports, store, report, commit))
        report.wall_s = round(time.perf_counter() - t0, 1)
    finally:
        for proc in procs:
            proc.terminate()
        for proc in procs:
            try:
                proc.wait(timeout=20)
            except subprocess.TimeoutExpired:
                proc.kill()
                proc.wait()
    report.revision_after = store.latest_revision()
    marker = f"Revisi data {report.revision_after}"
    report.servers_showing_new_revision = sum(marker in t for t in texts)
    store.dispose()
    return report


def main() -> int:
    """Command line of the load test."""
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--db", required=True, help="store URL (a sample is written when it is empty)")
    p.add_argument("--sessions", type=int, default=20)
    p.add_argument("--rounds", type=int, default=3)
    p.add_argument("--servers", type=int, default=1)
    p.add_argument("--no-commit", action="store_true", help="only read, no import during the test")
    p.add_argument("--json", type=Path, help="write the report as JSON here")
    p.add_argument("--logs", type=Path, default=Path("artifacts/load"), help="folder for the servers' logs")
    args = p.parse_args()
    report = run_load_test(
        args.db,
        sessions=args.sessions,
        rounds=args.rounds,
        servers=args.servers,
        commit=not args.no_commit,
        log_dir=args.logs,
    )
    data = report.as_dict()
    print(json.dumps(data, indent=2, ensure_ascii=False))
    if args.json:
        args.json.write_text(json.dumps(data, indent=2, ensure_ascii=False), encoding="utf-8")
    ok = not report.errors and report.runs == args.sessions * args.rounds
    return 0 if ok and report.servers_showing_new_revision == args.servers else 1


if __name__ == "__main__":
    raise SystemExit(main())
