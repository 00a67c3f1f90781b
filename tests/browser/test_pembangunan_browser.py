"""The Pembangunan page in headless Chromium: choosing a build redraws its Kurva S; it fits three screen sizes."""

from __future__ import annotations

import pytest

from tests.browser.harness import (
    ARTIFACTS,
    DESKTOP,
    PHONE,
    PROJECTOR,
    exceptions,
    full_page_screenshot,
    horizontal_overflow,
    wait_for_plotly_drawn,
    wait_until_idle,
)

# The Kurva S is the last plotly chart on the page; read its "Realisasi" trace from the drawn figure.
_REALISASI_JS = """() => {
    const plots = document.querySelectorAll('.js-plotly-plot');
    const fig = plots[plots.length - 1];
    const trace = fig && fig.data && fig.data.find(d => d.name === 'Realisasi (kumulatif)');
    return trace ? Array.from(trace.y) : null;
}"""


def test_choosing_a_build_redraws_its_kurva_s(open_app):
    page = open_app("pembangunan", viewport=DESKTOP)
    assert len(wait_for_plotly_drawn(page)) == 2
    assert "Kontrak kritis (Permen PU 07/2011)" in page.inner_text('[data-testid="stMain"]')
    before = page.evaluate(_REALISASI_JS)
    assert before[-1] == 47.5  # Manggar, the riskiest build, is shown first

    combobox = page.get_by_test_id("stSelectbox").get_by_role("combobox")
    combobox.click()
    combobox.fill("Graha")
    page.get_by_role("option").filter(has_text="Graha Indah").click()
    page.wait_for_function(
        f"() => {{ const y = ({_REALISASI_JS})(); return y && y[y.length - 1] === 66.6; }}", timeout=30_000
    )
    wait_until_idle(page)
    assert page.evaluate(_REALISASI_JS) != before
    assert not exceptions(page)


@pytest.mark.parametrize(("name", "viewport"), [("laptop", DESKTOP), ("projector", PROJECTOR), ("phone", PHONE)])
def test_pembangunan_fits_each_screen(open_app, name, viewport):
    page = open_app("pembangunan", viewport=viewport)
    charts = wait_for_plotly_drawn(page)
    path = full_page_screenshot(page, ARTIFACTS / f"pembangunan-{name}.png")
    assert path.stat().st_size > 20_000  # a drawn page, not a blank one
    assert len(charts) == 2 and all(c["marks"] > 0 for c in charts)
    assert not horizontal_overflow(page), f"pembangunan scrolls sideways at {viewport}: {horizontal_overflow(page)}"
