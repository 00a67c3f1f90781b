"""In a real browser: hostile text in the data is shown as text — no script runs, no HTML, no link, no bold."""

from __future__ import annotations

import pytest

from kkmp.store import Store
from tests.browser.harness import (
    ARTIFACTS,
    DESKTOP,
    exceptions,
    full_page_screenshot,
    make_sample_store,
    open_page,
    running_server,
    wait_for_plotly_drawn,
)
from tests.hostile_data import MARKER, poison_store
from ui.nav import PAGES

_INJECTED_JS = f"""() => ({{
  script_ran: window.__kkmp_xss !== undefined,
  images: document.querySelectorAll('img[src="x"]').length,
  js_links: document.querySelectorAll('a[href^="javascript"]').length,
  bold_marker: [...document.querySelectorAll('b, strong')].filter(e => e.textContent.trim() === '{MARKER}').length,
  svg_bold_marker: [...document.querySelectorAll('.js-plotly-plot tspan')]
      .filter(e => e.textContent.trim() === '{MARKER}' && (e.getAttribute('style') || '').includes('bold')).length,
  marker_present: document.body.innerText.includes('{MARKER}')
      || [...document.querySelectorAll('.js-plotly-plot text')].some(t => t.textContent.includes('{MARKER}')),
  shown_literally: document.body.innerText.includes('<b>{MARKER}</b>')
      || [...document.querySelectorAll('.js-plotly-plot text')].some(t => t.textContent.includes('<b>{MARKER}</b>')),
}})"""


@pytest.fixture(scope="module")
def hostile_server(chromium_executable, tmp_path_factory):
    """A server whose store has the payload in every free-text value."""
    folder = tmp_path_factory.mktemp("hostile")
    url = make_sample_store(folder)
    store = Store(url)
    poison_store(store)
    store.dispose()
    with running_server(url, folder / "server.log") as server:
        yield server


@pytest.mark.parametrize("spec", PAGES, ids=lambda p: p.url_path)
def test_hostile_text_stays_text_in_the_browser(browser, hostile_server, spec):
    context = browser.new_context(viewport=DESKTOP)
    try:
        page = open_page(context, hostile_server.url, spec.url_path, timeout_ms=90_000)
        wait_for_plotly_drawn(page)
        full_page_screenshot(page, ARTIFACTS / f"hostile-{spec.url_path}.png")
        found = page.evaluate(_INJECTED_JS)
        assert not exceptions(page)
        if found["marker_present"] or spec == PAGES[0]:  # pages showing no stored text (sign-in) have none
            assert found["shown_literally"], "the payload should be on the page, as literal text"
        assert {k: v for k, v in found.items() if k not in ("shown_literally", "marker_present")} == {
            "script_ran": False,
            "images": 0,
            "js_links": 0,
            "bold_marker": 0,
            "svg_bold_marker": 0,
        }
    finally:
        context.close()
