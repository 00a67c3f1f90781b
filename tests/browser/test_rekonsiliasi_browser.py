"""The sample plus the national fixtures in headless Chromium (#21): the Rekonsiliasi page lists the 17
disagreements, the filter shows all 170 comparisons, and Peta's land indicator draws the site layer."""

from __future__ import annotations

import pytest

from kkmp.cli import main
from kkmp.i18n import t
from tests.browser.harness import (
    ARTIFACTS,
    exceptions,
    make_sample_store,
    open_page,
    running_server,
    wait_for_deck_drawn,
    wait_for_rerun,
)
from tests.conftest import FIXTURES

LAHAN_LABEL = t("peta.indikator.lahan", "id")
FILES = [FIXTURES / "nasional-lahan-balikpapan.csv", FIXTURES / "nasional-statistik-balikpapan.csv"]


@pytest.fixture(scope="module")
def national_server(tmp_path_factory: pytest.TempPathFactory):
    """Its own server over a store holding the sample and both national exports."""
    directory = tmp_path_factory.mktemp("nasional")
    url = make_sample_store(directory)
    assert main(["--db", url, "import", *map(str, FILES), "--posisi-per", "2025-11-30"]) == 0
    with running_server(url, directory / "streamlit.log") as server:
        yield server


def _rows(page) -> int:
    return int(page.locator('[data-testid="stDataFrame"]').first.get_attribute("data-test-rows") or -1)


def test_rekonsiliasi_page_lists_the_disagreements(chromium_executable, browser, national_server):
    context = browser.new_context(viewport={"width": 1366, "height": 900}, locale="id-ID")
    page = open_page(context, national_server.url, "rekonsiliasi", {"lang": "id"})
    assert not exceptions(page)
    body = page.locator('[data-testid="stMain"]').inner_text()
    assert "17 perbedaan dari 170 perbandingan" in body
    assert page.locator('[data-testid="stDataFrame"]').count() == 1
    assert page.get_by_text("Unduh XLSX untuk tindak lanjut").count() == 1
    page.screenshot(path=str(ARTIFACTS / "rekonsiliasi.png"), full_page=True)
    page.get_by_text("Hanya yang berbeda").click()
    wait_for_rerun(page)
    assert not exceptions(page)
    page.screenshot(path=str(ARTIFACTS / "rekonsiliasi-semua.png"), full_page=True)
    context.close()


def test_peta_land_indicator_draws_the_site_layer(chromium_executable, browser, national_server):
    context = browser.new_context(viewport={"width": 1366, "height": 900}, locale="id-ID")
    page = open_page(context, national_server.url, "peta", {"lang": "id"})
    page.locator('[data-testid="stButtonGroup"] button', has_text=LAHAN_LABEL).first.click()
    wait_for_rerun(page)
    assert not exceptions(page)
    assert not any(sample.blank for sample in wait_for_deck_drawn(page))
    assert "lokasi lahan dari ekspor nasional" in page.locator('[data-testid="stMain"]').inner_text()
    page.screenshot(path=str(ARTIFACTS / "peta-lahan-titik.png"), full_page=True)
    context.close()
