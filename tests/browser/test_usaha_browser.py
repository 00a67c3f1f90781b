"""A fresh `init --sample` in headless Chromium: Peta is a choropleth of 34 kelurahan polygons (no
boundary command was run) and no two name labels overlap at the opening view; /usaha draws its charts.

How the label boxes are found: deck.gl draws text on a canvas, so the DOM has no boxes to read. The
server's `MapData` gives the opening view (centre, zoom) and each label's position, pixel offset
and text; a label's centre on screen is its Web-Mercator pixel minus the view centre's pixel plus
half the canvas. Its width is the text measured in the browser with the TextLayer's own font (600
13px Source Sans Pro, canvas `measureText`) plus the 4-px outline on each side; its height is the
13-px size plus the outline. Hovering over every kelurahan's point in the browser and reading the
tooltip checks that this projection matches what deck.gl drew: at each of the 34 name points
(`MapData.all_labels`, placed inside their polygons) the polygon under the pointer is that kelurahan.
"""

from __future__ import annotations

import contextlib
import itertools

import pytest
from playwright.sync_api import TimeoutError as PlaywrightTimeout

from kkmp.maps import LABEL_OUTLINE_PX, LABEL_SIZE_PX, _pixel, build_map_data
from kkmp.store import Store
from tests.browser.harness import ARTIFACTS, DESKTOP, PHONE, canvas_screenshot, exceptions, wait_for_deck_drawn

LABEL_FONT = "600 13px 'Source Sans Pro', Arial, sans-serif"
CANVAS = '[data-testid="stDeckGlJsonChart"] canvas'


@pytest.fixture(scope="module")
def fresh_map(browser_store_url: str):
    """The session's store is a plain `init --sample`: its map data as the server builds it."""
    store = Store(browser_store_url)
    snapshot = store.snapshot()
    store.dispose()
    return snapshot, build_map_data(snapshot, "status_fisik")


def label_boxes(page, data, box: dict) -> list[tuple[str, tuple[float, float, float, float]]]:
    """Screen boxes (left, top, right, bottom) of the labels of `data`, drawn on the canvas at `box`."""
    widths = page.evaluate(
        "([font, texts]) => { const c = document.createElement('canvas').getContext('2d'); c.font = font;"
        " return texts.map(t => c.measureText(t).width); }",
        [LABEL_FONT, [item["text"] for item in data.labels]],
    )
    cx, cy = _pixel(data.view.longitude, data.view.latitude, data.view.zoom)
    out = []
    for item, width in zip(data.labels, widths, strict=True):
        px, py = _pixel(item["position"][0], item["position"][1], data.view.zoom)
        x = box["x"] + box["width"] / 2 + px - cx + item["offset"][0]
        y = box["y"] + box["height"] / 2 + py - cy + item["offset"][1]
        half_w, half_h = width / 2 + LABEL_OUTLINE_PX, LABEL_SIZE_PX / 2 + LABEL_OUTLINE_PX
        out.append((item["text"], (x - half_w, y - half_h, x + half_w, y + half_h)))
    return out


def overlapping(boxes) -> list[tuple[str, str]]:
    """Pairs of labels whose boxes intersect."""
    return [
        (a, b)
        for (a, p), (b, q) in itertools.combinations(boxes, 2)
        if p[0] < q[2] and q[0] < p[2] and p[1] < q[3] and q[1] < p[3]
    ]


def test_fresh_sample_draws_34_polygons(open_app, fresh_map):
    snapshot, data = fresh_map
    assert len(snapshot["batas_wilayah"]) == 34 and len(data.polygons) == 34 and not data.points
    page = open_app("peta")
    samples = wait_for_deck_drawn(page)
    assert samples and not samples[0].blank and not exceptions(page)
    canvas = page.locator(CANVAS).first
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    (ARTIFACTS / "peta-contoh-baru.png").write_bytes(canvas_screenshot(page, canvas))
    box = canvas.bounding_box()
    cx, cy = _pixel(data.view.longitude, data.view.latitude, data.view.zoom)
    tooltip = page.locator(".deck-tooltip")
    answered = {}
    for item in data.all_labels:  # every kelurahan's name point, shown or thinned out
        px, py = _pixel(item["position"][0], item["position"][1], data.view.zoom)
        page.mouse.move(box["x"] + box["width"] / 2 + px - cx, box["y"] + box["height"] / 2 + py - cy)
        tooltip.wait_for(state="visible", timeout=10_000)
        with contextlib.suppress(PlaywrightTimeout):  # the tooltip follows the pointer after a frame or two
            page.wait_for_function(
                "(name) => document.querySelector('.deck-tooltip')?.innerText.startsWith('Kelurahan ' + name + '\\n')",
                arg=item["text"],
                timeout=3_000,
            )
        answered[item["text"]] = tooltip.inner_text().splitlines()[0].removeprefix("Kelurahan ")
    wrong = {k: v for k, v in answered.items() if k != v}
    assert (
        len(answered) == 34 and wrong == {}
    )  # every kelurahan answers at its own point: 34 polygons drawn where they belong


@pytest.mark.parametrize("viewport", [DESKTOP, PHONE], ids=["desktop", "phone"])
def test_no_two_labels_overlap_at_the_opening_view(open_app, fresh_map, viewport):
    _, data = fresh_map
    assert len(data.labels) >= 5  # names are shown (thinned, not dropped)
    page = open_app("peta", viewport=viewport)
    wait_for_deck_drawn(page)
    box = page.locator(CANVAS).first.bounding_box()
    boxes = label_boxes(page, data, box)
    assert overlapping(boxes) == []
    inside = [name for name, b in boxes if b[0] >= box["x"] and b[2] <= box["x"] + box["width"]]
    assert len(inside) == len(boxes), "a label runs off the map"


def test_usaha_page_draws_its_charts(open_app):
    page = open_app("usaha")
    page.wait_for_selector('[data-testid="stPlotlyChart"] .main-svg', timeout=45_000)
    assert not exceptions(page)
    assert page.locator('[data-testid="stPlotlyChart"]').count() == 3
