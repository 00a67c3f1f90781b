"""The Briefing on every screen people have: 720p projectors to 4K TVs, and a portrait phone.

Each test opens slide 1 and steps through every slide the deck has (read from "Slide n dari N"), measuring
element boxes and computed font sizes (times the scale the slide is drawn at) on each slide.
"""

from __future__ import annotations

import re

import pytest

from tests.browser.harness import (
    ARTIFACTS,
    PHONE,
    exceptions,
    horizontal_overflow,
    wait_for_deck_drawn,
    wait_for_plotly_drawn,
    wait_until_idle,
)

SCREENS = [(1280, 720), (1366, 768), (1920, 1080), (2560, 1440), (3840, 2160)]
LARGEST_SHARE = 0.055  # the largest figure is at least 5.5 % of the screen height
SMALLEST_SHARE = 0.016  # no text below 1.6 % of it
MIN_CHART_PX = 300
READY_MS = 90_000

# Every text on screen with its size as seen (computed font size × the scale the slide is drawn at), the footer's
# box, the headline figures' and change-table numbers' wrapping, the charts' boxes, and scroll overflow.
MEASURE = """() => {
  const stage = document.querySelector('[data-testid="stMainBlockContainer"]');
  const scale = stage.getBoundingClientRect().width / stage.offsetWidth;  // the slide's scale to the screen
  const zoom = (el) => (el.currentCSSZoom || 1) * scale;
  const shown = (el) => {
    for (let p = el; p; p = p.parentElement) {
      const c = getComputedStyle(p);
      if (c.display === 'none' || c.visibility === 'hidden' || parseFloat(c.opacity) === 0) return false;
    }
    const r = el.getBoundingClientRect();
    return r.width > 1 && r.height > 1 && r.bottom > 0 && r.right > 0 && r.top < innerHeight && r.left < innerWidth;
  };
  const texts = [];
  const walker = document.createTreeWalker(document.querySelector('[data-testid="stMain"]'), NodeFilter.SHOW_TEXT);
  while (walker.nextNode()) {
    const el = walker.currentNode.parentElement, text = walker.currentNode.textContent.trim();
    if (!text || !el || ['STYLE', 'SCRIPT'].includes(el.tagName) || !shown(el)) continue;
    texts.push({text: text.slice(0, 40), size: parseFloat(getComputedStyle(el).fontSize) * zoom(el)});
  }
  const box = (el) => { const r = el.getBoundingClientRect(); return {top: r.top, bottom: r.bottom, left: r.left,
    right: r.right, width: r.width, height: r.height}; };
  const lines = (el) => {  // how many lines a number's text takes: the distinct tops of its line boxes
    const range = document.createRange();
    range.selectNodeContents(el);
    return new Set([...range.getClientRects()].map((r) => Math.round(r.top))).size;
  };
  const numbers = [...document.querySelectorAll('.kb-value, table.kb-changes td:not(:first-child)')].filter(shown);
  const main = document.querySelector('[data-testid="stMain"]'), doc = document.scrollingElement;
  const foot = document.querySelector('.kb-foot');
  return {
    texts,
    foot: foot ? box(foot) : null,
    wrapped: numbers.filter((el) => lines(el) > 1 || el.scrollWidth > el.clientWidth + 1).map((el) => el.textContent),
    charts: [...document.querySelectorAll('.js-plotly-plot svg.main-svg:first-of-type, [data-testid="stDeckGlJsonChart"]')]
      .map(box),  // what a chart draws (plotly's own box may reach past its drawing)
    // the headline cards and the boxes the figures are laid out in (the chart area, not only what it draws)
    cards: [...document.querySelectorAll('.kb-card')].filter(shown).map(box),
    figures: [...document.querySelectorAll('[class*="st-key-briefing_fig_"], [data-testid="stDeckGlJsonChart"]')]
      .filter(shown).map(box),
    // the page's own scroll range, and how far the slide as drawn reaches past the screen
    scroll: [doc.scrollHeight - doc.clientHeight, Math.round(stage.getBoundingClientRect().bottom - innerHeight),
             getComputedStyle(main).overflowY === 'hidden' ? 0 : main.scrollHeight - main.clientHeight],
  };
}"""


def _overlap(a: dict, b: dict, tolerance: float = 0.5) -> bool:
    """True when boxes `a` and `b` share more than `tolerance` px both across and down."""
    across = min(a["right"], b["right"]) - max(a["left"], b["left"])
    down = min(a["bottom"], b["bottom"]) - max(a["top"], b["top"])
    return across > tolerance and down > tolerance


def _slide_count(page) -> tuple[int, int]:
    text = page.inner_text(".kb-counter")
    n, total = map(int, re.findall(r"\d+", text)[:2])
    return n, total


def _drawn(page, slide: int) -> None:
    page.wait_for_function(
        f"() => document.querySelector('.kb-counter')?.textContent.trim().match(/^\\D*{slide}\\D/)", timeout=READY_MS
    )
    wait_until_idle(page)
    wait_for_plotly_drawn(page)
    if page.locator('[data-testid="stDeckGlJsonChart"]').count():
        assert not any(s.blank for s in wait_for_deck_drawn(page)), f"slide {slide}: the map is blank"


def _walk(open_app, viewport: dict, name: str):
    """Open slide 1 at `viewport`, then yield (slide number, measurements) for every slide of the deck."""
    page = open_app("briefing", {"slide": "1", "embed": "true"}, viewport=viewport)
    page.wait_for_selector(".kb-title", timeout=READY_MS)
    _, total = _slide_count(page)
    assert total >= 6
    folder = ARTIFACTS / "briefing-sizes"
    folder.mkdir(parents=True, exist_ok=True)
    for slide in range(1, total + 1):
        _drawn(page, slide)
        assert not exceptions(page), f"slide {slide}: {exceptions(page)}"
        page.screenshot(path=str(folder / f"{name}-slide-{slide}.png"))
        yield slide, page.evaluate(MEASURE), page
        if slide < total:
            page.locator(".st-key-briefing_next button:visible").first.click()


@pytest.mark.parametrize(
    ("width", "height"),
    [pytest.param(w, h, id=f"{w}x{h}") for w, h in SCREENS],
)
def test_every_slide_fits_the_screen(open_app, width, height):
    for slide, m, page in _walk(open_app, {"width": width, "height": height}, f"{width}x{height}"):
        where = f"{width}x{height} slide {slide}"
        assert max(m["scroll"]) <= 0, f"{where}: the slide scrolls or reaches past the screen {m['scroll']}"
        assert not horizontal_overflow(page), f"{where}: sideways scroll"
        assert m["foot"] and m["foot"]["top"] >= 0 and m["foot"]["bottom"] <= height, f"{where}: footer {m['foot']}"
        assert "Posisi per" in page.inner_text(".kb-foot")
        largest = max(t["size"] for t in m["texts"])
        smallest = min(m["texts"], key=lambda t: t["size"])
        assert largest >= LARGEST_SHARE * height, f"{where}: largest text {largest:.1f} px"
        assert smallest["size"] >= SMALLEST_SHARE * height, f"{where}: {smallest}"
        assert not m["wrapped"], f"{where}: numbers wrap or overflow: {m['wrapped']}"
        assert all(c["bottom"] <= height and c["right"] <= width for c in m["charts"]), f"{where}: {m['charts']}"
        overlaps = [(c, f) for c in m["cards"] for f in m["figures"] if _overlap(c, f)]
        assert not overlaps, f"{where}: a chart area over a card: {overlaps}"


def test_every_slide_on_a_portrait_phone(open_app):
    for slide, m, page in _walk(open_app, PHONE, "phone"):
        where = f"phone slide {slide}"
        assert not horizontal_overflow(page), f"{where}: sideways scroll"
        charts = m["charts"]
        assert all(c["width"] >= MIN_CHART_PX for c in charts), f"{where}: a chart under {MIN_CHART_PX} px: {charts}"
        assert all(c["right"] <= PHONE["width"] + 1 for c in charts), f"{where}: a chart past the screen: {charts}"
        assert len({round(c["left"]) for c in charts}) <= 1, f"{where}: charts side by side: {charts}"
        assert not m["wrapped"], f"{where}: numbers wrap or overflow: {m['wrapped']}"
