"""The scale benchmark (`python -m kkmp bench`): build a store at a scale, time it, check the targets.

One run measures, on this machine: writing the synthetic data and the store; loading the store
into frames (from the database, from the revision's Arrow copy, from memory); every page's first
run and its rerun after an area is chosen (through AppTest, in a separate process that plays the
server, so its peak memory is the server's); what each page ships; and uploading the way the
Unggah page does (`kkmp.upload.prepare_upload` against the snapshot the page already holds, opened
once beforehand with `kkmp.arrow_copy.open_revision`): a 100,000-row `penyaluran` CSV (read +
validate + preview, then `commit_upload`) and a one-row XLSX (one cooperative with one member more;
the median of three previews). Wall-clock and CPU seconds are both kept: on a shared machine the CPU
seconds say what an idle machine of the same kind would take.
"""

from __future__ import annotations

import json
import os
import platform
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Sequence
from pathlib import Path

import numpy as np
import pandas as pd

from kkmp.access import Editor
from kkmp.arrow_copy import disk_cache_dir, open_revision
from kkmp.demo import DEFAULT_SEED, SATUAN_KOMODITAS, write_demo_data
from kkmp.export import export_xlsx
from kkmp.ingest import Limits
from kkmp.plausibility import today_wita
from kkmp.sample import init_store
from kkmp.schema import KOMODITAS, get_dataset
from kkmp.store import Snapshot, Store
from kkmp.upload import UploadPlan, commit_upload, prepare_upload

ROOT = Path(__file__).resolve().parents[1]
IMPORT_DATASET = "penyaluran"
ONE_ROW_DATASET = "koperasi"
ONE_ROW_RUNS = 3
#: Who the benchmark writes as: an administrator (no area limit), as `python -m kkmp import` without --as-editor.
BENCH_EDITOR = Editor("bench (administrator)")

#: The targets of issues #10 and #19, on a 2-core machine at national scale.
TARGETS = {
    "rerun_s": 1.0,
    "first_s": 5.0,
    "ratio_national_city": 3.0,
    "payload_mb": 5.0,
    "import_validate_preview_s": 10.0,
    "peak_rss_mb": 1536.0,
    "one_row_ratio_national_city": 1.5,
}


def machine() -> dict[str, object]:
    """Cores, memory, load and software of this machine."""
    mem_kb = 0
    meminfo = Path("/proc/meminfo")
    if meminfo.exists():
        for line in meminfo.read_text().splitlines():
            if line.startswith("MemTotal:"):
                mem_kb = int(line.split()[1])
    load = os.getloadavg() if hasattr(os, "getloadavg") else (0.0, 0.0, 0.0)
    return {
        "cores": os.cpu_count(),
        "memory_gb": round(mem_kb / 2**20, 1),
        "load_avg_1m": round(load[0], 2),
        "python": platform.python_version(),
        "pandas": pd.__version__,
        "platform": platform.platform(terse=True),
    }


def _timed(fn: Callable[[], object]) -> tuple[object, float, float]:
    wall, cpu = time.perf_counter(), time.process_time()
    value = fn()
    return value, round(time.perf_counter() - wall, 3), round(time.process_time() - cpu, 3)


def import_frame(store: Store, rows: int, seed: int = DEFAULT_SEED) -> pd.DataFrame:
    """`rows` new monthly distribution rows for the store's cooperatives, in the months after its data."""
    koperasi = store.read("koperasi")["id_koperasi"].to_numpy()
    last = store.read(IMPORT_DATASET)["bulan"].max()
    start = (pd.Timestamp(last) if pd.notna(last) else pd.Timestamp("2026-01-01")) + pd.offsets.MonthBegin(1)
    per_month = len(koperasi) * len(KOMODITAS)
    months = pd.date_range(start, periods=max(1, -(-rows // per_month)), freq="MS")
    i = np.arange(rows)
    rng = np.random.default_rng(seed)
    goods = np.array(KOMODITAS)[i % len(KOMODITAS)]
    return pd.DataFrame(
        {
            "id_koperasi": koperasi[(i // len(KOMODITAS)) % len(koperasi)],
            "bulan": months[i // per_month].strftime("%Y-%m-%d"),
            "komoditas": goods,
            "jumlah": rng.integers(1, 2000, rows),
            "satuan": [SATUAN_KOMODITAS[g][0] for g in goods],
            "mitra": [SATUAN_KOMODITAS[g][1] for g in goods],
        }
    )


def open_snapshot(store: Store) -> Snapshot:
    """The latest revision as a fresh server's Unggah page holds it (`open_revision`, no earlier snapshot)."""
    return open_revision(store, store.latest_revision(), None, store.identity())


def _checked_plan(plan: UploadPlan, what: str) -> UploadPlan:
    if not plan.accepted:
        raise RuntimeError(f"bench {what} did not validate: {plan.report.errors[:3]}")
    return plan


def measure_import(store: Store, csv_path: Path, snapshot: Snapshot | None = None) -> dict[str, object]:
    """Upload the CSV as the page does (`prepare_upload` against `snapshot`), then `commit_upload`; seconds for each.

    `snapshot` is the one the page already holds (default: opened here with `open_snapshot`, untimed).
    The row cap is raised to the file's size: the deployed default (KKMP_UPLOAD_MAX_ROWS) is 50,000.
    """
    if snapshot is None:
        snapshot = open_snapshot(store)
    files = [(csv_path.name, csv_path.read_bytes())]  # the page holds the uploaded bytes in memory
    data = files[0][1]
    limits = Limits(
        max_bytes=max(Limits().max_bytes, len(data)), max_rows=max(Limits().max_rows, data.count(b"\n") + 1)
    )
    today = today_wita()
    plan, wall, cpu = _timed(lambda: prepare_upload(files, store, snapshot=snapshot, limits=limits, today=today))
    plan = _checked_plan(plan, "import")
    # Odd values would need the editor's confirmation on the page (`--confirm` on the CLI): given here.
    result, c_wall, c_cpu = _timed(lambda: commit_upload(plan, store, editor=BENCH_EDITOR, confirmed=True))
    return {
        "path": "prepare_upload + commit_upload",
        "rows": plan.counts.get(IMPORT_DATASET, 0),
        "added": len(plan.diffs[IMPORT_DATASET].added),
        "to_confirm": len(plan.report.to_confirm),
        "validate_preview_s": wall,
        "validate_preview_cpu_s": cpu,
        "commit_s": c_wall,
        "commit_cpu_s": c_cpu,
        "revision": result.revision,
    }


def one_row_file(snapshot: Snapshot) -> tuple[str, bytes]:
    """One cooperative of `snapshot` with one member more, as the XLSX a user exports, edits and uploads."""
    koperasi = snapshot.frames[ONE_ROW_DATASET]
    members = koperasi["jumlah_anggota"].astype("Float64").fillna(-1)
    row = koperasi.iloc[[int(members.to_numpy().argmax())]].copy()  # the largest: +1 stays far from a warning
    row["jumlah_anggota"] = row["jumlah_anggota"] + 1
    return f"{ONE_ROW_DATASET}.xlsx", export_xlsx(get_dataset(ONE_ROW_DATASET), row)


def measure_one_row(store: Store, snapshot: Snapshot, runs: int = ONE_ROW_RUNS) -> dict[str, object]:
    """Preview a one-row XLSX upload (`one_row_file`) through `prepare_upload` against `snapshot`; median of `runs`."""
    name, data = one_row_file(snapshot)
    today = today_wita()
    walls, cpus = [], []
    for _ in range(runs):
        plan, wall, cpu = _timed(lambda: prepare_upload([(name, data)], store, snapshot=snapshot, today=today))
        plan = _checked_plan(plan, "one-row upload")
        if plan.needs_confirmation or plan.diffs[ONE_ROW_DATASET].counts()["changed"] != 1:
            raise RuntimeError(f"bench one-row upload is not one plain change: {plan.summary()}")
        walls.append(wall)
        cpus.append(cpu)
    return {
        "dataset": ONE_ROW_DATASET,
        "file": name,
        "bytes": len(data),
        "runs": runs,
        "one_row_preview_s": round(statistics.median(walls), 3),
        "one_row_preview_cpu_s": round(statistics.median(cpus), 3),
        "runs_s": walls,
        "runs_cpu_s": cpus,
    }


def measure_pages(url: str) -> dict[str, object]:
    """Run `ui.page_bench` in its own process (the stand-in server) and return its measurements."""
    env = {**os.environ, "PYTHONPATH": str(ROOT), "KKMP_DATABASE_URL": url}
    start = time.perf_counter()
    proc = subprocess.run(
        [sys.executable, "-m", "ui.page_bench", "--db", url],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )
    if proc.returncode != 0:
        raise RuntimeError(f"page bench failed:\n{proc.stderr[-4000:]}")
    out = json.loads(proc.stdout.strip().splitlines()[-1])
    out["process_s"] = round(time.perf_counter() - start, 1)
    return out


def run_bench(
    scale: str,
    workdir: Path | None = None,
    *,
    seed: int = DEFAULT_SEED,
    import_rows: int = 100_000,
    pages: bool = True,
    reuse: bool = True,
    one_row: bool = True,
) -> dict[str, object]:
    """Build (or reuse) a store at `scale` under `workdir` and measure it; returns the results."""
    workdir = workdir or Path(tempfile.gettempdir()) / "kkmp-bench"
    base = workdir / f"{scale}-{seed}"
    data_dir, db = base / "data", base / "kkmp.sqlite"
    url = f"sqlite:///{db}"
    result: dict[str, object] = {"scale": scale, "seed": seed, "machine": machine(), "store": url}
    ready = base / "READY"
    if not (reuse and ready.exists() and db.exists()):
        shutil.rmtree(base, ignore_errors=True)
        base.mkdir(parents=True)
        counts, wall, cpu = _timed(lambda: write_demo_data(data_dir, scale, seed))
        result["demo_data"] = {"s": wall, "cpu_s": cpu, "rows": counts}
        store = Store(url)
        _, wall, cpu = _timed(
            lambda: init_store(store, force=True, wilayah_file=data_dir / "wilayah.csv", sample_dir=data_dir)
        )
        store.dispose()
        result["init"] = {"s": wall, "cpu_s": cpu, "db_mb": round(db.stat().st_size / 2**20, 1)}
        ready.write_text("ok\n")
    if pages:
        result["server"] = measure_pages(url)
    if import_rows or one_row:
        # Upload into a copy so the benchmark store stays as generated and can be reused.
        copy = base / "import.sqlite"
        shutil.copyfile(db, copy)
        store = Store(f"sqlite:///{copy}")
        store.create()
        source_cache, copy_cache = disk_cache_dir(url), disk_cache_dir(store.url)
        shutil.rmtree(copy_cache, ignore_errors=True)
        if source_cache.exists():  # the same history: its Arrow copy is what a fresh server opens
            shutil.copytree(source_cache, copy_cache)
        snapshot, wall, cpu = _timed(lambda: open_snapshot(store))
        result["upload_snapshot"] = {"s": wall, "cpu_s": cpu, "revision": snapshot.revision}
        if one_row:
            result["one_row"] = measure_one_row(store, snapshot)
        if import_rows:
            csv_path = base / f"{IMPORT_DATASET}-import.csv"
            import_frame(store, import_rows, seed).to_csv(csv_path, index=False)
            result["import"] = measure_import(store, csv_path, snapshot)
            csv_path.unlink(missing_ok=True)
        del snapshot
        store.dispose()
        copy.unlink(missing_ok=True)
        shutil.rmtree(copy_cache, ignore_errors=True)
    return result


def _pages(result: dict) -> list[dict]:
    return result.get("server", {}).get("pages", [])


def check_targets(national: dict, city: dict | None = None) -> dict[str, dict[str, object]]:
    """Each target of issues #10 and #19: the measured value (wall-clock and CPU seconds) and whether it is met.

    `ok` judges the wall-clock value; `ok_cpu` the CPU seconds, which is what an idle machine of the
    same kind would take when the measuring machine is shared. The national ÷ city ratio is taken over
    the sum of every page's rerun (the whole dashboard), per-page ratios are listed beside it. The
    one-row upload's national ÷ city ratio (#19) is checked only when both scales measured it.
    """
    pages = _pages(national)
    checks: dict[str, dict[str, object]] = {}

    def add(name: str, value: float, cpu: float | None = None, **extra: object) -> None:
        target = TARGETS[name]
        checks[name] = {"value": value, "cpu": cpu, "target": target, "ok": value <= target, **extra}
        checks[name]["ok_cpu"] = (cpu if cpu is not None else value) <= target

    if pages:
        worst_rerun = max(pages, key=lambda p: p.get("rerun_s", 0.0))
        worst_first = max(pages, key=lambda p: p["first_s"])
        add("rerun_s", worst_rerun.get("rerun_s", 0.0), worst_rerun.get("rerun_cpu_s"), page=worst_rerun["page"])
        add("first_s", worst_first["first_s"], worst_first.get("first_cpu_s"), page=worst_first["page"])
        worst_payload = max(pages, key=lambda p: p["chart_bytes"] + p["map_bytes"])
        payload = round((worst_payload["chart_bytes"] + worst_payload["map_bytes"]) / 2**20, 2)
        add("payload_mb", payload, page=worst_payload["page"])
        add("peak_rss_mb", national["server"]["peak_rss_mb"])
        if city and _pages(city):
            by_page = {p["page"]: p for p in _pages(city)}
            both = [
                (p, by_page[p["page"]]) for p in pages if "rerun_s" in p and "rerun_s" in by_page.get(p["page"], {})
            ]
            if both:
                wall = sum(n["rerun_s"] for n, _ in both) / max(sum(c["rerun_s"] for _, c in both), 1e-3)
                cpu = sum(n["rerun_cpu_s"] for n, _ in both) / max(sum(c["rerun_cpu_s"] for _, c in both), 1e-3)
                per_page = {n["page"]: round(n["rerun_cpu_s"] / max(c["rerun_cpu_s"], 1e-3), 2) for n, c in both}
                add("ratio_national_city", round(wall, 2), round(cpu, 2), per_page_cpu=per_page)
    if "import" in national:
        add(
            "import_validate_preview_s",
            national["import"]["validate_preview_s"],
            national["import"]["validate_preview_cpu_s"],
        )
    if city and "one_row" in national and "one_row" in city:
        n, c = national["one_row"], city["one_row"]
        add(
            "one_row_ratio_national_city",
            round(n["one_row_preview_s"] / max(c["one_row_preview_s"], 1e-3), 2),
            round(n["one_row_preview_cpu_s"] / max(c["one_row_preview_cpu_s"], 1e-3), 2),
            detail=f"national {n['one_row_preview_s']} s, city {c['one_row_preview_s']} s",
        )
    return checks


def _mb(n: int) -> str:
    return f"{n / 2**20:.2f}"


def render_table(results: Sequence[dict]) -> str:
    """The results side by side, one column per scale (Markdown table)."""
    names = [r["scale"] for r in results]
    rows: list[tuple[str, list[str]]] = []

    def row(label: str, get: Callable[[dict], object]) -> None:
        values = []
        for r in results:
            try:
                v = get(r)
            except (KeyError, TypeError, IndexError):
                v = None
            values.append("—" if v is None else str(v))
        rows.append((label, values))

    row("rows (all datasets)", lambda r: f"{sum(r['server']['rows'].values()):,}")
    row("desa/kelurahan", lambda r: f"{r['server']['rows']['wilayah']:,}")
    row("koperasi", lambda r: f"{r['server']['rows']['koperasi']:,}")

    def both(wall: object, cpu: object) -> str:
        return f"{wall} ({cpu})"

    row("demo-data s", lambda r: both(r["demo_data"]["s"], r["demo_data"]["cpu_s"]))
    row("init (store write) s", lambda r: both(r["init"]["s"], r["init"]["cpu_s"]))
    row("load store→frames, database s", lambda r: both(r["server"]["load_store_s"], r["server"]["load_store_cpu_s"]))
    row("load, cold (db + Arrow copy) s", lambda r: r["server"]["load_cold_s"])
    row(
        "load, Arrow copy on disk s",
        lambda r: both(r["server"]["load_disk_cache_s"], r["server"]["load_disk_cache_cpu_s"]),
    )
    row("load, in memory (rerun) s", lambda r: r["server"]["load_cached_s"])
    row("frames in memory MB", lambda r: r["server"]["frames_mb"])
    page_names = []
    for r in results:
        for p in _pages(r):
            if p["page"] not in page_names:
                page_names.append(p["page"])
    for page in page_names:
        short = Path(page).stem

        def pick(r: dict, page: str = page) -> dict:
            return next(p for p in _pages(r) if p["page"] == page)

        row(f"{short}: first run s", lambda r, pick=pick: both(pick(r)["first_s"], pick(r)["first_cpu_s"]))
        row(f"{short}: rerun after filter s", lambda r, pick=pick: both(pick(r)["rerun_s"], pick(r)["rerun_cpu_s"]))
        row(f"{short}: charts+maps MB", lambda r, pick=pick: _mb(pick(r)["chart_bytes"] + pick(r)["map_bytes"]))
        row(f"{short}: all elements MB", lambda r, pick=pick: _mb(pick(r)["total_bytes"]))
    row(
        "upload: page's snapshot opened (untimed in uploads) s",
        lambda r: both(r["upload_snapshot"]["s"], r["upload_snapshot"]["cpu_s"]),
    )
    row(
        "one-row upload preview s (median of 3)",
        lambda r: both(r["one_row"]["one_row_preview_s"], r["one_row"]["one_row_preview_cpu_s"]),
    )
    row("import rows", lambda r: f"{r['import']['rows']:,}")
    row(
        "import validate + preview s (prepare_upload)",
        lambda r: both(r["import"]["validate_preview_s"], r["import"]["validate_preview_cpu_s"]),
    )
    row("import commit s (commit_upload)", lambda r: both(r["import"]["commit_s"], r["import"]["commit_cpu_s"]))
    row("server peak memory MB", lambda r: r["server"]["peak_rss_mb"])
    m = results[0]["machine"]
    lines = [
        "Seconds are wall-clock, with the process's CPU seconds in brackets (on a busy machine the CPU",
        "seconds are close to what an idle machine of the same kind takes).",
        f"Machine: {m['cores']} cores, {m['memory_gb']} GB, load {m['load_avg_1m']}, Python {m['python']}, "
        f"pandas {m['pandas']}",
        "",
        "| measure | " + " | ".join(names) + " |",
        "| --- | " + " | ".join("---:" for _ in names) + " |",
    ]
    lines += [f"| {label} | " + " | ".join(values) + " |" for label, values in rows]
    errors = [(r["scale"], p["page"], p["errors"]) for r in results for p in _pages(r) if p.get("errors")]
    for scale, page, errs in errors:
        lines.append(f"\nERROR {scale} {page}: {errs[0][:300]}")
    return "\n".join(lines)


def render_targets(checks: dict[str, dict[str, object]]) -> str:
    """The targets as lines: wall-clock verdict, CPU-seconds verdict, name, values and target."""
    lines = []
    for name, c in checks.items():
        cpu = "" if c.get("cpu") is None else f", CPU {c['cpu']}"
        verdict = ("ok  " if c["ok"] else "MISS") + " / " + ("ok  " if c["ok_cpu"] else "MISS")
        where = f" [{Path(c['page']).stem}]" if c.get("page") else ""
        where += f" [{c['detail']}]" if c.get("detail") else ""
        lines.append(f"{verdict} {name}: {c['value']}{cpu} (≤ {c['target']}){where}")
    return "wall / CPU\n" + "\n".join(lines)
