"""AppTest of the Briefing page: kiosk URL parameters, slide controls, language, theme and export."""

from __future__ import annotations

import html
import re

import pytest
import streamlit as st
from streamlit.testing.v1 import AppTest

from kkmp import briefing as deck_spec
from kkmp.deck_export import find_chromium
from kkmp.store import CommitInfo
from tests.conftest import ROOT
from ui import state

TIMEOUT = 90
PAGE = "pages/briefing.py"
TITLE = re.compile(r'class="kb-title"[^>]*>(.*?)</div>')
COUNTER = re.compile(r'class="kb-counter">(.*?)</div>')


def open_briefing(**params: str) -> AppTest:
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=TIMEOUT)
    for key, value in params.items():
        at.query_params[key] = value
    at.switch_page(PAGE)
    at.run()
    assert not at.exception, at.exception
    return at


def shown(at: AppTest, pattern: re.Pattern) -> str:
    found = [html.unescape(m.group(1)) for md in at.markdown for m in [pattern.search(md.value)] if m]
    assert len(found) == 1, found
    return found[0]


def test_opens_on_the_first_slide(app_env):
    at = open_briefing()
    assert shown(at, TITLE) == "KKMP Kota Balikpapan: angka utama"
    assert shown(at, COUNTER) == "Slide 1 dari 8"
    assert at.session_state[state.BRIEFING_PLAYING] is False


def test_slide_parameter_opens_that_slide(app_env):
    at = open_briefing(slide="3")
    assert shown(at, TITLE) == "Pembangunan gerai + gudang"
    assert shown(at, COUNTER) == "Slide 3 dari 8"


def test_auto_parameter_starts_autoplay(app_env):
    at = open_briefing(slide="2", auto="20")
    assert at.session_state[state.BRIEFING_PLAYING] is True
    assert at.session_state[state.BRIEFING_INTERVAL] == 20
    at.button(key="briefing_play").click().run()
    assert at.session_state[state.BRIEFING_PLAYING] is False


def test_next_and_previous_wrap_round(app_env):
    at = open_briefing()
    at.button(key="briefing_prev").click().run()
    assert shown(at, COUNTER) == "Slide 8 dari 8"
    assert shown(at, TITLE).startswith("Tindak lanjut")
    at.button(key="briefing_next").click().run()
    at.button(key="briefing_next").click().run()
    assert shown(at, COUNTER) == "Slide 2 dari 8"
    assert shown(at, TITLE) == "Peta KKMP Kota Balikpapan"


def test_english_by_parameter(app_env):
    at = open_briefing(lang="en", slide="4")
    assert shown(at, TITLE) == "RAT compliance (annual members&#x27; meeting)"
    assert shown(at, COUNTER) == "Slide 4 of 8"


def test_light_theme_by_parameter(app_env):
    at = open_briefing(theme="light")
    assert at.session_state[state.BRIEFING_THEME] == "light"


def test_since_parameter_sets_the_comparison(app_env):
    at = open_briefing(slide="7", since="2025-11-01")
    assert shown(at, TITLE) == "Perubahan sejak 1 November 2025"


@pytest.mark.parametrize("slide", range(1, 8))
def test_every_slide_shows_date_source_and_sample_badge(app_env, slide):
    at = open_briefing(slide=str(slide))
    html = "".join(md.value for md in at.markdown)
    assert "Posisi per " in html
    assert "Sumber: " in html
    assert 'class="kb-badge">Data contoh<' in html


def test_export_without_chromium_says_so(app_env, monkeypatch, tmp_path):
    monkeypatch.setenv("KKMP_CHROMIUM", str(tmp_path / "nope"))
    at = open_briefing()
    assert any("Chromium" in w.value for w in at.warning)
    assert at.button(key="briefing_export").disabled


@pytest.mark.skipif(find_chromium() is None, reason="no Chromium on this machine (CI has one)")
def test_export_offers_pdf_and_png(app_env):
    at = open_briefing(slide="2")
    at.button(key="briefing_export").click().run()
    assert not at.exception, at.exception
    downloads = at.get("download_button")
    assert len(downloads) == 2, ([w.value for w in at.warning], at.exception, [e.value for e in at.error])


def test_new_revision_shows_on_the_next_cycle(app_env, sample_store):
    st.cache_resource.clear()  # settings are cached per process: make the app read this test's store
    at = open_briefing()
    assert "KKMP Kota Balikpapan" in shown(at, TITLE)
    kop = sample_store.read("koperasi")
    row = kop[kop["kkmp"].fillna(False).astype(bool) & ~kop["usaha_berjalan"].fillna(False).astype(bool)].head(1)
    result = sample_store.commit(
        {"koperasi": row.assign(usaha_berjalan=True)}, CommitInfo(pengguna="uji", catatan="satu KKMP mulai berusaha")
    )
    assert result.revision is not None
    at.button(key="briefing_next").click().run()  # the slide show moves on: a fragment rerun
    at.button(key="briefing_prev").click().run()
    html = "".join(md.value for md in at.markdown)
    assert 'Usaha berjalan</div><div class="kb-value">8<' in html, re.findall(
        r'Usaha berjalan</div><div class="kb-value">[^<]*<', html
    )


@pytest.mark.parametrize(
    ("value", "columns", "shrinks"),
    [("83.030", 5, False), ("122.988", 5, True), ("122.988", 3, False), ("1.234.567", 2, True), ("68,8%", 5, False)],
)
def test_long_headline_figures_shrink_to_fit_their_card(value, columns, shrinks):
    from ui.briefing import FIT_CHARS, _fit

    assert bool(_fit(value, FIT_CHARS[columns])) is shrinks


FOOT = re.compile(r'class="kb-foot"><b>(.*?)</b>')


def page_html(at: AppTest) -> str:
    return html.unescape("".join(md.value for md in at.markdown))


def has_card(text: str, label: str, value: str) -> bool:
    """A headline card `label` showing `value` (perhaps in a smaller size class) is on the slide."""
    return re.search(re.escape(label) + r'</div><div class="kb-value[^"]*">' + re.escape(value) + "<", text) is not None


def has_row(text: str, nama: str, jenis: str) -> bool:
    """A line of the follow-up list naming `nama` with `jenis` (what to do) is on the slide."""
    return re.search(re.escape(nama) + r'</td><td class="kb-what">' + re.escape(jenis) + "<", text) is not None


def kiosk_link(at: AppTest) -> str:
    links = [c.value for c in at.code if c.value.startswith("/briefing?")]
    assert len(links) == 1, links
    return links[0]


def test_reference_date_parameter_sets_the_build_and_follow_up_slides(app_env):
    """Issue #16: ?per= (the sidebar's "Tanggal acuan") is the date every slide's statuses are as of."""
    at = open_briefing(per="2025-12-12", slide="3")
    assert shown(at, FOOT).endswith(" · Tanggal acuan 12 Desember 2025")
    at = open_briefing(per="2025-12-12", slide="8")
    text = page_html(at)
    assert has_row(text, "Manggar (Balikpapan Timur)", "Kontrak kritis")
    assert "Lewat target" not in text
    assert shown(at, FOOT).endswith(" · Tanggal acuan 12 Desember 2025")
    assert "per=" not in kiosk_link(at)  # the sample's default date: the link needs no ?per=


@pytest.mark.parametrize("embed", [False, True])
def test_later_reference_date_shows_builds_past_their_target(app_env, embed):
    params = {"per": "2026-11-29", "slide": "8", **({"embed": "true"} if embed else {})}
    at = open_briefing(**params)
    text = page_html(at)
    for kelurahan in ("Manggar (Balikpapan Timur)", "Sepinggan Baru (Balikpapan Selatan)"):
        assert has_row(text, kelurahan, "Lewat target")
    assert shown(at, FOOT).endswith(" · Tanggal acuan 29 November 2026")
    assert "per=2026-11-29" in kiosk_link(at)  # an unattended screen opened from it shows the same date
    assert at.query_params["per"] == "2026-11-29"  # kept in the address


def test_reference_date_sets_the_rat_year_of_the_slides(app_env):
    at = open_briefing(per="2026-11-29", slide="4")
    assert "Sudah RAT TB 2025" in page_html(at)
    at = open_briefing(per="2025-12-12", slide="4")
    assert "Sudah RAT TB 2024" in page_html(at)


@pytest.mark.parametrize(
    ("params", "footer"),
    [
        ({}, "progres 12 Desember 2025 · Tanggal acuan 12 Desember 2025"),
        ({"per": "2025-12-12"}, "progres 12 Desember 2025 · Tanggal acuan 12 Desember 2025"),
        ({"per": "2025-11-15"}, "progres 15 November 2025 · Tanggal acuan 15 November 2025"),
    ],
)
def test_footer_says_the_date_the_figures_are_as_of(app_env, params, footer):
    """Issue #16: reports after the Tanggal acuan are not used, so the footer does not date them later than it."""
    at = open_briefing(slide="3", **params)
    assert shown(at, FOOT) == "Posisi per pembangunan 21 Oktober 2025; " + footer


def test_build_slide_counts_builds_past_their_target(app_env):
    assert has_card(page_html(open_briefing(per="2026-11-29", slide="3")), "Lewat target", "3")
    assert has_card(page_html(open_briefing(per="2025-12-12", slide="3")), "Lewat target", "0")
    assert has_card(page_html(open_briefing(per="2026-11-29", slide="3", lang="en")), "Past target", "3")


def test_a_slide_is_built_once_per_deck_key(app_env, monkeypatch):
    """The slide cache is keyed by one `DeckKey`: the same slide again is not rebuilt; another date is."""
    built = []
    original = deck_spec.build_slide
    monkeypatch.setattr(deck_spec, "build_slide", lambda *a, **k: built.append(k["acuan"]) or original(*a, **k))
    open_briefing(slide="3", per="2026-11-29")
    open_briefing(slide="3", per="2026-11-29")
    assert [d.isoformat() for d in built] == ["2026-11-29"]
    open_briefing(slide="3", per="2025-12-12")
    assert [d.isoformat() for d in built] == ["2026-11-29", "2025-12-12"]
