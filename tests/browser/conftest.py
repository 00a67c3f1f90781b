"""Browser-test fixtures: one sample store, one Streamlit server and one Chromium per session; a new
browser context per test. Skipped with the reason when Chromium or Playwright is missing, failed under CI=true."""

from __future__ import annotations

import contextlib
import os
from collections.abc import Callable, Iterator

import pytest

from tests.browser.harness import (
    ARTIFACTS,
    DESKTOP,
    StreamlitServer,
    editor_env,
    find_chromium,
    free_port,
    launch_chromium,
    make_sample_store,
    open_page,
)

ACTION_TIMEOUT_MS = 15_000


def _in_ci() -> bool:
    return os.environ.get("CI", "").strip().lower() in {"1", "true", "yes"}


def _missing_reason() -> str | None:
    try:
        import playwright.sync_api  # noqa: F401
    except ImportError:
        return "Playwright for Python is not installed (pip install -r requirements-dev.txt)"
    if find_chromium() is None:
        where = os.environ.get("KKMP_CHROMIUM") or "/usr/bin/chromium or on PATH"
        return f"Chromium not found at {where} (Debian: apt-get install chromium)"
    return None


def pytest_configure(config: pytest.Config) -> None:
    config.addinivalue_line("markers", "browser: drives the app in headless Chromium; needs the system's Chromium")


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    """Mark every test that drives Chromium with `browser`; skip those when Chromium is missing (not under CI)."""
    reason = _missing_reason()
    for item in items:
        if "chromium_executable" in getattr(item, "fixturenames", ()):
            item.add_marker(pytest.mark.browser)
            if reason and not _in_ci():
                item.add_marker(pytest.mark.skip(reason=f"browser test skipped: {reason}"))


@pytest.hookimpl(wrapper=True)
def pytest_runtest_makereport(item: pytest.Item, call: pytest.CallInfo):
    """Keep each phase's report on the item, so fixtures can see whether the test failed."""
    report = yield
    setattr(item, f"report_{report.when}", report)
    return report


@pytest.fixture(scope="session")
def chromium_executable() -> str:
    """Path of the system's Chromium; under CI=true a missing browser fails the test."""
    reason = _missing_reason()
    if reason:
        if _in_ci():
            pytest.fail(f"CI=true and the browser tests cannot run: {reason}", pytrace=False)
        pytest.skip(reason)
    return find_chromium()


@pytest.fixture(scope="session")
def browser_store_url(tmp_path_factory: pytest.TempPathFactory) -> str:
    """A store with the region file and the sample, shared by the session's server."""
    return make_sample_store(tmp_path_factory.mktemp("browser-store"))


@pytest.fixture(scope="session")
def streamlit_server(
    chromium_executable: str, browser_store_url: str, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[StreamlitServer]:
    """`streamlit run app.py` on a free port against the sample store, healthy before tests start."""
    log = tmp_path_factory.mktemp("streamlit") / "server.log"
    server = StreamlitServer(browser_store_url, free_port(), log, editor_env()).start()
    server.visited = False  # nobody has opened a page yet (test_cold_start.py uses it while it is so)
    yield server
    server.stop()


@pytest.fixture(scope="session")
def browser(chromium_executable: str):
    """One headless Chromium for the session."""
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        b = launch_chromium(p, chromium_executable)
        yield b
        b.close()


@pytest.fixture(scope="session")
def app_url(streamlit_server: StreamlitServer, browser) -> str:
    """Base URL of the running app, after one visit to its entry page (as a user would open it)."""
    context = browser.new_context(viewport=DESKTOP)
    try:
        open_page(context, streamlit_server.url, "", timeout_ms=90_000)
    finally:
        context.close()
    streamlit_server.visited = True
    return streamlit_server.url


@pytest.fixture
def context(browser, request: pytest.FixtureRequest):
    """A fresh browser context (own cookies, own Streamlit session); failures keep a screenshot."""
    ctx = browser.new_context(viewport=DESKTOP, locale="id-ID", timezone_id="Asia/Makassar")
    ctx.set_default_timeout(ACTION_TIMEOUT_MS)
    yield ctx
    report = getattr(request.node, "report_call", None)
    if report is not None and report.failed:
        name = request.node.name.replace("/", "_").replace("[", "-").replace("]", "")
        for i, page in enumerate(ctx.pages):
            with contextlib.suppress(Exception):  # a closed or crashed page has nothing left to show
                page.screenshot(path=str(ARTIFACTS / "failures" / f"{name}-{i}.png"))
    ctx.close()


@pytest.fixture
def open_app(context, app_url: str) -> Callable:
    """open_app(url_path, params=None, viewport=None) → a Playwright page on which Streamlit finished running."""

    def _open(url_path: str = "", params: dict[str, str] | None = None, viewport: dict | None = None):
        return open_page(context, app_url, url_path, params, viewport=viewport)

    return _open
