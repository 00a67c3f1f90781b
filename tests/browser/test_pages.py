"""Every page in the navigation, opened in headless Chromium at 1366×768: it runs, draws, fits, and is kept."""

from __future__ import annotations

import pytest

from tests.browser.harness import (
    ARTIFACTS,
    DESKTOP,
    dialogs,
    exceptions,
    full_page_screenshot,
    has_shared_sidebar,
    horizontal_overflow,
    wait_for_deck_drawn,
    wait_for_plotly_drawn,
)
from ui.nav import EXPECTATIONS, PAGES


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
