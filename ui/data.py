"""Cached access to the store. Caches are keyed by the store's revision, so a new upload shows at once.

Two layers: `st.cache_resource` keeps one read-only snapshot per (url, revision) in memory for
every session; below it an Arrow (Feather) copy of each revision's frames on disk lets a
restarted server come back in a fraction of the time a full read of the database takes.

A revision seen for the first time is built from an earlier one when this server holds it (in
memory, or its Arrow copy on disk) plus the rows the revisions since changed
(`Store.snapshot_since`); only without such a base is the whole store read.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import os
import shutil
import threading
import weakref
from pathlib import Path

import pandas as pd
import sqlalchemy as sa
import streamlit as st

from kkmp.metrics import builds_frame
from kkmp.sample import open_store
from kkmp.schema import DATASETS
from kkmp.settings import Settings, load_settings
from kkmp.store import Snapshot, Store

DISK_CACHE_KEEP = 2


@st.cache_resource(show_spinner=False)
def get_settings() -> Settings:
    """Settings from the environment, read once per server."""
    return load_settings()


@st.cache_resource(show_spinner=False)
def get_store(url: str) -> Store:
    """The store at `url`, created (with the sample on first run) once per server."""
    return open_store(Settings(**{**get_settings().__dict__, "database_url": url}))


def disk_cache_dir(url: str) -> Path:
    """Where the Arrow copies of a store's revisions live: beside a SQLite file, else under var/cache."""
    configured = os.environ.get("KKMP_CACHE_DIR")
    if configured:
        return Path(configured) / hashlib.sha1(url.encode()).hexdigest()[:12]
    parsed = sa.engine.make_url(url)
    if parsed.drivername.startswith("sqlite") and parsed.database and parsed.database != ":memory:":
        db = Path(parsed.database)
        return db.parent / f"{db.name}.cache"
    return Path("var") / "cache" / hashlib.sha1(url.encode()).hexdigest()[:12]


def clear_disk_cache(url: str) -> None:
    """Forget every Arrow copy of the store at `url`."""
    shutil.rmtree(disk_cache_dir(url), ignore_errors=True)


def _stamp(store: Store, revision: int) -> str:
    created = store.revision_created(revision)
    return f"r{revision}-" + hashlib.sha1(str(created).encode()).hexdigest()[:10]


def _read_disk(folder: Path) -> dict[str, pd.DataFrame] | None:
    try:
        return {name: pd.read_feather(folder / f"{name}.arrow") for name in DATASETS}
    except (OSError, ValueError):
        return None


def _write_disk(
    base: Path, folder: Path, frames: dict[str, pd.DataFrame], reuse: dict[str, Path] | None = None
) -> None:
    """Write the Arrow copy of a revision; `reuse` names files of an earlier copy holding the same frame."""
    tmp = base / f".tmp-{os.getpid()}-{threading.get_ident()}-{folder.name}"
    try:
        tmp.mkdir(parents=True, exist_ok=True)
        for name, frame in frames.items():
            target = tmp / f"{name}.arrow"
            source = (reuse or {}).get(name)
            if source is not None and _link(source, target):
                continue
            frame.reset_index(drop=True).to_feather(target)
        if folder.exists():
            shutil.rmtree(tmp, ignore_errors=True)
        else:
            tmp.rename(folder)
        old = sorted((p for p in base.glob("r*-*") if p != folder), key=lambda p: p.stat().st_mtime)
        for p in old[: max(0, len(old) - (DISK_CACHE_KEEP - 1))]:
            shutil.rmtree(p, ignore_errors=True)
    except OSError:  # a read-only disk only costs speed
        shutil.rmtree(tmp, ignore_errors=True)


def _link(source: Path, target: Path) -> bool:
    """Hard-link (else copy) an unchanged dataset's Arrow file into a new revision's copy."""
    try:
        os.link(source, target)
    except OSError:
        try:
            shutil.copyfile(source, target)
        except OSError:
            return False
    return True


def _disk_base(store: Store, base: Path, revision: int) -> tuple[Snapshot, Path] | None:
    """The newest Arrow copy of a revision before `revision` still valid for this store, and its folder."""
    earlier = []
    for folder in base.glob("r*-*"):
        head = folder.name[1:].split("-", 1)[0]
        if head.isdigit() and int(head) < revision:
            earlier.append((int(head), folder))
    for rev, folder in sorted(earlier, reverse=True):
        if folder.name != _stamp(store, rev):  # the store was re-made since: not its history
            continue
        frames = _read_disk(folder)
        if frames is not None:
            return Snapshot(rev, frames, store.meta(rev)), folder
    return None


def read_snapshot(store: Store, revision: int, previous: Snapshot | None = None) -> Snapshot:
    """The snapshot at `revision` by the cheapest path, and its Arrow copy written for the next restart.

    In order: its Arrow copy on disk; `previous` (an earlier full snapshot of this store, held in
    memory) or the newest earlier Arrow copy, plus what the revisions since changed; a full read.
    """
    base = disk_cache_dir(store.url)
    folder = base / _stamp(store, revision)
    frames = _read_disk(folder) if folder.exists() else None
    if frames is not None:
        return Snapshot(revision, frames, store.meta(revision))
    start = (previous, base / _stamp(store, previous.revision)) if previous is not None else None
    if start is None or start[0].revision >= revision:
        start = _disk_base(store, base, revision)
    if start is None:
        snapshot = store.snapshot(revision)
        _write_disk(base, folder, dict(snapshot.frames))
        return snapshot
    earlier, earlier_folder = start
    snapshot = store.snapshot_since(earlier, revision)
    # Datasets the revisions since left alone are the same objects: link their Arrow files.
    reuse = {
        name: earlier_folder / f"{name}.arrow"
        for name, frame in snapshot.frames.items()
        if name in earlier.frames and earlier.frames[name] is frame and (earlier_folder / f"{name}.arrow").exists()
    }
    _write_disk(base, folder, dict(snapshot.frames), reuse)
    return snapshot


@st.cache_resource(show_spinner=False)
def _last_opened(url: str) -> dict:
    """The newest snapshot this server opened for `url` (a weak reference: only while `load_snapshot`
    still holds it) and its revision's stamp: the base for opening the next revision."""
    return {}


# A snapshot can be large (national data); cache_resource shares one read-only copy between
# sessions instead of unpickling a copy on every rerun as cache_data would.
@st.cache_resource(show_spinner=False, max_entries=2)
def load_snapshot(url: str, revision: int) -> Snapshot:
    """All datasets as of `revision`. Treat the frames as read-only."""
    store = get_store(url)
    last = _last_opened(url)
    ref = last.get("snapshot")
    previous = ref() if ref is not None else None
    if previous is not None and last.get("stamp") != _stamp(store, previous.revision):
        previous = None  # the store was re-made (restored, say) since: not this history
    snapshot = read_snapshot(store, revision, previous)
    if previous is None or revision > previous.revision:
        last.update(snapshot=weakref.ref(snapshot), stamp=_stamp(store, revision))
    return snapshot


def current_snapshot() -> Snapshot:
    """The latest snapshot of the configured store."""
    store = get_store(get_settings().database_url)
    return load_snapshot(store.url, store.latest_revision())


@st.cache_resource(show_spinner=False, max_entries=4)
def _all_builds(url: str, revision: int, acuan: dt.date | None = None) -> pd.DataFrame:
    return builds_frame(load_snapshot(url, revision), get_settings(), acuan)


def builds_for(snapshot: Snapshot, acuan: dt.date | None = None) -> pd.DataFrame:
    """`kkmp.metrics.builds_frame` of `snapshot` (perhaps restricted to an area), computed once per revision.

    Each build's status depends only on its own reports, so the whole country's statuses are
    worked out once per revision and an area's are picked from them.
    """
    store = get_store(get_settings().database_url)
    full = _all_builds(store.url, snapshot.revision, acuan)
    if len(snapshot["pembangunan"]) == len(full):
        return full
    return full[full["id_pembangunan"].isin(snapshot["pembangunan"]["id_pembangunan"])].reset_index(drop=True)
