"""The harness's own checks can fail: blank canvases are blank, drawn ones are not, overflow is seen."""

from __future__ import annotations

import io

from PIL import Image, ImageDraw

from tests.browser.harness import horizontal_overflow, page_url, route, sample_pixels
from ui.nav import PAGES


def _png(draw: bool) -> bytes:
    image = Image.new("RGB", (300, 200), (255, 255, 255))
    if draw:
        ImageDraw.Draw(image).polygon([(40, 30), (200, 50), (160, 170), (60, 140)], fill=(0, 114, 178))
    buf = io.BytesIO()
    image.save(buf, format="PNG")
    return buf.getvalue()


def test_blank_canvas_is_blank():
    assert sample_pixels(_png(draw=False)).blank


def test_drawn_canvas_is_not_blank():
    sample = sample_pixels(_png(draw=True))
    assert not sample.blank
    assert 0.2 < sample.drawn_share < 0.6


def test_default_page_is_served_at_the_root():
    assert route(PAGES[0].url_path) == ""
    assert page_url("http://127.0.0.1:1/", "peta", {"lang": "en"}) == "http://127.0.0.1:1/peta?lang=en"


def test_overflow_check_sees_a_too_wide_element(open_app):
    page = open_app("ringkasan")
    assert horizontal_overflow(page) == []
    page.evaluate(
        """() => {
        const wide = document.createElement('div');
        wide.style.width = '3000px';
        wide.style.height = '10px';
        document.querySelector('[data-testid="stMainBlockContainer"]').appendChild(wide);
    }"""
    )
    assert horizontal_overflow(page), "a 3000 px wide element should make the page scroll sideways"
