"""What a user does in a real browser: filter by kecamatan, switch language, read on a phone, upload a
CSV through the file input, leave the briefing running on a projector."""

from __future__ import annotations

import re

import pytest

from kkmp.sample import SAMPLE_DIR
from tests.browser.harness import (
    ARTIFACTS,
    PHONE,
    PROJECTOR,
    exceptions,
    full_page_screenshot,
    horizontal_overflow,
    metric_value,
    open_page,
    sidebar_multiselect_choose,
    sign_in,
    visible_tables,
    wait_for_plotly_drawn,
    wait_for_rerun,
    wait_until_idle,
)
from ui.nav import PAGES

REGISTERED = {p.url_path for p in PAGES}
BRIEFING_ADVANCE_SECONDS = 3
BRIEFING_WAIT_MS = 20_000

_Y_TICKS_JS = """() => [...document.querySelectorAll('.js-plotly-plot .ytick text')].map(t => t.textContent)"""
_SLIDE_INDICATOR = re.compile(r"(?:slide|salindia|halaman)\s+(\d+)\s*(?:dari|of|/)\s*(\d+)", re.IGNORECASE)
_MAIN_TEXT_JS = """() => (document.querySelector('[data-testid="stMain"]') || document.body).innerText"""


def test_kecamatan_filter_changes_figures(open_app):
    page = open_app("ringkasan")
    wait_for_plotly_drawn(page)
    assert metric_value(page, "card_kkmp") == "34"
    assert len(page.evaluate(_Y_TICKS_JS)) == 6

    sidebar_multiselect_choose(page, "filter_kecamatan", "Balikpapan Timur")
    wait_for_plotly_drawn(page)

    assert not exceptions(page)
    assert metric_value(page, "card_kkmp") == "4"
    assert "Balikpapan Timur" in page.locator("h1").first.inner_text()
    assert page.evaluate(_Y_TICKS_JS) == ["Balikpapan Timur"]


def test_language_switch_to_english(open_app):
    page = open_app("ringkasan")
    assert "Ringkasan" in page.locator("h1").first.inner_text()

    page.locator(".st-key-lang").get_by_role("radio", name="English").click()
    wait_for_rerun(page)

    assert not exceptions(page)
    assert "overview" in page.locator("h1").first.inner_text()
    assert "lang=en" in page.url
    assert page.locator('[data-testid="stSidebarUserContent"]').get_by_text("Language").count() >= 1


def test_ringkasan_on_a_phone_has_no_horizontal_scroll(open_app):
    page = open_app("ringkasan", viewport=PHONE)
    wait_for_plotly_drawn(page)
    full_page_screenshot(page, ARTIFACTS / "ringkasan-phone.png")

    assert not exceptions(page)
    assert not horizontal_overflow(page), f"Ringkasan scrolls sideways at 390×844: {horizontal_overflow(page)}"
    assert metric_value(page, "card_kkmp") == "34"


def _progres_csv(tmp_path):
    """A small upload: the sample's progres header and first two rows, the first one's realisasi corrected."""
    header, first, second = (SAMPLE_DIR / "progres.csv").read_text(encoding="utf-8").splitlines()[:3]
    cells = first.split(",")
    column = header.split(",").index("realisasi_persen")
    cells[column] = f"{float(cells[column]) + 0.5:.1f}"
    path = tmp_path / "progres-minggu-ini.csv"
    path.write_text("\n".join([header, ",".join(cells), second]) + "\n", encoding="utf-8")
    return path


@pytest.mark.skipif("unggah" not in REGISTERED, reason="the Unggah page is not in ui.nav.PAGES yet (url_path 'unggah')")
def test_upload_csv_through_the_file_input_shows_a_preview(open_app, tmp_path):
    page = open_app("unggah")
    sign_in(page)  # the test server has one editor (harness.editor_env) when the app asks for sign-in
    file_input = page.locator('[data-testid="stFileUploader"] input[type="file"]').first
    assert file_input.count() == 1, "the Unggah page has no file input"
    assert file_input.is_enabled(), "the file input is disabled (not signed in?)"
    tables_before = visible_tables(page)

    file_input.set_input_files(str(_progres_csv(tmp_path)))
    page.wait_for_function(
        """(before) => [...document.querySelectorAll('[data-testid="stDataFrame"], [data-testid="stTable"]')]
            .filter(e => e.offsetParent !== null && e.getBoundingClientRect().height > 0).length > before""",
        arg=tables_before,
        timeout=30_000,
    )
    wait_until_idle(page)
    full_page_screenshot(page, ARTIFACTS / "unggah-preview.png")

    assert not exceptions(page)
    uploader = page.locator('[data-testid="stFileUploader"]').first.inner_text()
    assert "progres" in uploader and ".csv" in uploader, f"the uploader does not list the file: {uploader!r}"
    assert visible_tables(page) > tables_before


@pytest.mark.skipif("unggah" not in REGISTERED, reason="the Unggah page is not in ui.nav.PAGES yet (url_path 'unggah')")
def test_staffer_weekly_workbook_dated_by_its_reports(open_app, tmp_path):
    """Builds named only by kelurahan: the preview shows the report's own date; the shared store is not written."""
    from tests.upload_corpus import weekly_by_kelurahan

    path = tmp_path / "laporan-mingguan.xlsx"
    path.write_bytes(weekly_by_kelurahan())
    page = open_app("unggah")
    sign_in(page)
    page.locator('[data-testid="stFileUploader"] input[type="file"]').first.set_input_files(str(path))
    page.get_by_text("Posisi data progres per").first.wait_for(timeout=30_000)
    wait_until_idle(page)
    full_page_screenshot(page, ARTIFACTS / "unggah-mingguan.png")
    text = page.locator('[data-testid="stMain"]').inner_text()
    assert "Posisi data progres per 19 Des 2025" in text and "Unggahan ditolak" not in text
    assert not exceptions(page)
    assert page.get_by_role("button", name="Simpan sebagai revisi baru").is_enabled()


@pytest.mark.skipif(
    "briefing" not in REGISTERED, reason="the Briefing page is not in ui.nav.PAGES yet (url_path 'briefing')"
)
def test_briefing_advances_by_itself_on_a_projector(open_app):
    page = open_app("briefing", {"auto": str(BRIEFING_ADVANCE_SECONDS)}, viewport=PROJECTOR)
    full_page_screenshot(page, ARTIFACTS / "briefing-1920.png")
    first = page.evaluate(_MAIN_TEXT_JS)

    page.wait_for_function(f"(first) => ({_MAIN_TEXT_JS})() !== first", arg=first, timeout=BRIEFING_WAIT_MS)
    wait_until_idle(page)
    then = page.evaluate(_MAIN_TEXT_JS)

    assert not exceptions(page)
    before, after = _SLIDE_INDICATOR.search(first), _SLIDE_INDICATOR.search(then)
    if before:  # "Slide 1 dari 6" / "Slide 1 of 6": the number itself must have moved on
        assert after and after.group(1) != before.group(1), f"slide indicator {before.group(0)!r} did not advance"
    assert not horizontal_overflow(page), f"the briefing scrolls sideways at 1920×1080: {horizontal_overflow(page)}"


def test_the_kecamatan_list_offers_no_english_select_all(open_app):
    page = open_app("ringkasan")
    box = page.locator(".st-key-filter_kecamatan input").first
    box.scroll_into_view_if_needed()
    box.click()
    options = page.get_by_role("option").all_inner_texts()
    assert "Balikpapan Timur" in options and "Select all" not in options
    page.keyboard.press("Escape")


UPLOADER_WORDS_JS = """() => {
  const zone = document.querySelector('[data-testid="stFileUploaderDropzone"]');
  const after = (el) => getComputedStyle(el, '::after').content;
  return [after(zone.querySelector('button [data-testid="stMarkdownContainer"] p')),
          after(zone.querySelector('[data-testid="stFileUploaderDropzoneInstructions"] span'))];
}"""


@pytest.mark.parametrize(
    ("lang", "button", "limit"),
    [("id", "Pilih berkas", "Maks. 10 MB per berkas"), ("en", "Choose files", "Up to 10 MB per file")],
)
def test_the_file_uploader_speaks_the_page_language_and_states_its_own_limit(open_app, lang, button, limit):
    page = open_app("unggah", {"lang": lang} if lang != "id" else None)
    sign_in(page)
    shown_button, shown_limit = page.evaluate(UPLOADER_WORDS_JS)
    assert button in shown_button and limit in shown_limit and "20MB" not in shown_limit


MODEBAR_JS = """() => [...document.querySelectorAll('.js-plotly-plot .modebar-container')]
  .map((el) => getComputedStyle(el).display)"""


@pytest.mark.parametrize("touch", [False, True])
def test_the_plotly_mode_bar_is_hidden_on_touch_screens(browser, app_url, touch):
    context = browser.new_context(viewport=dict(PHONE), is_mobile=touch, has_touch=touch, locale="id-ID")
    try:
        page = open_page(context, app_url, "ringkasan")
        wait_for_plotly_drawn(page)
        shown = page.evaluate(MODEBAR_JS)
        assert shown, "the chart has a mode bar element"
        assert all(d == "none" for d in shown) is touch, shown
    finally:
        context.close()
