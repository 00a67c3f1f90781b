"""Browser check of the RAT page (#6) in headless Chromium: gauges drawn with the sample's figure, screenshots.

Self-contained (starts its own Streamlit server on a free loopback port). Skipped when Chromium is
absent, except under CI=true where that is a failure.
"""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest

from tests.conftest import ROOT

CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser") or "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-dev-shm-usage",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]


def _require_chromium() -> None:
    if Path(CHROMIUM).exists():
        return
    if os.environ.get("CI", "").lower() == "true":
        pytest.fail("Chromium is required for the browser tests under CI (apt-get install chromium)")
    pytest.skip("Chromium not installed (/usr/bin/chromium); browser tests skipped")


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory):
    """A Streamlit server on the sample store; yields its base URL."""
    _require_chromium()
    port = _free_port()
    db = tmp_path_factory.mktemp("browser") / "kkmp.sqlite"
    env = {**os.environ, "KKMP_DATABASE_URL": f"sqlite:///{db}", "KKMP_SAMPLE_ON_FIRST_RUN": "1"}
    cmd = [sys.executable, "-m", "streamlit", "run", "app.py", "--server.port", str(port)]
    cmd += ["--server.headless", "true", "--server.address", "127.0.0.1", "--browser.gatherUsageStats", "false"]
    proc = subprocess.Popen(cmd, cwd=ROOT, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    url = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 90
        while True:
            try:
                with urllib.request.urlopen(f"{url}/_stcore/health", timeout=2) as r:
                    if r.status == 200:
                        break
            except OSError:
                pass
            if proc.poll() is not None or time.monotonic() > deadline:
                raise RuntimeError(f"streamlit did not start: {proc.stderr.read().decode()[-2000:]}")
            time.sleep(0.5)
        yield url
    finally:
        proc.terminate()
        try:
            proc.wait(timeout=15)
        except subprocess.TimeoutExpired:
            proc.kill()


@pytest.fixture(scope="module")
def browser(server):
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        b = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield b
        b.close()


def open_rat_page(browser, server: str, width: int, height: int):
    page = browser.new_page(viewport={"width": width, "height": height})
    # Load the root first: on a fresh server Streamlit runs a directly requested page without app.py
    # (its pages/ folder fallback) until st.navigation has run once.
    page.goto(server + "/")
    page.wait_for_selector('[data-testid="stPlotlyChart"]', timeout=60_000)
    page.goto(server + "/rat")
    page.wait_for_selector("text=Kepatuhan RAT", timeout=60_000)
    page.wait_for_function("document.querySelectorAll('.indicatorlayer text.number').length >= 2", timeout=60_000)
    page.wait_for_timeout(1500)
    return page


@pytest.mark.parametrize(("width", "height"), [(1366, 768), (1920, 1080), (390, 844)])
def test_rat_page_draws_gauges_with_the_sample_figure(browser, server, tmp_path, width, height):
    page = open_rat_page(browser, server, width, height)
    try:
        assert page.locator('[data-testid="stException"]').count() == 0
        numbers = page.locator(".indicatorlayer text.number").all_text_contents()
        assert numbers[:2] == ["68,8%", "100,0%"]
        assert page.get_by_text("Ukuran kota").first.is_visible()
        assert page.get_by_text("Ukuran resmi").first.is_visible()
        overflow = page.evaluate("document.documentElement.scrollWidth - window.innerWidth")
        assert overflow <= 0, f"page scrolls sideways by {overflow}px at {width}px"
        shot = tmp_path / f"rat-{width}.png"
        page.screenshot(path=str(shot))
        assert shot.stat().st_size > 20_000  # a drawn page, not a blank one
    finally:
        page.close()
