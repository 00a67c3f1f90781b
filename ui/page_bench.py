"""Page timings for `python -m kkmp bench`: run in its own process, it plays the Streamlit server.

`python -m ui.page_bench --db URL` loads the store's snapshot (cold from the database, then
from the caches), runs every page of `ui.nav.PAGES` through AppTest (first run, then a rerun
after choosing an area in the sidebar filter), measures what each page ships (chart, map and
table bytes), and prints one JSON object. Its peak resident memory is the server's.
"""

from __future__ import annotations

import argparse
import gc
import json
import os
import resource
import sys
import time
from collections.abc import Iterator
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
TIMEOUT = 600


def _elements(node: object) -> Iterator[object]:
    children = getattr(node, "children", None)
    if children is None:
        yield node
        return
    for child in children.values():
        yield from _elements(child)


def page_payload(at: object) -> dict[str, int]:
    """Bytes a page sends: plotly specs, deck.gl JSON, tables (Arrow), and every element in all."""
    out = {"chart_bytes": 0, "map_bytes": 0, "table_bytes": 0, "total_bytes": 0, "charts": 0, "maps": 0}
    for element in _elements(at._tree):  # AppTest exposes no public walk
        proto = getattr(element, "proto", None)
        if proto is None or not hasattr(proto, "ByteSize"):
            continue
        size = proto.ByteSize()
        out["total_bytes"] += size
        kind = getattr(element, "type", "")
        if kind == "plotly_chart":
            out["chart_bytes"] += len(proto.spec)
            out["charts"] += 1
        elif kind == "deck_gl_json_chart":
            out["map_bytes"] += len(proto.json)
            out["maps"] += 1
        elif kind in ("dataframe", "arrow_data_frame", "table"):
            out["table_bytes"] += size
    return out


def filter_choice(wilayah: object) -> tuple[str, str] | None:
    """The sidebar filter a user would pick to narrow the view: a mid-list kabupaten/kota, else a kecamatan."""
    from kkmp.wilayah import options
    from ui import state

    for level, key in (("kabupaten_kota", state.FILTER_KABUPATEN), ("kecamatan", state.FILTER_KECAMATAN)):
        names = options(wilayah, level)
        if len(names) > 1:
            return key, names[len(names) // 2]
    return None


def _rss_mb() -> float:
    return round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1)


def _timed_run(run: object) -> tuple[float, float]:
    wall, cpu = time.perf_counter(), time.process_time()
    run()
    return round(time.perf_counter() - wall, 3), round(time.process_time() - cpu, 3)


def measure_page(path: str, first_page: str, choice: tuple[str, str] | None) -> dict[str, object]:
    """First run of `path` in a new session, then a rerun after choosing an area in the sidebar filter.

    The choice is made through session state, as the widget would (AppTest does not keep the
    sidebar of the main script in its tree after switching pages).
    """
    from streamlit.testing.v1 import AppTest

    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=TIMEOUT)
    if path != first_page:
        at.switch_page(path)
    first, first_cpu = _timed_run(at.run)
    result: dict[str, object] = {"page": path, "first_s": first, "first_cpu_s": first_cpu, **page_payload(at)}
    errors = [str(e.value) for e in at.exception]
    if choice is not None:
        key, option = choice
        at.session_state[key] = [option]
        result["rerun_s"], result["rerun_cpu_s"] = _timed_run(at.run)
        result["filter"] = {"key": key, "value": option}
        filtered = page_payload(at)
        result["filtered_chart_bytes"] = filtered["chart_bytes"]
        result["filtered_map_bytes"] = filtered["map_bytes"]
        errors += [str(e.value) for e in at.exception]
    result["errors"] = errors
    result["peak_rss_mb_after"] = _rss_mb()
    return result


def measure(url: str) -> dict[str, object]:
    """Everything the server side does with the store at `url`, timed."""
    os.environ["KKMP_DATABASE_URL"] = url
    os.chdir(ROOT)
    sys.path.insert(0, str(ROOT))
    import streamlit.logger

    streamlit.logger.get_logger("streamlit").setLevel("ERROR")
    from kkmp import arrow_copy
    from kkmp.store import Store
    from ui import data
    from ui.nav import PAGES

    store = Store(url)
    store.create()  # a store built before a dataset was declared gets its table, as the app would do
    identity, rev = store.state()
    out: dict[str, object] = {"revision": rev}
    start, cpu = time.perf_counter(), time.process_time()
    snapshot = store.snapshot(rev)
    out["load_store_s"] = round(time.perf_counter() - start, 3)
    out["load_store_cpu_s"] = round(time.process_time() - cpu, 3)
    out["rows"] = {name: len(frame) for name, frame in snapshot.frames.items()}
    out["frames_mb"] = round(sum(f.memory_usage(deep=True).sum() for f in snapshot.frames.values()) / 2**20, 1)
    del snapshot
    store.dispose()
    gc.collect()
    out["peak_rss_mb_after_load"] = _rss_mb()

    arrow_copy.clear_disk_cache(url)
    start = time.perf_counter()
    data.load_snapshot(url, identity, rev)
    out["load_cold_s"] = round(time.perf_counter() - start, 3)
    data.load_snapshot.clear()
    gc.collect()
    start, cpu = time.perf_counter(), time.process_time()
    data.load_snapshot(url, identity, rev)
    out["load_disk_cache_s"] = round(time.perf_counter() - start, 3)
    out["load_disk_cache_cpu_s"] = round(time.process_time() - cpu, 3)
    out["peak_rss_mb_after_cache"] = _rss_mb()
    start = time.perf_counter()
    data.current_snapshot()
    out["load_cached_s"] = round(time.perf_counter() - start, 4)

    choice = filter_choice(data.current_snapshot()["wilayah"])
    out["pages"] = [measure_page(p.path, PAGES[0].path, choice) for p in PAGES]
    out["peak_rss_mb"] = _rss_mb()
    return out


def main(argv: list[str] | None = None) -> int:
    """Print the measurements of the store given by --db as JSON."""
    parser = argparse.ArgumentParser(prog="python -m ui.page_bench")
    parser.add_argument("--db", required=True)
    args = parser.parse_args(argv)
    print(json.dumps(measure(args.db)))
    return 0


if __name__ == "__main__":
    sys.exit(main())
