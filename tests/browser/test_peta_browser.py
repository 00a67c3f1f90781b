"""Browser test of the Peta page in headless Chromium: the map draws, nothing leaves the machine,
names with HTML stay text in the tooltip.

Self-contained (starts its own Streamlit server on a free port). Skipped with the reason when
Chromium or Playwright is missing, except under CI=true, where that is a failure.
"""

from __future__ import annotations

import contextlib
import io
import os
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest

from kkmp.batas import load_boundary_file, match_boundaries, save_boundaries
from kkmp.maps import _pixel, build_map_data
from kkmp.sample import init_store
from kkmp.store import CommitInfo, Store
from tests.conftest import ROOT, SHARED_BOUNDARIES, square_boundaries

CHROMIUM = Path(os.environ.get("KKMP_CHROMIUM", "/usr/bin/chromium"))
EVIL = "<img src=x onerror=alert(1)>"
MANGGAR = "64.71.01.1001"


def _skip_or_fail(reason: str) -> None:
    if os.environ.get("CI") == "true":
        pytest.fail(f"browser test cannot run under CI: {reason}")
    pytest.skip(reason)


@pytest.fixture(scope="module")
def chromium_path() -> str:
    try:
        import playwright.sync_api  # noqa: F401
    except ImportError:
        _skip_or_fail("Playwright for Python is not installed (pip install -r requirements-dev.txt)")
    if not CHROMIUM.exists():
        _skip_or_fail(f"Chromium not found at {CHROMIUM} (Debian: apt-get install chromium)")
    return str(CHROMIUM)


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture(scope="module")
def peta_server(tmp_path_factory, chromium_path):
    """A Streamlit server on the sample with boundaries and Manggar's KKMP renamed to an HTML snippet."""
    url = f"sqlite:///{tmp_path_factory.mktemp('peta-browser') / 'kkmp.sqlite'}"
    store = Store(url)
    init_store(store)
    wilayah = store.read("wilayah")
    match = (
        load_boundary_file(SHARED_BOUNDARIES, wilayah)
        if SHARED_BOUNDARIES.exists()
        else match_boundaries(square_boundaries(wilayah), wilayah)
    )
    save_boundaries(store, match, wilayah, pengguna="tes", sumber="tes")
    kop = store.read("koperasi")
    kop.loc[kop["kode_kelurahan"] == MANGGAR, "nama_koperasi"] = EVIL
    store.commit({"koperasi": kop}, CommitInfo(pengguna="tes"))
    snapshot = store.snapshot()
    store.dispose()
    port = _free_port()
    env = {**os.environ, "KKMP_DATABASE_URL": url, "KKMP_BASEMAP_ONLINE": "0"}
    cmd = [sys.executable, "-m", "streamlit", "run", "app.py", "--server.port", str(port)]
    cmd += ["--server.headless", "true", "--browser.gatherUsageStats", "false"]
    proc = subprocess.Popen(cmd, cwd=ROOT, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    base = f"http://127.0.0.1:{port}"
    try:
        for _ in range(240):
            with contextlib.suppress(OSError):
                if urllib.request.urlopen(f"{base}/_stcore/health", timeout=2).status == 200:
                    break
            time.sleep(0.5)
        else:
            pytest.fail("Streamlit did not start within 120 s")
        yield base, snapshot
    finally:
        proc.terminate()
        try:
            proc.wait(timeout=20)
        except subprocess.TimeoutExpired:
            proc.kill()


def _open(base: str, chromium_path: str, path: str):
    from playwright.sync_api import sync_playwright

    pw = sync_playwright().start()
    browser = pw.chromium.launch(
        executable_path=chromium_path,
        args=["--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage", "--disable-background-networking"],
    )
    page = browser.new_page(viewport={"width": 1366, "height": 900})
    outside: list[str] = []

    def guard(route) -> None:
        if route.request.url.startswith(("http://127.0.0.1", "ws://127.0.0.1", "data:", "blob:")):
            route.continue_()
        else:
            outside.append(route.request.url)
            route.abort()

    page.route("**/*", guard)
    dialogs: list[str] = []
    page.on("dialog", lambda d: (dialogs.append(d.message), d.dismiss()))
    # Open the main script first: on a fresh server Streamlit serves page URLs from pages/ until
    # app.py has run once and st.navigation has taken over.
    page.goto(base + "/")
    page.wait_for_selector('[data-testid="stSidebar"] >> text=Wilayah', timeout=90_000)
    page.goto(base + path)
    page.wait_for_selector('[data-testid="stSidebar"] >> text=Wilayah', timeout=90_000)
    page.wait_for_selector('[data-testid="stDeckGlJsonChart"] canvas', timeout=90_000)
    page.wait_for_selector('[data-testid="stStatusWidget"]', state="detached", timeout=90_000)
    page.wait_for_timeout(2500)
    return pw, browser, page, outside, dialogs


def _pixels(png: bytes):
    from PIL import Image

    return list(Image.open(io.BytesIO(png)).convert("RGB").get_flattened_data())


def test_map_draws_offline_with_three_builds_standing_out(peta_server, chromium_path, tmp_path):
    base, _ = peta_server
    pw, browser, page, outside, _ = _open(base, chromium_path, "/peta")
    try:
        chart = page.locator('[data-testid="stDeckGlJsonChart"]')
        png = chart.screenshot()
        (tmp_path / "peta.png").write_bytes(png)
        pixels = _pixels(png)
        painted = sum(1 for p in pixels if max(p) - min(p) > 20 or max(p) < 200)
        # The "pembangunan" fill (Okabe-Ito orange #E69F00, drawn slightly transparent over white).
        orange = sum(1 for r, g, b in pixels if r > 190 and 120 < g < 200 and r - b > 120)
        assert painted > 0.05 * len(pixels), f"map looks blank ({painted} of {len(pixels)} pixels drawn)"
        assert orange > 300, f"the builds under construction are not visible ({orange} orange pixels)"
        assert outside == [], f"requests left the machine: {outside}"
    finally:
        browser.close()
        pw.stop()


def test_tooltip_shows_html_in_a_name_as_text(peta_server, chromium_path):
    base, snapshot = peta_server
    pw, browser, page, _, dialogs = _open(base, chromium_path, "/peta")
    try:
        data = build_map_data(snapshot, "status_fisik")
        row = snapshot["wilayah"].set_index("kode_kelurahan").loc[MANGGAR]
        box = page.locator('[data-testid="stDeckGlJsonChart"] canvas').first.bounding_box()
        cx, cy = _pixel(data.view.longitude, data.view.latitude, data.view.zoom)
        px, py = _pixel(float(row["lon"]), float(row["lat"]), data.view.zoom)
        page.mouse.move(box["x"] + box["width"] / 2 + px - cx, box["y"] + box["height"] / 2 + py - cy)
        tooltip = page.locator(".deck-tooltip")
        tooltip.wait_for(state="visible", timeout=15_000)
        assert EVIL in tooltip.inner_text()
        assert tooltip.locator("img").count() == 0
        assert dialogs == []
    finally:
        browser.close()
        pw.stop()
