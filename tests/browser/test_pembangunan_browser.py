"""The Pembangunan page in headless Chromium: charts drawn, Kurva S switches, screenshots at three sizes.

Skipped when Chromium or Playwright is missing, except under CI=true where that is a failure.
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

CHROMIUM = os.environ.get("KKMP_CHROMIUM", "/usr/bin/chromium")
ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-dev-shm-usage",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
VIEWPORTS = {"laptop": (1366, 768), "projector": (1920, 1080), "phone": (390, 844)}


def _require_browser() -> None:
    missing = None
    try:
        import playwright.sync_api  # noqa: F401
    except ImportError:
        missing = "Playwright is not installed (pip install playwright)"
    if missing is None and not (Path(CHROMIUM).exists() or shutil.which(CHROMIUM)):
        missing = f"Chromium not found at {CHROMIUM} (set KKMP_CHROMIUM)"
    if missing:
        if os.environ.get("CI") == "true":
            pytest.fail(missing)
        pytest.skip(missing)


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory):
    """A Streamlit server on the sample data in a temporary store; yields its base URL."""
    _require_browser()
    port = _free_port()
    db = tmp_path_factory.mktemp("browser") / "kkmp.sqlite"
    env = {**os.environ, "KKMP_DATABASE_URL": f"sqlite:///{db}", "KKMP_SAMPLE_ON_FIRST_RUN": "1"}
    cmd = [sys.executable, "-m", "streamlit", "run", "app.py", "--server.port", str(port)]
    cmd += ["--server.headless", "true", "--server.address", "127.0.0.1", "--browser.gatherUsageStats", "false"]
    proc = subprocess.Popen(cmd, cwd=ROOT, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 60
        while True:
            try:
                with urllib.request.urlopen(f"{base}/_stcore/health", timeout=2) as r:
                    if r.status == 200:
                        break
            except OSError:
                if time.monotonic() > deadline or proc.poll() is not None:
                    raise RuntimeError("streamlit did not start") from None
                time.sleep(0.5)
        yield base
    finally:
        proc.terminate()
        proc.wait(timeout=20)


@pytest.fixture(scope="module")
def browser(server):
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        b = p.chromium.launch(executable_path=CHROMIUM, args=ARGS)
        yield b
        b.close()


def _open(browser, server: str, size: tuple[int, int]):
    page = browser.new_page(viewport={"width": size[0], "height": size[1]})
    page.goto(server + "/")  # the app registers its pages on the first run
    page.wait_for_selector('[data-testid="stMetric"]', timeout=60_000)
    page.goto(server + "/pembangunan")
    page.wait_for_selector(".js-plotly-plot .main-svg", timeout=60_000)
    page.wait_for_function("document.querySelectorAll('.js-plotly-plot').length >= 2", timeout=60_000)
    page.wait_for_timeout(1000)
    return page


def _kurva_s_realisasi(page) -> list[float]:
    return page.evaluate(
        """() => {
            const plots = document.querySelectorAll('.js-plotly-plot');
            const fig = plots[plots.length - 1];
            const t = fig.data.find(d => d.name === 'Realisasi (kumulatif)');
            return Array.from(t.y);
        }"""
    )


def test_page_draws_the_charts_and_switches_the_kurva_s(browser, server):
    page = _open(browser, server, VIEWPORTS["laptop"])
    assert "Kontrak kritis (Permen PU 07/2011)" in page.inner_text('[data-testid="stMain"]')
    before = _kurva_s_realisasi(page)
    assert before[-1] == 47.5  # Manggar, the riskiest build, comes first
    combobox = page.get_by_test_id("stSelectbox").get_by_role("combobox")
    combobox.click()
    combobox.fill("Graha")
    page.get_by_role("option").filter(has_text="Graha Indah").click()
    page.wait_for_function(
        """() => { const p = document.querySelectorAll('.js-plotly-plot');
                   const t = p[p.length - 1].data.find(d => d.name === 'Realisasi (kumulatif)');
                   return t && t.y[t.y.length - 1] === 66.6; }""",
        timeout=30_000,
    )
    assert _kurva_s_realisasi(page) != before
    page.close()


@pytest.mark.parametrize("name", list(VIEWPORTS))
def test_screenshots_at_three_sizes(browser, server, name, tmp_path):
    width, height = VIEWPORTS[name]
    page = _open(browser, server, (width, height))
    full = page.evaluate("() => document.querySelector('[data-testid=\"stMain\"]').scrollHeight")
    page.set_viewport_size({"width": width, "height": max(height, full)})
    page.wait_for_timeout(800)
    out = Path(os.environ.get("KKMP_SCREENSHOT_DIR", tmp_path)) / f"pembangunan-{name}.png"
    out.parent.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(out))
    assert out.stat().st_size > 20_000  # a drawn page, not a blank one
    # No chart wider than the viewport (phones): the page must not scroll sideways.
    overflow = page.evaluate("() => document.documentElement.scrollWidth - window.innerWidth")
    assert overflow <= 1
    page.close()
