"""Ringkasan as of a reference date (#16) in headless Chromium: the follow-up list lists Manggar first
on 12 Dec 2025; on 29 Nov 2026 the stale-report banner shows. Desktop and phone, screenshots kept."""

from __future__ import annotations

import pytest

from tests.browser.harness import ARTIFACTS, DESKTOP, PHONE, exceptions, full_page_screenshot, horizontal_overflow

SIZES = [("desktop", DESKTOP), ("phone", PHONE)]


@pytest.mark.parametrize(("name", "viewport"), SIZES)
def test_december_2025_lists_manggar_first(open_app, name, viewport):
    page = open_app("ringkasan", {"per": "2025-12-12"}, viewport=viewport)
    assert not exceptions(page), exceptions(page)
    heading = page.get_by_role("heading", name="Tindak lanjut")
    assert heading.count() == 1
    page.locator('[data-testid="stDataFrame"]').first.wait_for(timeout=20_000)
    text = page.locator('[data-testid="stMain"]').inner_text()
    assert "2 hal per 12 Desember 2025" in text and "hari lalu" not in text
    rows = page.locator('[data-testid="stDataFrame"] table tr').all_inner_texts()  # the grid's accessible table
    assert len(rows) == 3 and "Manggar" in rows[1] and "Manggar" not in rows[2], rows  # header, then Manggar first
    assert not horizontal_overflow(page), horizontal_overflow(page)
    full_page_screenshot(page, ARTIFACTS / f"tindak-lanjut-2025-12-12-{name}.png")


@pytest.mark.parametrize(("name", "viewport"), SIZES)
def test_november_2026_shows_the_stale_banner(open_app, name, viewport):
    page = open_app("ringkasan", {"per": "2026-11-29"}, viewport=viewport)
    assert not exceptions(page), exceptions(page)
    banner = page.get_by_text("Laporan progres terakhir 12 Des 2025 — 352 hari lalu")
    assert banner.count() == 1 and banner.is_visible()
    assert "per=2026-11-29" in page.url
    assert not horizontal_overflow(page), horizontal_overflow(page)
    full_page_screenshot(page, ARTIFACTS / f"tindak-lanjut-2026-11-29-{name}.png")


def test_on_a_phone_the_five_headline_cards_fit_the_first_screen_two_per_row_then_the_list(open_app):
    page = open_app("ringkasan", {"per": "2025-12-12"}, viewport=PHONE)
    page.locator('[data-testid="stDataFrame"]').first.wait_for(timeout=20_000)
    cards = [page.locator(f".st-key-{k}").bounding_box() for k in ("card_kkmp", "card_pembangunan", "card_rat")]
    assert abs(cards[0]["y"] - cards[1]["y"]) < 2, cards  # two per row
    assert cards[2]["y"] + cards[2]["height"] <= PHONE["height"], cards  # the fifth card inside the first screen
    heading = page.get_by_role("heading", name="Tindak lanjut").bounding_box()
    chart = page.locator('[data-testid="stPlotlyChart"]').first.bounding_box()
    assert cards[2]["y"] < heading["y"] < chart["y"], (heading, chart)
