"""One status vocabulary (#16): Peta, the RAT page, Ringkasan's list, the summary and the CLI count alike."""

from __future__ import annotations

import collections
import datetime as dt
import html
import json
import re

import pandas as pd
import pytest
from streamlit.testing.v1 import AppTest

from kkmp.briefing import SLIDE_KEYS, build_deck
from kkmp.cli import main
from kkmp.i18n import label, t
from kkmp.maps import categorize, kkmp_by_kelurahan
from kkmp.metrics import headline_summary
from kkmp.rat import KATEGORI, classify_rat, rat_table
from kkmp.settings import Settings
from kkmp.tindak_lanjut import tindak_lanjut
from tests.conftest import ROOT

NOV = dt.date(2026, 11, 29)
DEC = dt.date(2025, 12, 12)


@pytest.mark.parametrize("acuan", [DEC, NOV])
def test_peta_counts_kkmp_rat_status_as_classify_rat_does(sample_snapshot, acuan):
    frame = kkmp_by_kelurahan(sample_snapshot)
    shown, year = categorize(frame, sample_snapshot, "rat", acuan, Settings().rat)
    table = rat_table(sample_snapshot["koperasi"], sample_snapshot["rat"], year, acuan)
    classified = classify_rat(table, year, Settings().rat, acuan)
    kkmp = classified[classified["kkmp"].fillna(False).astype(bool)]
    assert collections.Counter(shown) == collections.Counter(kkmp["kategori"])
    if acuan == NOV:  # the 17 scheduled first RATs: "jadwal lewat" on the map as on the RAT page
        assert collections.Counter(shown)["jadwal_lewat"] == 17


def test_rat_page_summary_and_cli_give_the_same_counts(app_env, capsys):
    summary = headline_summary_cli(capsys, app_env)
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=60)
    at.query_params["per"] = NOV.isoformat()
    at.switch_page("pages/rat.py").run()
    at.selectbox(key="rat_tahun_buku").set_value(summary["tahun_buku"]).run()
    assert not at.exception, at.exception
    shown = {m.label: m.value for m in at.metric}
    page = {k: int(shown[label("rat_kategori", k, "id")]) for k in KATEGORI}
    assert page == summary["status"]
    assert sum(page.values()) == summary["dihitung"]


def headline_summary_cli(capsys, url: str) -> dict:
    assert main(["--db", url, "summary", "--as-of", NOV.isoformat(), "--json"]) == 0
    return json.loads(capsys.readouterr().out)["rat"]


@pytest.mark.parametrize("acuan", [DEC, NOV])
def test_follow_up_list_counts_builds_as_the_summary_does(sample_snapshot, acuan):
    summary = headline_summary(sample_snapshot, Settings(), acuan)
    status = collections.Counter(b["status"] for b in summary["pembangunan"])
    items = collections.Counter(tindak_lanjut(sample_snapshot, Settings(), acuan)["jenis"])
    assert (items["kontrak_kritis"], items["terlambat"]) == (status["kritis"], status["terlambat"])


# ---- the Briefing counts as Peta, the RAT page, Ringkasan and the CLI do (issue #16's "Done when") --------------
BUILD_STATUSES = ("normal", "terlambat", "kritis", "selesai")
CARD = re.compile(
    r'class="kb-label">(.*?)</div><div class="kb-value[^"]*">(.*?)</div>(?:<div class="kb-note">(.*?)</div>)?'
)
SLIDE = {key: SLIDE_KEYS.index(key) for key in ("peta", "pembangunan", "rat", "tindak_lanjut")}


def number(text: str) -> int:
    """A count as drawn in Bahasa Indonesia ("1.595")."""
    return int(text.replace(".", ""))


def cards(markdown: list[str]) -> dict[str, tuple[int, str]]:
    """The headline cards drawn on a slide: label → (count, note)."""
    found = [m for md in markdown for m in CARD.finditer(md)]
    return {html.unescape(m[1]): (number(html.unescape(m[2])), html.unescape(m[3] or "")) for m in found}


def briefing_cards(acuan: dt.date, key: str) -> dict[str, tuple[int, str]]:
    """The cards of slide `key` as the Briefing page draws them, opened with ?per=`acuan`."""
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=90)
    at.query_params["per"] = acuan.isoformat()
    at.query_params["slide"] = str(SLIDE[key] + 1)
    at.switch_page("pages/briefing.py").run()
    assert not at.exception, at.exception
    return cards([md.value for md in at.markdown])


def slide_cards(slide) -> dict[str, tuple[int, str]]:
    """The same cards from `kkmp.briefing`'s slide data."""
    return {h.label: (number(h.value), h.note) for h in slide.headlines}


def cli_json(capsys, url: str, *command: str) -> dict:
    assert main(["--db", url, *command, "--json"]) == 0
    return json.loads(capsys.readouterr().out)


def rat_page_counts(acuan: dt.date, tahun_buku: int) -> dict[str, int]:
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=60)
    at.query_params["per"] = acuan.isoformat()
    at.switch_page("pages/rat.py").run()
    at.selectbox(key="rat_tahun_buku").set_value(tahun_buku).run()
    assert not at.exception, at.exception
    shown = {m.label: m.value for m in at.metric}
    return {k: number(shown[label("rat_kategori", k, "id")]) for k in KATEGORI}


def ringkasan_follow_up(acuan: dt.date) -> pd.DataFrame:
    """Ringkasan's Tindak lanjut table, opened with ?per=`acuan`."""
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=60)
    at.query_params["per"] = acuan.isoformat()
    at.run()
    assert not at.exception, at.exception
    tables = [d.value for d in at.dataframe if t("tindak_lanjut.kolom.tingkat", "id") in d.value.columns]
    assert len(tables) == 1
    return tables[0]


@pytest.mark.parametrize("acuan", [DEC, NOV])
def test_briefing_counts_as_peta_the_rat_page_ringkasan_and_the_cli(app_env, sample_store, capsys, acuan):
    """Issue #16: each status count of the build, RAT and follow-up slides (as drawn, and as slide data) is the one
    Peta, the RAT page, Ringkasan's list, `summary --as-of --json` and `tindak-lanjut --as-of --json` give."""
    summary = cli_json(capsys, app_env, "summary", "--as-of", acuan.isoformat())
    follow_up = cli_json(capsys, app_env, "tindak-lanjut", "--as-of", acuan.isoformat())["items"]
    snapshot = sample_store.snapshot()
    deck = {s.key: s for s in build_deck(snapshot, Settings(), "id", acuan=acuan)}
    drawn = {key: briefing_cards(acuan, key) for key in SLIDE}
    for key in SLIDE:
        assert drawn[key] == slide_cards(deck[key]), key  # the page draws the slide data

    # Pembangunan: per build status and past target, as the summary's builds and the follow-up list count them
    builds = collections.Counter(b["status"] for b in summary["pembangunan"])
    past = sum(b["lewat_target"] for b in summary["pembangunan"])
    jenis = collections.Counter(i["jenis"] for i in follow_up)
    build_slide = {k: n for k, (n, _) in drawn["pembangunan"].items()}
    assert build_slide == {
        **{label("status_pembangunan", s, "id"): builds[s] for s in BUILD_STATUSES},
        t("briefing.lewat_target", "id"): past,
    }
    assert (jenis["kontrak_kritis"], jenis["terlambat"], jenis["lewat_target"]) == (
        builds["kritis"],
        builds["terlambat"],
        past,
    )

    # RAT: the slide's held / obliged / not yet obliged as the RAT page's statuses and the summary count them
    rat = summary["rat"]
    page = rat_page_counts(acuan, rat["tahun_buku"])
    assert page == rat["status"]
    rat_slide = drawn["rat"]
    held, of = rat_slide[t("briefing.rat_sudah", "id", tahun=rat["tahun_buku"])]
    assert held == page["sudah_tepat_waktu"] + page["sudah_terlambat"] == rat["sudah"]
    assert of == t("briefing.rat_dari_aktif", "id", n=sum(page.values()))
    assert rat_slide[t("briefing.rat_wajib_kartu", "id")][0] == rat["wajib"]
    assert rat_slide[t("briefing.rat_belum_wajib", "id")][0] == rat["dihitung"] - rat["wajib"]

    # Peta: the map slide's legend as the Peta page's categories and the summary's physical status
    frame = kkmp_by_kelurahan(snapshot)
    fisik, _ = categorize(frame, snapshot, "status_fisik", acuan, Settings().rat)
    on_map = collections.Counter(fisik)
    for status, n in summary["kkmp"]["fisik"].items():
        assert drawn["peta"][label("status_fisik", status, "id")][0] == n == on_map[status], status

    # Tindak lanjut: per severity as the CLI and Ringkasan's list give, the same first lines
    listed = ringkasan_follow_up(acuan)
    tingkat = collections.Counter(i["tingkat"] for i in follow_up)
    on_ringkasan = collections.Counter(listed[t("tindak_lanjut.kolom.tingkat", "id")])
    for k in ("kritis", "peringatan"):
        name = t(f"tindak_lanjut.tingkat.{k}", "id")
        assert drawn["tindak_lanjut"][name][0] == tingkat[k] == on_ringkasan[name], k
    assert len(listed) == len(follow_up)
    first = [f"{r['kelurahan']} ({r['kecamatan']})" for r in follow_up[: len(deck["tindak_lanjut"].rows)]]
    assert [r.nama for r in deck["tindak_lanjut"].rows] == first
