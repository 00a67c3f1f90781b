"""Every page in the navigation, opened in headless Chromium at 1366×768: it runs, draws, fits, and is kept."""

from __future__ import annotations

import re

import pytest

from tests.browser.harness import (
    ARTIFACTS,
    DESKTOP,
    PHONE,
    dialogs,
    exceptions,
    full_page_screenshot,
    has_shared_sidebar,
    horizontal_overflow,
    wait_for_deck_drawn,
    wait_for_plotly_drawn,
)
from ui.nav import EXPECTATIONS, PAGES

MIN_CHART_PX = 300


@pytest.mark.parametrize("spec", PAGES, ids=lambda p: p.url_path)
def test_page_declares_known_expectations(spec):
    assert set(spec.expects) <= EXPECTATIONS, f"{spec.url_path}: unknown expects {set(spec.expects) - EXPECTATIONS}"


@pytest.mark.parametrize("spec", PAGES, ids=lambda p: p.url_path)
def test_page_in_browser(open_app, spec):
    page = open_app(spec.url_path, viewport=DESKTOP)
    charts = wait_for_plotly_drawn(page)
    maps = wait_for_deck_drawn(page)
    full_page_screenshot(page, ARTIFACTS / f"{spec.url_path}.png")

    assert not exceptions(page), f"{spec.url_path} shows an exception:\n" + "\n---\n".join(exceptions(page))
    assert not dialogs(page), f"{spec.url_path} opens a dialog: {dialogs(page)}"
    assert has_shared_sidebar(page), "the shared sidebar (language switch) is missing: app.py did not route this page"
    if "plotly" in spec.expects:
        assert charts, f"{spec.url_path} declares a plotly chart but shows none"
    for chart in charts:
        assert chart["svgs"] > 0 and chart["marks"] > 0, f"{spec.url_path}: plotly chart not drawn: {chart}"
        assert chart["width"] > 0 and chart["height"] > 0, f"{spec.url_path}: plotly chart has no size: {chart}"
    if "deck" in spec.expects:
        assert maps, f"{spec.url_path} declares a map but shows no deck canvas"
    for i, sample in enumerate(maps):
        assert not sample.blank, f"{spec.url_path}: map {i} is blank: {sample}"
    assert not horizontal_overflow(page), f"{spec.url_path} scrolls sideways at 1366×768: {horizontal_overflow(page)}"


#: Framework English and raw nulls that must never show on an Indonesian page (#17).
FOREIGN = re.compile(
    r"Select all|Choose options?|Drag and drop|Browse files|\bUpload\b|per file|No results|\b(?:None|nan|NaN|NaT)\b"
)

# The words a visitor sees: text nodes drawn with a non-zero font size (the uploader's own English words are
# drawn at 0 px, replaced by ours in CSS), in the page and the sidebar.
VISIBLE_TEXT_JS = """() => {
  const out = [];
  const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
  while (walker.nextNode()) {
    const el = walker.currentNode.parentElement, text = walker.currentNode.textContent.trim();
    if (!text || !el || ['STYLE', 'SCRIPT', 'NOSCRIPT'].includes(el.tagName)) continue;
    const c = getComputedStyle(el);
    if (parseFloat(c.fontSize) === 0 || c.visibility === 'hidden' || el.closest('[aria-hidden="true"]')) continue;
    const r = el.getBoundingClientRect();
    if (r.width === 0 && r.height === 0) continue;
    out.push(text);
  }
  return out;
}"""


# st.dataframe draws its cells on a canvas (glide data grid); glide also writes the rows it draws into an
# accessibility table (role="grid": headers and "glide-cell-c-r" cells). A missing value is drawn as a grey "None"
# on the canvas but is an empty cell in that table, so an empty data cell there is a raw null on screen.
GRID_TEXT_JS = """() => {
  const grids = [...document.querySelectorAll('[data-testid="stDataFrame"]')].filter((e) => e.offsetParent !== null);
  const texts = [], empty = [];
  for (const grid of grids) {
    const heads = [...grid.querySelectorAll('table[role="grid"] th')].map((th) => th.textContent.trim());
    texts.push(...heads);
    for (const cell of grid.querySelectorAll('table[role="grid"] td[role="gridcell"]')) {
      const text = cell.textContent.trim();
      texts.push(text);
      if (!text) empty.push(`${heads[+cell.getAttribute('aria-colindex') - 1]} (${cell.id})`);
    }
  }
  return {grids: grids.length, texts, empty};
}"""


@pytest.mark.parametrize("spec", PAGES, ids=lambda p: p.url_path)
def test_page_on_a_phone_in_indonesian(open_app, spec):
    page = open_app(spec.url_path, viewport=PHONE)
    charts = wait_for_plotly_drawn(page)
    wait_for_deck_drawn(page)
    full_page_screenshot(page, ARTIFACTS / f"{spec.url_path}-phone.png")
    assert not exceptions(page), f"{spec.url_path} shows an exception at 390×844"
    assert not horizontal_overflow(page), f"{spec.url_path} scrolls sideways at 390×844: {horizontal_overflow(page)}"
    narrow = [c for c in charts if c["width"] < MIN_CHART_PX]
    assert not narrow, f"{spec.url_path}: a chart narrower than {MIN_CHART_PX} px on a phone: {narrow}"
    grid = page.evaluate(GRID_TEXT_JS)
    if grid["grids"]:
        assert grid["texts"], f"{spec.url_path}: no cell text in the data grids' accessibility table"
    texts = page.evaluate(VISIBLE_TEXT_JS) + grid["texts"]
    foreign = sorted({m.group() for text in texts for m in FOREIGN.finditer(text)})
    assert not foreign, f"{spec.url_path}: framework English or raw nulls on an Indonesian page: {foreign}"
    assert not grid["empty"], f"{spec.url_path}: table cells drawn as 'None' (a missing value): {grid['empty']}"
