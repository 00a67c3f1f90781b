"""One status vocabulary (#16): Peta, the RAT page, Ringkasan's list, the summary and the CLI count alike."""

from __future__ import annotations

import collections
import datetime as dt
import json

import pytest
from streamlit.testing.v1 import AppTest

from kkmp.cli import main
from kkmp.i18n import label
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
