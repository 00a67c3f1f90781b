"""Opening a new revision: full read vs built from the previous revision's frames (#10, docs/performance.md).

    python scripts/bench_snapshot_delta.py STORE.sqlite [--workdir DIR] [--rows 100000]

Copies the SQLite store into DIR (the original is only read), imports ROWS new `penyaluran` rows as
`python -m kkmp bench` does, then opens the new revision N in fresh processes, each holding revision
N-1's frames (read from their Arrow copy, as a running server holds them in memory):
`full` = `Store.snapshot(N)`, `delta` = `Store.snapshot_since(N-1 frames, N)`, and `ui-memory` /
`ui-disk` = `kkmp.arrow_copy.open_revision` from memory / from the Arrow copy of N-1 (Arrow copy of N written).
Prints one JSON line per run: wall and CPU seconds, peak RSS before and after.
"""

from __future__ import annotations

import argparse
import json
import resource
import shutil
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

MODES = ("full", "delta", "ui-memory", "ui-disk")


def _peak_mb() -> float:
    """This process's peak resident memory (VmHWM: unlike ru_maxrss, not carried over from the parent)."""
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmHWM:"):
            return round(int(line.split()[1]) / 1024)
    return round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024)


def prepare(source: Path, workdir: Path, rows: int) -> Path:
    """A copy of `source` with one more revision: `rows` new distribution rows; N-1's Arrow copy kept aside."""
    from kkmp.bench import import_frame, measure_import
    from kkmp.schema import DATASETS
    from kkmp.store import Store

    workdir.mkdir(parents=True, exist_ok=True)
    db = workdir / "kkmp.sqlite"
    for p in workdir.glob("kkmp.sqlite*"):
        shutil.rmtree(p) if p.is_dir() else p.unlink()
    with sqlite3.connect(f"file:{source}?mode=ro", uri=True) as src, sqlite3.connect(db) as dst:
        src.backup(dst)  # a consistent copy, WAL included
    store = Store(f"sqlite:///{db}")
    base = store.latest_revision()
    frames = store.snapshot(base)
    aside = workdir / "previous"
    shutil.rmtree(aside, ignore_errors=True)
    aside.mkdir()
    for name in DATASETS:
        frames[name].to_feather(aside / f"{name}.arrow")
    csv = workdir / "penyaluran-import.csv"
    import_frame(store, rows).to_csv(csv, index=False)
    result = measure_import(store, csv)
    print(json.dumps({"import": result, "base_revision": base}), flush=True)
    return db


def run(mode: str, db: Path) -> dict[str, object]:
    """Open the latest revision one way, in this process."""
    import pandas as pd

    from kkmp import arrow_copy
    from kkmp.schema import DATASETS
    from kkmp.store import Snapshot, Store

    store = Store(f"sqlite:///{db}")
    rev = store.latest_revision()
    aside = db.parent / "previous"
    cache = arrow_copy.disk_cache_dir(store.url)
    shutil.rmtree(cache, ignore_errors=True)
    previous = None
    if mode != "ui-disk":
        previous = Snapshot(
            rev - 1, {n: pd.read_feather(aside / f"{n}.arrow") for n in DATASETS}, store.meta(rev - 1), store.identity()
        )
    if mode.startswith("ui-"):
        shutil.copytree(aside, cache / arrow_copy.revision_stamp(store.identity(), rev - 1))
    before = _peak_mb()
    wall, cpu = time.perf_counter(), time.process_time()
    if mode == "full":
        snapshot = store.snapshot(rev)
    elif mode == "delta":
        snapshot = store.snapshot_since(previous, rev)
    else:
        snapshot = arrow_copy.open_revision(store, rev, previous if mode == "ui-memory" else None)
    wall, cpu = time.perf_counter() - wall, time.process_time() - cpu
    return {
        "mode": mode,
        "revision": rev,
        "rows": sum(len(f) for f in snapshot.frames.values()),
        "wall_s": round(wall, 2),
        "cpu_s": round(cpu, 2),
        "peak_rss_before_mb": before,
        "peak_rss_mb": _peak_mb(),
    }


def main() -> None:
    """Prepare the copy, then time each mode in its own process."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("store", type=Path)
    parser.add_argument("--workdir", type=Path, default=Path("/tmp/kkmp-delta-bench"))
    parser.add_argument("--rows", type=int, default=100_000)
    parser.add_argument("--repeat", type=int, default=2)
    parser.add_argument("--mode", choices=MODES, help=argparse.SUPPRESS)
    args = parser.parse_args()
    db = args.workdir / "kkmp.sqlite"
    if args.mode:
        print(json.dumps(run(args.mode, db)), flush=True)
        return
    prepare(args.store, args.workdir, args.rows)
    for _ in range(args.repeat):
        for mode in MODES:
            cmd = [sys.executable, __file__, str(args.store), "--workdir", str(args.workdir), "--mode", mode]
            subprocess.run(cmd, check=True)


if __name__ == "__main__":
    main()
