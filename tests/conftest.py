"""Shared fixtures: a store filled with the sample, in a temporary SQLite file."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from kkmp.sample import init_store
from kkmp.settings import Settings
from kkmp.store import Store

ROOT = Path(__file__).resolve().parents[1]
SHARED = ROOT.parent / "shared"


@pytest.fixture
def store_url(tmp_path: Path) -> str:
    """URL of an empty store in a fresh temporary file."""
    return f"sqlite:///{tmp_path / 'kkmp.sqlite'}"


@pytest.fixture
def empty_store(store_url: str) -> Store:
    """A created store with no revisions."""
    store = Store(store_url)
    store.create()
    yield store
    store.dispose()


@pytest.fixture
def sample_store(store_url: str) -> Store:
    """A store holding the region file (revision 1) and the sample (revision 2)."""
    store = Store(store_url)
    init_store(store, sample=True)
    yield store
    store.dispose()


@pytest.fixture(scope="session")
def sample_snapshot(tmp_path_factory: pytest.TempPathFactory):
    """The sample as a snapshot, built once per test session (read-only)."""
    path = tmp_path_factory.mktemp("sample") / "kkmp.sqlite"
    store = Store(f"sqlite:///{path}")
    init_store(store, sample=True)
    snap = store.snapshot()
    store.dispose()
    return snap


@pytest.fixture
def settings() -> Settings:
    """Default settings."""
    return Settings()


@pytest.fixture
def app_env(sample_store: Store, monkeypatch: pytest.MonkeyPatch) -> str:
    """Environment for AppTest: the app reads the sample store from KKMP_DATABASE_URL."""
    import streamlit as st

    monkeypatch.setenv("KKMP_DATABASE_URL", sample_store.url)
    st.cache_resource.clear()  # settings and stores are cached per process: drop the previous test's
    st.cache_data.clear()
    monkeypatch.chdir(ROOT)
    # Settings and stores are cached per process: start each app test from this test's store.
    st.cache_resource.clear()
    st.cache_data.clear()
    return sample_store.url


def pytest_configure(config: pytest.Config) -> None:
    os.environ.setdefault("KKMP_SAMPLE_ON_FIRST_RUN", "1")


SHARED_BOUNDARIES = SHARED / "geo" / "balikpapan-kelurahan.geojson"
FIXTURES = Path(__file__).resolve().parent / "fixtures"


@pytest.fixture
def shared_boundaries() -> Path:
    """The real Balikpapan boundaries in ../shared (never copied into the repo); CI must have them."""
    if not SHARED_BOUNDARIES.exists():
        if os.environ.get("CI") == "true":
            pytest.fail(f"{SHARED_BOUNDARIES} is missing under CI")
        pytest.skip(f"{SHARED_BOUNDARIES} not present (it lives outside the repository)")
    return SHARED_BOUNDARIES


def square_boundaries(wilayah, half: float = 0.003) -> dict:
    """A synthetic FeatureCollection: a small square around each kelurahan's point (always available)."""
    features = []
    for row in wilayah.itertuples(index=False):
        lon, lat = float(row.lon), float(row.lat)
        ring = [[lon - half, lat - half], [lon + half, lat - half], [lon + half, lat + half], [lon - half, lat + half]]
        features.append(
            {
                "type": "Feature",
                "properties": {"kode": row.kode_kelurahan, "kelurahan": row.kelurahan},
                "geometry": {"type": "Polygon", "coordinates": [[*ring, ring[0]]]},
            }
        )
    return {"type": "FeatureCollection", "features": features}
