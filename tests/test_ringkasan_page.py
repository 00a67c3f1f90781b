"""AppTest of Ringkasan as of a reference date (?per=): the follow-up list and the stale-data banner."""

import datetime as dt

from streamlit.testing.v1 import AppTest

from tests.conftest import ROOT

TIMEOUT = 60


def opened(per: str | None) -> AppTest:
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=TIMEOUT)
    if per:
        at.query_params["per"] = per
    at.run()
    assert not at.exception, at.exception
    return at


def follow_up(at: AppTest):
    return next(d.value for d in at.dataframe if "Keterangan" in d.value.columns)


def test_per_december_2025_lists_manggar_first(app_env):
    at = opened("2025-12-12")
    rows = follow_up(at)
    assert rows["Kelurahan"].tolist() == ["Manggar", "Sepinggan Baru"]
    assert rows.iloc[0]["Jenis"] == "Kontrak kritis"
    assert not [w for w in at.warning if "hari lalu" in w.value]


def test_per_november_2026_shows_the_stale_report_banner(app_env):
    at = opened("2026-11-29")
    banners = [w.value for w in at.warning]
    assert any(b.startswith("Laporan progres terakhir 12 Des 2025 — 352 hari lalu") for b in banners), banners
    assert at.sidebar.date_input(key="tanggal_acuan").value == dt.date(2026, 11, 29)
    assert at.query_params["per"] in ("2026-11-29", ["2026-11-29"])


def test_sample_default_reference_is_its_newest_posisi_per(app_env):
    at = opened(None)
    assert at.sidebar.date_input(key="tanggal_acuan").value == dt.date(2025, 12, 12)
    assert "per" not in at.query_params
    assert any("12 Des 2025" in c.value for c in at.sidebar.caption)
    assert len(at.get("download_button")) == 2
