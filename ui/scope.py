"""What a page looks at: the chosen language, the area chosen in the sidebar and that area's data."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass

import pandas as pd
import streamlit as st

from kkmp.metrics import headline_summary
from kkmp.page_views import rat_view, usaha_view
from kkmp.rekonsiliasi import reconcile
from kkmp.scope import Scope, scope
from kkmp.store import Snapshot
from kkmp.tindak_lanjut import tindak_lanjut
from kkmp.wilayah import WilayahFilter
from ui.data import builds_for, current_snapshot, get_settings, get_store, load_snapshot
from ui.sidebar import current_filter, current_language, current_reference


@dataclass(frozen=True)
class PageScope:
    """One page run's language and `kkmp.scope.Scope` (the sidebar's area applied to the latest snapshot)."""

    lang: str
    scope: Scope

    @property
    def choice(self) -> WilayahFilter:
        """The sidebar's area choice."""
        return self.scope.choice

    @property
    def area(self) -> pd.DataFrame:
        """The wilayah rows (one per kelurahan) of the area chosen in the sidebar."""
        return self.scope.area

    @property
    def snapshot(self) -> Snapshot:
        """The whole region's latest snapshot."""
        return self.scope.snapshot

    @property
    def snap(self) -> Snapshot:
        """The latest snapshot restricted to the chosen area's kelurahan."""
        return self.scope.snap

    acuan: dt.date
    """The reference date (sidebar "Tanggal acuan", `?per=`): every status and list is as of it."""

    @property
    def area_name(self) -> str:
        """The chosen area's short name for titles (raw text: escape it before markdown)."""
        return self.scope.name


def page_scope() -> PageScope:
    """Language, sidebar area, reference date and the latest snapshot, whole and restricted to that area."""
    snapshot = current_snapshot()
    return PageScope(current_language(), scope(snapshot, current_filter()), current_reference(snapshot))


# What a page shows of an area that takes long at national scale, by name: each is the one kkmp function of
# its concept (the CLI and the Briefing call the same), applied to the area's snapshot as of the date.
AREA_VIEWS: dict[str, Callable[[Snapshot, dt.date], object]] = {
    "ringkasan": lambda snap, acuan: headline_summary(
        snap, get_settings(), acuan, builds=builds_for(snap, acuan), with_builds=False
    ),
    "tindak_lanjut": lambda snap, acuan: tindak_lanjut(snap, get_settings(), acuan),
    "rekonsiliasi": lambda snap, _acuan: reconcile(snap),
}


@st.cache_data(show_spinner=False, max_entries=32)
def _area_view(view: str, url: str, identity: str, revision: int, choice: WilayahFilter, acuan: dt.date) -> object:
    return AREA_VIEWS[view](scope(load_snapshot(url, identity, revision), choice).snap, acuan)


def area_view(view: str, page: PageScope) -> object:
    """`AREA_VIEWS[view]` of the page's area and date, computed once per (store history, revision, area, date).

    At national scale the headline summary took 8 s and the follow-up list 1.5 s on every page run; now the
    first visitor of an area and date pays once and everyone after reads the cached copy.
    """
    store = get_store(get_settings().database_url)
    snapshot = page.snapshot
    return _area_view(view, store.url, snapshot.identity, snapshot.revision, page.choice, page.acuan)


# Views of a page that hold large frames: kept once per key in memory and shared by every session
# (`st.cache_resource`, no copy per run; `st.cache_data` would unpickle 100,000-row frames each time).
SHARED_VIEWS: dict[str, Callable[..., object]] = {"usaha": usaha_view, "rat": rat_view}


@st.cache_resource(show_spinner=False, max_entries=8)
def _shared_view(
    view: str, url: str, identity: str, revision: int, choice: WilayahFilter, acuan: dt.date, params: tuple
) -> object:
    return SHARED_VIEWS[view](scope(load_snapshot(url, identity, revision), choice).snap, acuan, *params)


def shared_view(view: str, page: PageScope, *params: object, acuan: dt.date | None = None) -> object:
    """`SHARED_VIEWS[view]` of the page's area as of `acuan` (default: the page's reference date), computed once
    per (store history, revision, area, date, params) and shared read-only by every session: a page switch or a
    rerun at national scale reads it instead of recomputing 1.3–1.9 s of figures."""
    store = get_store(get_settings().database_url)
    snapshot, date = page.snapshot, acuan or page.acuan
    return _shared_view(view, store.url, snapshot.identity, snapshot.revision, page.choice, date, params)
