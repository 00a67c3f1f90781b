"""The Briefing in a real browser at 1920×1080: no scrollbars, large text, and it plays by itself.

Uses the shared harness (tests/browser/conftest.py): one Streamlit server on the sample, headless Chromium.
"""

from __future__ import annotations

import pytest

from kkmp.briefing import SLIDE_KEYS
from tests.browser.harness import (
    ARTIFACTS,
    PHONE,
    PROJECTOR,
    exceptions,
    make_sample_store,
    open_page,
    running_server,
    wait_for_deck_drawn,
    wait_for_plotly_drawn,
)

MIN_HEADLINE = 64
MIN_TITLE = 40
MIN_FLOOR = 20  # no text below 20 px (the slides aim at 22)
READY_MS = 90_000
KIOSK = {"embed": "true"}

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


def _open(open_app, **params: str):
    page = open_app("briefing", {**params, **KIOSK}, viewport=PROJECTOR)
    page.wait_for_selector(".kb-title", timeout=READY_MS)
    wait_for_plotly_drawn(page)
    if params.get("slide") == "2":
        assert wait_for_deck_drawn(page), "the map slide shows no map"
    return page


@pytest.mark.parametrize("slide", range(1, 7))
@pytest.mark.parametrize("theme", ["dark", "light"])
def test_slide_fits_the_screen_with_large_text(open_app, slide, theme):
    page = _open(open_app, slide=str(slide), theme=theme)
    (ARTIFACTS / "briefing").mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / "briefing" / f"slide-{slide}-{theme}.png"))
    assert not exceptions(page)
    m = page.evaluate(MEASURE)
    assert m["overflow"][0] <= 0 and m["overflow"][1] <= 0, f"page scrolls: {m['overflow']}"
    assert m["overflow"][2] <= 0 and m["overflow"][3] <= 0, f"content larger than the screen: {m['overflow']}"
    assert m["texts"], "no text on screen"
    smallest = min(m["texts"], key=lambda x: x["size"])
    assert smallest["size"] >= MIN_FLOOR, smallest
    assert m["titles"] and min(m["titles"]) >= MIN_TITLE
    assert all(v >= MIN_HEADLINE for v in m["values"]), m["values"]


@pytest.mark.parametrize("key", ["angka", "lahan", "perubahan"])
def test_phone_gets_a_readable_layout(open_app, key):
    slide = str(SLIDE_KEYS.index(key) + 1)
    page = open_app("briefing", {"slide": slide}, viewport=PHONE)
    page.wait_for_selector(".kb-title", timeout=READY_MS)
    wait_for_plotly_drawn(page)
    (ARTIFACTS / "briefing").mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / "briefing" / f"phone-slide-{slide}.png"), full_page=True)
    assert not exceptions(page)
    title = page.evaluate(
        "() => { const t = document.querySelector('.kb-title');"
        " return {cut: t.scrollWidth > t.clientWidth, wide: t.getBoundingClientRect().right > innerWidth}; }"
    )
    assert title == {"cut": False, "wide": False}  # the whole title shows, wrapped, inside the screen
    if key == "angka":
        columns = page.evaluate(
            "() => getComputedStyle(document.querySelector('.kb-cards')).gridTemplateColumns.split(' ').length"
        )
        assert columns == 2
        inside = page.evaluate(
            "() => [...document.querySelectorAll('.kb-value')].every(v => v.scrollWidth <= v.clientWidth + 1)"
        )
        assert inside, "a headline figure is wider than its card"
    elif key == "perubahan":
        assert page.locator("table.kb-changes").bounding_box()["width"] <= PHONE["width"]
    else:  # a chart slide: the chart fits the phone's width
        assert page.locator(".js-plotly-plot").first.bounding_box()["width"] <= PHONE["width"]


def test_plays_by_itself_without_reloading(open_app):
    page = _open(open_app, slide="1", auto="5")
    page.evaluate("() => { window.__kkmpNoReload = true; }")
    page.wait_for_function(
        "() => document.querySelector('.kb-counter')?.textContent.match(/^Slide 2 dari/)", timeout=READY_MS
    )
    page.wait_for_function(
        "() => document.querySelector('.kb-counter')?.textContent.match(/^Slide 3 dari/)", timeout=READY_MS
    )
    assert page.evaluate("() => window.__kkmpNoReload === true")


def test_english_by_url(open_app):
    page = _open(open_app, slide="1", lang="en")
    assert page.inner_text(".kb-title") == "KKMP Kota Balikpapan: headline figures"
    assert page.inner_text(".kb-counter").startswith("Slide 1 of ")


def test_kiosk_url_on_a_fresh_server_opens_its_slide(browser, tmp_path):
    """A TV that boots straight into the kiosk URL gets slide 3, playing, in the app's shell."""
    url = make_sample_store(tmp_path)
    with running_server(url, tmp_path / "server.log") as server:
        context = browser.new_context(viewport=PROJECTOR)
        try:
            page = open_page(context, server.url, "briefing", {"slide": "3", "auto": "20", **KIOSK}, timeout_ms=90_000)
            page.wait_for_selector(".kb-title", timeout=READY_MS)
            assert not exceptions(page), server.log()
            assert page.inner_text(".kb-title") == "Pembangunan gerai + gudang"
            assert page.inner_text(".kb-counter").startswith("Slide 3 dari ")
        finally:
            context.close()
