"""Cached access to the store. Caches are keyed by the store's revision, so a new upload shows at once."""

from __future__ import annotations

import streamlit as st

from kkmp.sample import open_store
from kkmp.settings import Settings, load_settings
from kkmp.store import Snapshot, Store


@st.cache_resource(show_spinner=False)
def get_settings() -> Settings:
    """Settings from the environment, read once per server."""
    return load_settings()


@st.cache_resource(show_spinner=False)
def get_store(url: str) -> Store:
    """The store at `url`, created (with the sample on first run) once per server."""
    return open_store(Settings(**{**get_settings().__dict__, "database_url": url}))


# A snapshot can be large (national data); cache_resource shares one read-only copy between
# sessions instead of unpickling a copy on every rerun as cache_data would.
@st.cache_resource(show_spinner=False, max_entries=3)
def load_snapshot(url: str, revision: int) -> Snapshot:
    """All datasets as of `revision`. Treat the frames as read-only."""
    return get_store(url).snapshot(revision)


def current_snapshot() -> Snapshot:
    """The latest snapshot of the configured store."""
    store = get_store(get_settings().database_url)
    return load_snapshot(store.url, store.latest_revision())
