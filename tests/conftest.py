"""Shared fixtures: a store filled with the sample, in a temporary SQLite file (or PostgreSQL, see `db_url`)."""

from __future__ import annotations

import os
import uuid
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest
import sqlalchemy as sa

from kkmp.sample import init_store
from kkmp.settings import Settings
from kkmp.store import Store

ROOT = Path(__file__).resolve().parents[1]
SHARED = ROOT.parent / "shared"
POSTGRES_ENV = "KKMP_TEST_POSTGRES_URL"
BACKENDS = ("sqlite", "postgresql")


def postgres_base_url() -> str | None:
    """The PostgreSQL server the tests may create databases on; skips (or fails under CI) without one."""
    url = os.environ.get(POSTGRES_ENV)
    if url:
        return url
    reason = f"PostgreSQL tests need {POSTGRES_ENV} (start one with: .ci/postgres.sh start DIR PORT)"
    if os.environ.get("CI") == "true":
        pytest.fail(reason + " — required under CI=true")
    pytest.skip(reason)
    return None


@contextmanager
def fresh_postgres_database(base_url: str) -> Iterator[str]:
    """A new, empty PostgreSQL database for one test; dropped afterwards."""
    name = f"kkmp_t_{uuid.uuid4().hex[:16]}"
    admin = sa.create_engine(base_url, isolation_level="AUTOCOMMIT", poolclass=sa.pool.NullPool)
    with admin.connect() as conn:
        conn.exec_driver_sql(f'CREATE DATABASE "{name}"')
    try:
        yield sa.engine.make_url(base_url).set(database=name).render_as_string(hide_password=False)
    finally:
        with admin.connect() as conn:
            conn.exec_driver_sql(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        admin.dispose()


def make_db_url(backend: str, tmp_path: Path) -> Iterator[str]:
    """Yield a fresh store URL for `backend` ("sqlite" or "postgresql")."""
    if backend == "sqlite":
        yield f"sqlite:///{tmp_path / 'kkmp.sqlite'}"
        return
    with fresh_postgres_database(postgres_base_url()) as url:
        yield url


@pytest.fixture
def make_store_url(tmp_path: Path) -> Iterator:
    """A factory: `make_store_url("sqlite" | "postgresql")` → URL of a fresh empty store (cleaned up after)."""
    from contextlib import ExitStack

    with ExitStack() as stack:
        counter = iter(range(1000))

        def make(backend: str) -> str:
            folder = tmp_path / f"db{next(counter)}"
            folder.mkdir()
            gen = make_db_url(backend, folder)
            url = next(gen)
            stack.callback(lambda: next(gen, None))
            return url

        yield make


@pytest.fixture(params=BACKENDS)
def db_url(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[str]:
    """URL of an empty store on each database: a temporary SQLite file, a fresh PostgreSQL database.

    A test module runs against both by overriding `store_url` with this fixture.
    """
    yield from make_db_url(request.param, tmp_path)


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
def app_env(sample_store: Store, monkeypatch: pytest.MonkeyPatch) -> Iterator[str]:
    """Environment for AppTest: the app reads the sample store from KKMP_DATABASE_URL."""
    monkeypatch.setenv("KKMP_DATABASE_URL", sample_store.url)
    monkeypatch.chdir(ROOT)
    clear_streamlit_caches()  # settings and stores are cached per process: start from this test's store
    yield sample_store.url
    clear_streamlit_caches()


def clear_streamlit_caches() -> None:
    """Forget what earlier AppTests cached (settings, store, snapshots)."""
    import streamlit as st

    st.cache_resource.clear()
    st.cache_data.clear()


@pytest.fixture
def fresh_caches() -> Iterator[None]:
    """Streamlit's caches (settings hold the database URL) emptied before and after the test."""
    clear_streamlit_caches()
    yield
    clear_streamlit_caches()


def assert_readable(message: Callable[[str], str], unresolved: str, context: object = None) -> None:
    """A message the user sees, in both languages: not empty, its text key resolved, no traceback."""
    for lang in ("id", "en"):
        text = message(lang)
        assert text and unresolved not in text and "Traceback" not in text, context or text


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
