"""Cached access to the store. Caches are keyed by (url, identity, revision), so a new upload shows at once
and a replaced store (`init --force`, `restore`: a new `Store.identity`) never shows the old one's data.

`st.cache_resource` keeps one read-only snapshot per (url, identity, revision) in memory for every session;
opening a revision (Arrow copies on disk, N from N-1 plus its changes) is `kkmp.arrow_copy`.
"""

from __future__ import annotations

import datetime as dt
import logging
import weakref

import pandas as pd
import streamlit as st

from kkmp.arrow_copy import open_revision
from kkmp.i18n import t
from kkmp.metrics import builds_frame
from kkmp.sample import open_store
from kkmp.settings import Settings, load_settings
from kkmp.store import Snapshot, Store, StoreUnavailable

log = logging.getLogger(__name__)


@st.cache_resource(show_spinner=False)
def get_settings() -> Settings:
    """Settings from the environment, read once per server."""
    return load_settings()


@st.cache_resource(show_spinner=False)
def get_store(url: str) -> Store:
    """The store at `url`, created (with the sample on first run) once per server."""
    return open_store(Settings(**{**get_settings().__dict__, "database_url": url}))


@st.cache_resource(show_spinner=False)
def _last_opened(url: str) -> dict:
    """The newest snapshot this server opened for `url` (a weak reference: only while `load_snapshot`
    still holds it): the base for opening the next revision of the same history."""
    return {}


# A snapshot can be large (national data); cache_resource shares one read-only copy between
# sessions instead of unpickling a copy on every rerun as cache_data would.
@st.cache_resource(show_spinner=False, max_entries=2)
def load_snapshot(url: str, identity: str, revision: int) -> Snapshot:
    """All datasets as of `revision` of the store's history `identity`. Treat the frames as read-only."""
    store = get_store(url)
    last = _last_opened(url)
    ref = last.get("snapshot")
    previous = ref() if ref is not None else None
    if previous is not None and previous.identity != identity:
        previous = None  # the store was re-made (restored, say) since: not this history
    snapshot = open_revision(store, revision, previous, identity)
    if previous is None or revision > previous.revision:
        last.update(snapshot=weakref.ref(snapshot))
    return snapshot


def store_unavailable_ui(exc: StoreUnavailable, lang: str) -> None:
    """What a visitor sees when the database cannot be opened or written (busy, read-only, disk full): a plain
    message with the next step, no traceback and no URL (it may hold a password). The cause goes to the server log for the administrator."""
    log.warning("basis data (%s) tidak dapat dibuka: %s", exc.backend, exc.reason)
    st.error(t(f"app.basis_data_{exc.kind or 'tidak_tersedia'}", lang), icon="⚠️")
    st.stop()


def current_snapshot() -> Snapshot:
    """The latest snapshot of the configured store."""
    store = get_store(get_settings().database_url)
    return load_snapshot(store.url, *store.state())


@st.cache_resource(show_spinner=False, max_entries=4)
def _all_builds(url: str, identity: str, revision: int, acuan: dt.date | None = None) -> pd.DataFrame:
    return builds_frame(load_snapshot(url, identity, revision), get_settings(), acuan)


def builds_for(snapshot: Snapshot, acuan: dt.date | None = None) -> pd.DataFrame:
    """`kkmp.metrics.builds_frame` of `snapshot` (perhaps restricted to an area), computed once per revision.

    Each build's status depends only on its own reports, so the whole country's statuses are
    worked out once per revision and an area's are picked from them.
    """
    store = get_store(get_settings().database_url)
    full = _all_builds(store.url, snapshot.identity, snapshot.revision, acuan)
    if len(snapshot["pembangunan"]) == len(full):
        return full
    return full[full["id_pembangunan"].isin(snapshot["pembangunan"]["id_pembangunan"])].reset_index(drop=True)
