"""The Peta page in headless Chromium: polygons drawn with the builds standing out, nothing requested
from outside the machine, a deep-linked profile, and HTML in a cooperative's name shown as text."""

from __future__ import annotations

import io
from collections.abc import Iterator

import pytest

from kkmp.access import Editor
from kkmp.batas import load_boundary_file, save_boundaries
from kkmp.maps import _pixel, build_map_data
from kkmp.store import CommitInfo, Store
from tests.browser.harness import (
    ARTIFACTS,
    DESKTOP,
    PHONE,
    canvas_screenshot,
    exceptions,
    full_page_screenshot,
    make_sample_store,
    open_page,
    running_server,
    sample_canvas,
    wait_for_deck_drawn,
)
from tests.conftest import SHARED_BOUNDARIES

EVIL = "<img src=x onerror=alert(1)>"
MANGGAR = "64.71.01.1001"
LOOPBACK = ("http://127.0.0.1", "http://localhost", "ws://", "data:", "blob:")


@pytest.fixture(scope="module")
def peta_app(chromium_executable: str, browser, tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple]:
    """Its own server: the sample with boundaries (the shared file loaded over the shipped simplified one
    when present) and an HTML-named KKMP."""
    url = make_sample_store(tmp_path_factory.mktemp("peta-store"))
    store = Store(url)
    wilayah = store.read("wilayah")
    if SHARED_BOUNDARIES.exists():
        match = load_boundary_file(SHARED_BOUNDARIES, wilayah)
        save_boundaries(store, match, wilayah, editor=Editor("tes"), sumber="tes")
    kop = store.read("koperasi")
    kop.loc[kop["kode_kelurahan"] == MANGGAR, "nama_koperasi"] = EVIL
    store.commit({"koperasi": kop}, CommitInfo(pengguna="tes"))
    snapshot = store.snapshot()
    store.dispose()
    with running_server(url, tmp_path_factory.mktemp("peta-server") / "server.log") as server:
        warm = browser.new_context(viewport=DESKTOP)
        open_page(warm, server.url, "", timeout_ms=90_000)  # app.py runs once: st.navigation owns the URLs
        warm.close()
        yield server.url, snapshot


@pytest.fixture
def guarded(browser) -> Iterator[tuple]:
    """A context that aborts and records every request leaving the machine, and records dialogs."""
    ctx = browser.new_context(viewport=DESKTOP)
    outside: list[str] = []

    def guard(route) -> None:
        if route.request.url.startswith(LOOPBACK):
            route.continue_()
        else:
            outside.append(route.request.url)
            route.abort()

    ctx.route("**/*", guard)
    yield ctx, outside
    ctx.close()


def _orange_share(png: bytes) -> float:
    from PIL import Image

    pixels = list(Image.open(io.BytesIO(png)).convert("RGB").get_flattened_data())
    # "pembangunan" is Okabe-Ito orange #E69F00, drawn slightly transparent over the plain background.
    return sum(1 for r, g, b in pixels if r > 190 and 120 < g < 200 and r - b > 120) / max(len(pixels), 1)


def test_polygons_drawn_offline_with_builds_standing_out(peta_app, guarded):
    base, _ = peta_app
    ctx, outside = guarded
    page = open_page(ctx, base, "peta", {"kelurahan": MANGGAR})
    samples = wait_for_deck_drawn(page)
    full_page_screenshot(page, ARTIFACTS / "peta-batas.png")
    assert not exceptions(page)
    assert samples and not samples[0].blank, samples
    assert samples[0].drawn_share > 0.05, f"the map looks nearly empty: {samples[0]}"
    canvas = page.locator('[data-testid="stDeckGlJsonChart"] canvas').first
    share = _orange_share(page.screenshot(clip=canvas.bounding_box()))
    assert share > 0.002, f"the three builds do not stand out (orange share {share:.4f})"
    assert page.get_by_text("Profil Kelurahan Manggar").count() == 1
    assert outside == [], f"requests left the machine: {outside}"


def test_tooltip_shows_html_in_a_name_as_text(peta_app, guarded):
    base, snapshot = peta_app
    ctx, _ = guarded
    alerts: list[str] = []
    page = open_page(ctx, base, "peta")
    page.on("dialog", lambda d: (alerts.append(d.message), d.dismiss()))
    canvas = page.locator('[data-testid="stDeckGlJsonChart"] canvas').first
    assert not sample_canvas(page, canvas).blank
    data = build_map_data(snapshot, "status_fisik")
    point = snapshot["wilayah"].set_index("kode_kelurahan").loc[MANGGAR]
    box = canvas.bounding_box()
    cx, cy = _pixel(data.view.longitude, data.view.latitude, data.view.zoom)
    px, py = _pixel(float(point["lon"]), float(point["lat"]), data.view.zoom)
    page.mouse.move(box["x"] + box["width"] / 2 + px - cx, box["y"] + box["height"] / 2 + py - cy)
    tooltip = page.locator(".deck-tooltip")
    tooltip.wait_for(state="visible", timeout=15_000)
    assert EVIL in tooltip.inner_text()
    assert tooltip.locator("img").count() == 0
    assert alerts == []


def _edge_drawn(png: bytes, band: int = 4, tolerance: int = 8) -> int:
    """How many pixels of the outer `band` px of an image differ from its most common (background) colour."""
    from collections import Counter

    from PIL import Image

    image = Image.open(io.BytesIO(png)).convert("RGB")
    width, height = image.size
    pixels = image.load()
    background = Counter(image.get_flattened_data()).most_common(1)[0][0]
    edge = [
        pixels[x, y]
        for y in range(height)
        for x in range(width)
        if x < band or y < band or x >= width - band or y >= height - band
    ]
    return sum(1 for p in edge if max(abs(a - b) for a, b in zip(p, background, strict=True)) > tolerance)


@pytest.mark.parametrize("viewport", [DESKTOP, PHONE], ids=["desktop", "phone"])
def test_opening_view_shows_every_kelurahan(peta_app, browser, viewport):
    """The map opens with all 34 kelurahan inside it: nothing drawn touches the canvas's edge, at either size."""
    base, snapshot = peta_app
    assert build_map_data(snapshot, "status_fisik").feature_count == 34
    ctx = browser.new_context(viewport=viewport)
    try:
        page = open_page(ctx, base, "peta", viewport=viewport)
        samples = wait_for_deck_drawn(page)
        assert samples and not samples[0].blank, samples
        name = "desktop" if viewport == DESKTOP else "phone"
        png = canvas_screenshot(page, page.locator('[data-testid="stDeckGlJsonChart"] canvas').first)
        (ARTIFACTS / f"peta-awal-{name}.png").write_bytes(png)
        assert samples[0].drawn_share > 0.1, f"the map looks nearly empty: {samples[0]}"
        assert _edge_drawn(png) == 0, "the map is cut off: shapes reach the edge of the canvas"
    finally:
        ctx.close()
