"""Opening a revision fast: Arrow (Feather) copies of each revision's frames on disk.

A revision is opened, in order, from its own Arrow copy; from an earlier full snapshot (held in
memory by the caller, or the newest earlier Arrow copy) plus the rows the revisions since changed
(`Store.snapshot_since`); only without such a base by reading the whole store. Each path leaves the
revision's Arrow copy behind, so a restarted server comes back in a fraction of a full read.
`write_arrow_copy` writes it ahead (at `init` and after a commit), so no visitor pays for it.
"""

from __future__ import annotations

import hashlib
import os
import shutil
import threading
from collections.abc import Mapping
from pathlib import Path

import pandas as pd
import sqlalchemy as sa

from kkmp.schema import DATASETS
from kkmp.store import Snapshot, Store, StoreError

DISK_CACHE_KEEP = 2


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


def revision_stamp(identity: str, revision: int) -> str:
    """The folder name of `revision`'s Arrow copy: its number and the store's identity (a re-made store differs)."""
    return f"r{revision}-{identity}"


def copy_folder(store: Store, revision: int) -> Path:
    """The folder holding (or about to hold) the Arrow copy of `revision`."""
    return disk_cache_dir(store.url) / revision_stamp(store.identity(), revision)


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


def _disk_base(store: Store, identity: str, base: Path, revision: int) -> tuple[Snapshot, Path] | None:
    """The newest Arrow copy of a revision before `revision` of the history `identity`, and its folder."""
    earlier = []
    for folder in base.glob("r*-*"):
        head = folder.name[1:].split("-", 1)[0]
        if head.isdigit() and int(head) < revision:
            earlier.append((int(head), folder))
    for rev, folder in sorted(earlier, reverse=True):
        if folder.name != revision_stamp(identity, rev):  # the store was re-made since: not its history
            continue
        frames = _read_disk(folder)
        if frames is not None:
            return Snapshot(rev, frames, store.meta(rev), identity), folder
    return None


def open_revision(
    store: Store, revision: int, previous: Snapshot | None = None, identity: str | None = None
) -> Snapshot:
    """The snapshot at `revision` by the cheapest path, and its Arrow copy written for the next restart.

    In order: its Arrow copy on disk; `previous` (an earlier full snapshot of the store's history
    `identity` — default: its current one —, held in memory) or the newest earlier Arrow copy of that
    history, plus what the revisions since changed; a full read. Copies are named by identity and revision.
    """
    identity = store.identity() if identity is None else identity
    if previous is not None and previous.identity != identity:
        previous = None  # another history (the store was replaced)
    base = disk_cache_dir(store.url)
    folder = base / revision_stamp(identity, revision)
    frames = _read_disk(folder) if folder.exists() else None
    if frames is not None:
        return Snapshot(revision, frames, store.meta(revision), identity)
    start = (previous, base / revision_stamp(identity, previous.revision)) if previous is not None else None
    if start is None or start[0].revision >= revision:
        start = _disk_base(store, identity, base, revision)
    if start is None:
        snapshot = store.snapshot(revision)
        _write_disk(base, base / revision_stamp(snapshot.identity, revision), dict(snapshot.frames))
        return snapshot
    earlier, earlier_folder = start
    try:
        snapshot = store.snapshot_since(earlier, revision)
    except StoreError:  # replaced while we looked: read it whole
        snapshot = store.snapshot(revision)
        _write_disk(base, base / revision_stamp(snapshot.identity, revision), dict(snapshot.frames))
        return snapshot
    folder = base / revision_stamp(snapshot.identity, revision)
    # Datasets the revisions since left alone are the same objects: link their Arrow files.
    reuse = {
        name: earlier_folder / f"{name}.arrow"
        for name, frame in snapshot.frames.items()
        if name in earlier.frames and earlier.frames[name] is frame and (earlier_folder / f"{name}.arrow").exists()
    }
    _write_disk(base, folder, dict(snapshot.frames), reuse)
    return snapshot


def write_arrow_copy(
    store: Store, revision: int | None = None, frames: Mapping[str, pd.DataFrame] | None = None
) -> Path:
    """Make sure the Arrow copy of `revision` (default: the latest) exists; its folder.

    Called by `init` and after a commit, so the first page view after a server start opens the copy
    instead of reading the whole store. `frames` (every dataset as `Store.snapshot` returns it at
    `revision`; `init` has them in memory) are written as they are instead of read back from the store.
    """
    revision = store.latest_revision() if revision is None else revision
    folder = copy_folder(store, revision)
    if not folder.exists():
        if frames is None:
            open_revision(store, revision)
        else:
            _write_disk(folder.parent, folder, dict(frames))
    return folder
