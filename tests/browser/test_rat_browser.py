"""The RAT page (#6) in headless Chromium: both gauges drawn with the sample's figures at desktop,
projector and phone sizes, no sideways scroll, and the deadline switch re-runs the page."""

from __future__ import annotations

import pytest

from tests.browser.harness import (
    ARTIFACTS,
    DESKTOP,
    PHONE,
    PROJECTOR,
    exceptions,
    full_page_screenshot,
    has_shared_sidebar,
    horizontal_overflow,
    wait_for_plotly_drawn,
    wait_until_idle,
)

GAUGE_NUMBERS = ".indicatorlayer text.number"


def gauge_numbers(page) -> list[str]:
    page.wait_for_function(f"document.querySelectorAll('{GAUGE_NUMBERS}').length >= 2", timeout=20_000)
    return page.locator(GAUGE_NUMBERS).all_text_contents()


@pytest.mark.parametrize(("name", "viewport"), [("desktop", DESKTOP), ("projector", PROJECTOR), ("phone", PHONE)])
def test_rat_gauges_show_the_sample_figures(open_app, name, viewport):
    page = open_app("rat", viewport=viewport)
    charts = wait_for_plotly_drawn(page)
    assert not exceptions(page), exceptions(page)
    assert has_shared_sidebar(page)
    assert gauge_numbers(page)[:2] == ["68,8%", "100,0%"]  # city measure, official measure
    assert len(charts) == 5 and all(c["marks"] > 0 for c in charts)
    assert not horizontal_overflow(page), horizontal_overflow(page)
    shot = full_page_screenshot(page, ARTIFACTS / f"rat-{name}.png")
    assert shot.stat().st_size > 20_000


def test_deadline_switch_reruns_with_30_june(open_app):
    page = open_app("rat", viewport=DESKTOP)
    wait_for_plotly_drawn(page)
    assert page.get_by_text("batas waktu RAT 31 Maret 2025").count() == 1
    page.locator(".st-key-rat_batas_waktu button", has_text="30 Juni").click()
    wait_until_idle(page)
    assert page.get_by_text("batas waktu RAT 30 Juni 2025").count() == 1
    assert gauge_numbers(page)[:2] == ["68,8%", "100,0%"]  # held is held, whatever the deadline
