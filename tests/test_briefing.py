"""The Briefing deck specs (kkmp.briefing): slides, their dates and sources, changes, kiosk parameters."""

from __future__ import annotations

import dataclasses
import datetime as dt

import pandas as pd
import pytest

from kkmp import briefing
from kkmp.acuan import CUT_DATASETS, figures_as_of
from kkmp.charts.briefing import MIN_TEXT
from kkmp.settings import Settings


@pytest.fixture(scope="module")
def deck_id(sample_snapshot):
    return briefing.build_deck(sample_snapshot, Settings(), "id")


@pytest.mark.parametrize("lang", ["id", "en"])
def test_deck_has_six_slides_in_order(sample_snapshot, lang):
    deck = briefing.build_deck(sample_snapshot, Settings(), lang)
    assert [s.key for s in deck] == list(briefing.SLIDE_KEYS)


@pytest.mark.parametrize("index", range(len(briefing.SLIDE_KEYS)))
def test_each_slide_has_title_date_source_and_sample_flag(deck_id, index):
    slide = deck_id[index]
    assert slide.title
    assert slide.posisi_per.startswith("Posisi per ")
    assert "2025" in slide.posisi_per
    assert slide.sumber.startswith("Sumber: ")
    assert slide.contoh is True


@pytest.mark.parametrize("index", [i for i, k in enumerate(briefing.SLIDE_KEYS) if k != "perubahan"])
def test_each_slide_shows_something(deck_id, index):
    slide = deck_id[index]
    assert slide.figures or slide.headlines or slide.changes


def test_english_slides_are_in_english(sample_snapshot):
    deck = briefing.build_deck(sample_snapshot, Settings(), "en")
    assert deck[0].title == "KKMP Kota Balikpapan: headline figures"
    assert all(s.posisi_per.startswith("As of ") for s in deck)
    assert all(s.sumber.startswith("Source: ") for s in deck)


def test_headline_figures_match_the_article(deck_id):
    values = {h.label: h.value for h in deck_id[0].headlines}
    assert values["KKMP"] == "34"
    assert values["Dibangun"] == "3"
    assert values["Usaha berjalan"] == "7"
    assert values["Koperasi aktif"] == "109"
    assert values["RAT TB 2024"].endswith("%")


def test_build_slide_counts_statuses(deck_id):
    values = {h.label: int(h.value) for h in deck_id[2].headlines}
    assert sum(values.values()) == 3


def test_build_slide_shows_each_kurva_s_most_at_risk_first(deck_id):
    titles = [f.layout.title.text for f in deck_id[2].figures]
    assert len(titles) == 3
    assert titles[0].startswith("Manggar<br>Kontrak kritis")
    assert {t.split("<br>")[0] for t in titles} == {"Manggar", "Sepinggan Baru", "Graha Indah"}


@pytest.mark.parametrize("theme", ["dark", "light"])
def test_plan_line_is_drawn_in_the_theme_ink(sample_snapshot, theme):
    from kkmp.charts.briefing import get_theme

    fig = briefing.build_deck(sample_snapshot, Settings(), "id", theme=theme)[2].figures[0]
    colours = {tr.line.color for tr in fig.data if tr.type == "scatter" and tr.line is not None}
    assert get_theme(theme).text in colours
    assert "#000000" not in colours or theme == "light"


def test_partner_counts_from_kkmp(sample_snapshot):
    partners = briefing.partner_counts(sample_snapshot)
    assert set(partners["mitra"]) == {"PT Bulog", "PT Pertamina Patra Niaga"}
    assert partners["jumlah"].max() <= 7


def test_latest_distribution_is_last_month(sample_snapshot):
    dist = briefing.latest_distribution(sample_snapshot)
    assert set(dist["bulan"]) == {sample_snapshot["penyaluran"]["bulan"].max()}
    assert dist["jumlah"].is_monotonic_decreasing


def test_sample_flag_follows_the_data(sample_snapshot):
    meta = {k: dataclasses.replace(m, contoh=False) for k, m in sample_snapshot.meta.items()}
    real = dataclasses.replace(sample_snapshot, meta=meta)
    assert not any(s.contoh for s in briefing.build_deck(real, Settings(), "id"))


@pytest.mark.parametrize("theme", ["dark", "light"])
def test_figure_text_is_large(sample_snapshot, theme):
    deck = briefing.build_deck(sample_snapshot, Settings(), "id", theme=theme)
    for slide in deck:
        for fig in slide.figures:
            assert fig.layout.font.size >= MIN_TEXT
            for axis in (fig.layout.xaxis, fig.layout.yaxis):
                assert axis.tickfont.size is None or axis.tickfont.size >= MIN_TEXT


def test_themes_differ(sample_snapshot):
    dark = briefing.build_deck(sample_snapshot, Settings(), "id", theme="dark")[0].figures[0]
    light = briefing.build_deck(sample_snapshot, Settings(), "id", theme="light")[0].figures[0]
    assert dark.layout.paper_bgcolor != light.layout.paper_bgcolor


def test_changes_against_the_same_data_are_all_zero(sample_snapshot):
    changes = briefing.changes_between(sample_snapshot, sample_snapshot, Settings(), "id")
    assert changes and all(c.direction == 0 for c in changes)


def test_changes_since_an_earlier_date_show_build_progress(sample_snapshot):
    changes = briefing.changes_between(
        sample_snapshot, sample_snapshot, Settings(), "id", as_of_date=dt.date(2025, 11, 1)
    )
    moved = [c for c in changes if c.label.startswith("Realisasi ")]
    assert len(moved) == 3
    assert all(c.direction == 1 and c.delta.startswith("+") for c in moved)


def _builds(pairs):
    return pd.DataFrame({"id_pembangunan": [p[0] for p in pairs], "realisasi_persen": [p[1] for p in pairs]}).astype(
        {"realisasi_persen": "float64"}
    )


@pytest.mark.parametrize(
    ("old", "new", "limit", "moved"),
    [
        ([("a", 10.0), ("b", 20.0)], [("a", 10.0), ("b", 25.0)], 5, ["b"]),  # only the build that moved
        ([("a", 10.0)], [("a", 10.0), ("b", 5.0)], 5, ["b"]),  # a new build counts as moved
        ([("a", None)], [("a", None)], 5, []),  # no report before nor after: unchanged
        ([("a", 10.0)], [("a", None)], 5, ["a"]),  # a report that disappeared is a change
        ([], [("c", 3.0), ("a", 1.0), ("b", 2.0)], 2, ["c", "a"]),  # the first `limit`, in the new order
        ([("a", 1.0)], [("a", 2.0)], 0, []),
    ],
)
def test_moved_builds(old, new, limit, moved):
    out = briefing.moved_builds(_builds(old), _builds(new), limit)
    assert out["id_pembangunan"].tolist() == moved


def test_area_defaults_to_the_region_name(sample_snapshot):
    assert briefing.build_deck(sample_snapshot, Settings(), "en")[1].title == "Map of KKMP, Kota Balikpapan"


def test_default_baseline_of_sample_looks_back_four_weeks(sample_store):
    snap = sample_store.snapshot()
    base = briefing.default_baseline(sample_store, snap)
    newest = max(m.posisi_per for m in snap.meta.values() if m.posisi_per)
    assert base.as_of == newest - dt.timedelta(days=briefing.DEFAULT_LOOKBACK_DAYS)
    assert base.describe("id") == "14 November 2025"


def test_baseline_at_date_uses_revision_in_force(sample_store):
    base = briefing.baseline_at_date(sample_store, dt.date(2025, 11, 1))
    assert base.revision == sample_store.latest_revision()
    assert base.snapshot["progres"]["tanggal_laporan"].max() <= dt.datetime(2025, 11, 1)


def test_changes_slide_title_names_the_baseline(sample_store):
    snap = sample_store.snapshot()
    base = briefing.baseline_at_date(sample_store, dt.date(2025, 11, 1))
    deck = briefing.build_deck(snap, Settings(), "en", baseline=base)
    changes = deck[briefing.SLIDE_KEYS.index("perubahan")]
    assert changes.title == "Changes since 1 November 2025"
    assert changes.changes


def test_changes_slide_without_baseline_explains(sample_snapshot):
    slide = briefing.build_deck(sample_snapshot, Settings(), "id")[briefing.SLIDE_KEYS.index("perubahan")]
    assert not slide.changes and slide.note


def test_follow_up_slide_names_manggar_first_as_of_december_2025(sample_snapshot):
    index = briefing.SLIDE_KEYS.index("tindak_lanjut")
    slide = briefing.build_slide(index, sample_snapshot, Settings(), "id", acuan=dt.date(2025, 12, 12))
    kritis, peringatan = slide.headlines
    assert (kritis.value, peringatan.value) == ("1", "1")
    first, second = slide.rows
    assert first.nama == "Manggar (Balikpapan Timur)" and first.jenis == "Kontrak kritis"
    assert second.nama.startswith("Sepinggan Baru") and first.color != second.color
    assert slide.note.startswith("2 dari 2 hal per 12 Desember 2025") and "`" not in slide.note


@pytest.mark.parametrize(
    ("value", "expected"),
    [("3", 2), ("1", 0), ("6", 5), ("99", len(briefing.SLIDE_KEYS) - 1), ("0", 0), ("-2", 0), ("x", 0), (None, 0)],
)
def test_parse_slide(value, expected):
    assert briefing.parse_slide(value) == expected


@pytest.mark.parametrize(
    ("value", "expected"),
    [("20", 20), ("1", 5), ("9999", 600), ("7.5", 7), ("", None), (None, None), ("inf", None), ("-inf", None)],
)
def test_parse_interval(value, expected):
    assert briefing.parse_interval(value) == expected


@pytest.mark.parametrize(("index", "delta", "expected"), [(0, 1, 1), (5, 1, 0), (0, -1, 5), (3, -1, 2)])
def test_step_wraps(index, delta, expected):
    assert briefing.step(index, 6, delta) == expected


@pytest.mark.parametrize(("elapsed", "due"), [(0.0, False), (10.0, False), (19.0, True), (20.0, True), (45.0, True)])
def test_advance_due(elapsed, due):
    assert briefing.advance_due(elapsed, 20) is due


def test_kiosk_query():
    q = briefing.kiosk_query(2, 20, "en", "light")
    assert q == {
        "slide": 3,
        "auto": 20,
        "lang": "en",
        "theme": "light",
        "embed": "true",
    }
    assert briefing.kiosk_query(0, None, "id", "dark") == {
        "slide": 1,
        "embed": "true",
    }


def test_rat_slide_uses_both_measures(deck_id):
    slide = deck_id[3]
    values = [f.data[0].value for f in slide.figures]
    assert len(values) == 2 and all(0 <= v <= 100 for v in values)
    assert {h.label for h in slide.headlines} == {"Sudah RAT TB 2024", "Wajib RAT", "Belum wajib"}


def test_map_slide_uses_the_peta_map_and_its_legend(deck_id):
    slide = deck_id[1]
    assert slide.map_data is not None and slide.map_data.indicator == "status_fisik"
    legend = {item.label: item for item in slide.map_data.legend}
    cards = {h.label: h for h in slide.headlines}
    for name, item in legend.items():
        assert cards[name].value == str(item.count)
        assert cards[name].color == item.color
    assert slide.figures  # the static twin drawn in the export


def test_static_map_draws_boundaries_when_loaded(sample_snapshot):
    import json

    from kkmp.charts.briefing import get_theme, plot_map_data
    from kkmp.maps import build_map_data

    square = {"type": "Polygon", "coordinates": [[[116.9, -1.2], [116.95, -1.2], [116.95, -1.25], [116.9, -1.2]]]}
    kode = sample_snapshot["wilayah"]["kode_kelurahan"].iloc[0]
    batas = sample_snapshot["batas_wilayah"].iloc[0:0].copy()
    batas.loc[0, "kode_kelurahan"] = kode
    batas.loc[0, "geometri"] = json.dumps(square)
    snap = sample_snapshot.with_frames({"batas_wilayah": batas})
    fig = plot_map_data(build_map_data(snap, "status_fisik", "id"), "id", get_theme("dark"))
    filled = [tr for tr in fig.data if tr.fill == "toself"]
    assert len(filled) == 1 and list(filled[0].x)[:2] == [116.9, 116.95]


@pytest.mark.parametrize(
    ("change", "lang", "text"),
    [(12.4, "id", "+12%"), (-0.04, "id", "±0%"), (0.36, "id", "+0,4%"), (-3.25, "en", "-3.2%"), (-15, "en", "-15%")],
)
def test_signed_percent(change, lang, text):
    assert briefing.signed_percent(change, lang).replace("\u2212", "-") == text


@pytest.mark.parametrize("index", range(len(briefing.SLIDE_KEYS)))
def test_one_slide_alone_is_the_same_as_in_the_deck(sample_store, index):
    snap = sample_store.snapshot()
    base = briefing.default_baseline(sample_store, snap)
    deck = briefing.build_deck(snap, Settings(), "id", baseline=base)
    alone = briefing.build_slide(index, snap, Settings(), "id", baseline=base)
    assert (alone.key, alone.title, alone.headlines, alone.changes, alone.note) == (
        deck[index].key,
        deck[index].title,
        deck[index].headlines,
        deck[index].changes,
        deck[index].note,
    )
    assert [f.to_json() for f in alone.figures] == [f.to_json() for f in deck[index].figures]


def test_slide_map_fits_its_own_size_and_places_names_again(sample_snapshot):
    from kkmp.charts.briefing import briefing_map_deck, get_theme

    data = briefing.build_deck(sample_snapshot, Settings(), "id")[1].map_data
    deck = briefing_map_deck(data, get_theme("dark"))
    text = next(layer for layer in deck.layers if layer.type == "TextLayer")
    assert deck.initial_view_state.zoom > data.view.zoom  # the slide's map is larger than the page's
    shown = {label["text"] for label in text.data}
    assert shown and shown <= {label["text"] for label in data.all_labels}


def test_funnel_slide_counts_add_up_to_the_kkmp(deck_id):
    slide = deck_id[briefing.SLIDE_KEYS.index("lahan")]
    values = {h.label: int(h.value) for h in slide.headlines}
    assert sum(values.values()) == 34
    assert values == {
        "Usulan · Tidak Ada Lahan": 13,
        "Usulan · Sedang Diverifikasi": 13,
        "Usulan · Dipertimbangkan": 5,
        "Pembangunan": 3,
    }
    assert slide.figures and slide.contoh


def _slide_as_of(snapshot, key: str, acuan: dt.date, lang: str = "id") -> briefing.Slide:
    return briefing.build_slide(briefing.SLIDE_KEYS.index(key), snapshot, Settings(), lang, acuan=acuan)


def test_build_slide_statuses_are_as_of_the_reference_date(sample_snapshot):
    """Issue #16: a build's status is as of `acuan`; the reports after it are not used."""
    november = _slide_as_of(sample_snapshot, "pembangunan", dt.date(2025, 11, 1))
    december = _slide_as_of(sample_snapshot, "pembangunan", dt.date(2025, 12, 12))
    counts = {d: {h.label: h.value for h in s.headlines} for d, s in (("nov", november), ("dec", december))}
    assert counts["nov"]["Kontrak kritis"] == "0" and counts["nov"]["Terlambat"] == "2"
    assert counts["dec"]["Kontrak kritis"] == "1" and counts["dec"]["Terlambat"] == "1"
    manggar = {d: next(f.layout.title.text for f in s.figures if f.layout.title.text.startswith("Manggar<br>"))
               for d, s in (("nov", november), ("dec", december))}  # fmt: skip
    assert manggar["nov"].startswith("Manggar<br>Terlambat")
    assert manggar["dec"].startswith("Manggar<br>Kontrak kritis")


def test_rat_slide_year_follows_the_reference_date(sample_snapshot):
    before = _slide_as_of(sample_snapshot, "rat", dt.date(2025, 12, 12))
    after = _slide_as_of(sample_snapshot, "rat", dt.date(2026, 11, 29))
    assert before.headlines[0].label == "Sudah RAT TB 2024"
    assert after.headlines[0].label == "Sudah RAT TB 2025"
    angka = _slide_as_of(sample_snapshot, "angka", dt.date(2026, 11, 29))
    assert "RAT TB 2025" in {h.label for h in angka.headlines}


def test_deck_as_of_a_reference_date_matches_the_slides(sample_snapshot):
    acuan = dt.date(2025, 11, 1)
    deck = briefing.build_deck(sample_snapshot, Settings(), "id", acuan=acuan)
    for key in ("pembangunan", "tindak_lanjut"):
        assert deck[briefing.SLIDE_KEYS.index(key)].headlines == _slide_as_of(sample_snapshot, key, acuan).headlines


@pytest.mark.parametrize(("lang", "text"), [("id", "Tanggal acuan 29 November 2026"), ("en", "29 November 2026")])
def test_status_slides_state_the_reference_date(sample_snapshot, lang, text):
    deck = briefing.build_deck(sample_snapshot, Settings(), lang, acuan=dt.date(2026, 11, 29))
    for slide in deck:
        if slide.key in briefing.STATUS_SLIDES:
            assert text in slide.footer and slide.footer.startswith(slide.posisi_per), slide.key
        else:
            assert slide.footer == slide.posisi_per and not slide.acuan, slide.key
    if lang == "en":
        assert deck[briefing.SLIDE_KEYS.index("rat")].acuan.startswith("Reference date ")


def test_kiosk_query_keeps_the_reference_date():
    assert briefing.kiosk_query(2, 20, "id", "dark", dt.date(2026, 11, 29))["per"] == "2026-11-29"
    assert "per" not in briefing.kiosk_query(2, 20, "id", "dark")


def test_changes_compare_the_baseline_as_of_the_same_reference_date(sample_snapshot):
    """A revision baseline is taken as of the reference date too: the same data shows no change."""
    baseline = briefing.Baseline(sample_snapshot, sample_snapshot.revision, None)
    index = briefing.SLIDE_KEYS.index("perubahan")
    slide = briefing.build_slide(
        index, sample_snapshot, Settings(), "id", baseline=baseline, acuan=dt.date(2025, 11, 1)
    )
    assert slide.changes
    assert all(c.direction == 0 for c in slide.changes), [c for c in slide.changes if c.direction]


@pytest.mark.parametrize(
    ("acuan", "progres"),
    [
        (None, "12 Desember 2025"),  # the sample's default: its newest posisi per
        (dt.date(2025, 12, 12), "12 Desember 2025"),
        (dt.date(2025, 11, 15), "15 November 2025"),  # reports after it are not used: the figures are as of it
        (dt.date(2026, 11, 29), "12 Desember 2025"),  # later: the newest report is still of 12 December
    ],
)
def test_footer_dates_the_figures_as_of_the_reference_date(sample_snapshot, acuan, progres):
    index = briefing.SLIDE_KEYS.index("pembangunan")
    slide = briefing.build_slide(index, sample_snapshot, Settings(), "id", acuan=acuan)
    # the build records are not cut at the reference date: they keep their own posisi per
    assert slide.posisi_per == f"Posisi per pembangunan 21 Oktober 2025; progres {progres}"


def test_no_slide_dates_cut_figures_after_the_reference_date(sample_snapshot):
    deck = briefing.build_deck(sample_snapshot, Settings(), "en", acuan=dt.date(2025, 10, 1))
    by_key = {s.key: s for s in deck}
    assert by_key["rat"].posisi_per == "As of RAT 1 October 2025; cooperatives 21 October 2025"
    assert by_key["mitra"].posisi_per == "As of cooperatives 21 October 2025; distribution 30 September 2025"
    assert all("December 2025" not in s.posisi_per for s in deck), [s.posisi_per for s in deck]


def test_figures_as_of_caps_only_the_datasets_cut_at_the_reference_date():
    late, early = dt.date(2025, 12, 12), dt.date(2025, 11, 15)
    assert [figures_as_of(d, late, early) for d in CUT_DATASETS] == [early] * len(CUT_DATASETS)
    assert figures_as_of("koperasi", late, early) == late
    assert figures_as_of("progres", early, late) == early
    assert figures_as_of("progres", None, early) is None and figures_as_of("progres", late, None) == late
