"""Cached access to the store. Caches are keyed by the store's revision, so a new upload shows at once.

Two layers: `st.cache_resource` keeps one read-only snapshot per (url, revision) in memory for
every session; below it an Arrow (Feather) copy of each revision's frames on disk lets a
restarted server come back in a fraction of the time a full read of the database takes.
"""

from __future__ import annotations

import hashlib
import os
import shutil
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


def _write_disk(base: Path, folder: Path, frames: dict[str, pd.DataFrame]) -> None:
    tmp = base / f".tmp-{os.getpid()}-{folder.name}"
    try:
        tmp.mkdir(parents=True, exist_ok=True)
        for name, frame in frames.items():
            frame.reset_index(drop=True).to_feather(tmp / f"{name}.arrow")
        if folder.exists():
            shutil.rmtree(tmp, ignore_errors=True)
        else:
            tmp.rename(folder)
        old = sorted((p for p in base.glob("r*-*") if p != folder), key=lambda p: p.stat().st_mtime)
        for p in old[: max(0, len(old) - (DISK_CACHE_KEEP - 1))]:
            shutil.rmtree(p, ignore_errors=True)
    except OSError:  # a read-only disk only costs speed
        shutil.rmtree(tmp, ignore_errors=True)


def read_snapshot(store: Store, revision: int) -> Snapshot:
    """The snapshot at `revision`: from its Arrow copy on disk when there is one, else from the store."""
    base = disk_cache_dir(store.url)
    folder = base / _stamp(store, revision)
    frames = _read_disk(folder) if folder.exists() else None
    if frames is not None:
        return Snapshot(revision, frames, store.meta(revision))
    snapshot = store.snapshot(revision)
    _write_disk(base, folder, dict(snapshot.frames))
    return snapshot


# A snapshot can be large (national data); cache_resource shares one read-only copy between
# sessions instead of unpickling a copy on every rerun as cache_data would.
@st.cache_resource(show_spinner=False, max_entries=2)
def load_snapshot(url: str, revision: int) -> Snapshot:
    """All datasets as of `revision`. Treat the frames as read-only."""
    return read_snapshot(get_store(url), revision)


def current_snapshot() -> Snapshot:
    """The latest snapshot of the configured store."""
    store = get_store(get_settings().database_url)
    return load_snapshot(store.url, store.latest_revision())


@st.cache_resource(show_spinner=False, max_entries=2)
def _all_builds(url: str, revision: int) -> pd.DataFrame:
    return builds_frame(load_snapshot(url, revision), get_settings())


def builds_for(snapshot: Snapshot) -> pd.DataFrame:
    """`kkmp.metrics.builds_frame` of `snapshot` (perhaps restricted to an area), computed once per revision.

    Each build's status depends only on its own reports, so the whole country's statuses are
    worked out once per revision and an area's are picked from them.
    """
    store = get_store(get_settings().database_url)
    full = _all_builds(store.url, snapshot.revision)
    if len(snapshot["pembangunan"]) == len(full):
        return full
    return full[full["id_pembangunan"].isin(snapshot["pembangunan"]["id_pembangunan"])].reset_index(drop=True)
