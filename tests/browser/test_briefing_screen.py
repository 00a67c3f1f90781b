"""The Briefing in a real browser at 1920×1080: no scrollbars, large text, and it plays by itself.

Starts its own Streamlit server on the sample and drives the system's Chromium with Playwright.
"""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from pathlib import Path

import pytest

from kkmp.deck_export import find_chromium
from kkmp.sample import init_store
from kkmp.store import Store
from tests.conftest import ROOT

playwright = pytest.importorskip("playwright.sync_api", reason="Playwright is not installed (requirements-dev.txt)")

CHROMIUM = find_chromium()
pytestmark = pytest.mark.skipif(CHROMIUM is None, reason="no Chromium on this machine (CI has one)")

VIEWPORT = {"width": 1920, "height": 1080}
ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-dev-shm-usage",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
SHOTS = Path(os.environ.get("KKMP_SCREENSHOTS", ROOT / "artifacts" / "briefing"))
READY_MS = 90_000
MIN_HEADLINE = 64
MIN_FLOOR = 20  # no text below 20 px (the slides aim at MIN_TEXT = 22)
MIN_TITLE = 40

# Every visible piece of text on screen (HTML and the charts' SVG) with its computed font size.
MEASURE = """() => {
  const visible = (el) => {
    for (let p = el; p; p = p.parentElement) {
      const c = getComputedStyle(p);
      if (c.display === 'none' || c.visibility === 'hidden' || parseFloat(c.opacity) === 0) return false;
    }
    const r = el.getBoundingClientRect();
    return r.width > 0 && r.height > 0 && r.bottom > 0 && r.right > 0 && r.top < innerHeight && r.left < innerWidth;
  };
  const texts = [];
  const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
  while (walker.nextNode()) {
    const node = walker.currentNode, el = node.parentElement, text = node.textContent.trim();
    if (!text || !el || ['STYLE', 'SCRIPT'].includes(el.tagName) || !visible(el)) continue;
    texts.push({text: text.slice(0, 60), size: parseFloat(getComputedStyle(el).fontSize)});
  }
  const sizes = (sel) => [...document.querySelectorAll(sel)].filter(visible)
    .map((e) => parseFloat(getComputedStyle(e).fontSize));
  const main = document.querySelector('[data-testid="stMain"]');
  const doc = document.scrollingElement;
  return {
    texts, values: sizes('.kb-value'), titles: sizes('.kb-title'),
    overflow: [doc.scrollHeight - doc.clientHeight, doc.scrollWidth - doc.clientWidth,
               main.scrollHeight - main.clientHeight, main.scrollWidth - main.clientWidth],
  };
}"""


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """A Streamlit server on the sample; its base URL."""
    url = f"sqlite:///{tmp_path_factory.mktemp('briefing-browser') / 'kkmp.sqlite'}"
    store = Store(url)
    init_store(store, sample=True)
    store.dispose()
    port = _free_port()
    env = {**os.environ, "KKMP_DATABASE_URL": url}
    cmd = [sys.executable, "-m", "streamlit", "run", "app.py", "--server.port", str(port), "--server.headless", "true",
           "--browser.gatherUsageStats", "false", "--server.fileWatcherType", "none"]  # fmt: skip
    proc = subprocess.Popen(cmd, cwd=ROOT, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    base = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 60
    while True:
        try:
            with urllib.request.urlopen(f"{base}/_stcore/health", timeout=2) as r:
                if r.status == 200:
                    break
        except OSError:
            if time.monotonic() > deadline or proc.poll() is not None:
                proc.kill()
                pytest.fail("Streamlit did not start")
            time.sleep(0.5)
    yield base
    proc.terminate()
    proc.wait(timeout=20)


@pytest.fixture(scope="module")
def browser() -> Iterator[object]:
    with playwright.sync_playwright() as p:
        b = p.chromium.launch(executable_path=CHROMIUM, args=ARGS)
        yield b
        b.close()


@pytest.fixture
def page(browser):
    context = browser.new_context(viewport=VIEWPORT)
    pg = context.new_page()
    yield pg
    context.close()


def _open(page, base: str, query: str) -> None:
    page.goto(f"{base}/briefing?{query}")
    page.wait_for_selector(".kb-title", timeout=READY_MS)
    # charts drawn: every plotly container on screen has its SVG
    page.wait_for_function(
        "() => [...document.querySelectorAll('.js-plotly-plot')].every(p => p.querySelector('.main-svg'))",
        timeout=READY_MS,
    )
    page.wait_for_timeout(1500)


@pytest.mark.parametrize("slide", range(1, 7))
@pytest.mark.parametrize("theme", ["dark", "light"])
def test_slide_fits_the_screen_with_large_text(server, page, slide, theme):
    _open(page, server, f"slide={slide}&theme={theme}&embed=true&embed_options=disable_scrolling")
    SHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SHOTS / f"slide-{slide}-{theme}.png"))
    m = page.evaluate(MEASURE)
    assert m["overflow"][0] <= 0 and m["overflow"][1] <= 0, f"page scrolls: {m['overflow']}"
    assert m["overflow"][2] <= 0 and m["overflow"][3] <= 0, f"content larger than the screen: {m['overflow']}"
    assert m["texts"], "no text on screen"
    smallest = min(m["texts"], key=lambda x: x["size"])
    assert smallest["size"] >= MIN_FLOOR, smallest
    assert m["titles"] and min(m["titles"]) >= MIN_TITLE
    assert all(v >= MIN_HEADLINE for v in m["values"]), m["values"]


def test_plays_by_itself_without_reloading(server, page):
    _open(page, server, "slide=1&auto=5&embed=true")
    page.evaluate("() => { window.__kkmpNoReload = true; }")
    page.wait_for_function(
        "() => document.querySelector('.kb-counter')?.textContent.includes('2 dari 6')", timeout=READY_MS
    )
    page.wait_for_function(
        "() => document.querySelector('.kb-counter')?.textContent.includes('3 dari 6')", timeout=READY_MS
    )
    assert page.evaluate("() => window.__kkmpNoReload === true")


def test_english_by_url(server, page):
    _open(page, server, "slide=1&lang=en&embed=true")
    assert page.inner_text(".kb-title") == "KKMP Balikpapan City: headline figures"
    assert "1 of 6" in page.inner_text(".kb-counter")
