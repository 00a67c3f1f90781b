"""kkmp.usaha: the programme funnel, land, assets, who trades with whom, distribution, capital; the
summary's `usaha` and `lahan` blocks (and that importing a new month moves them)."""

import datetime as dt
import json

import pandas as pd
import pytest

from kkmp import usaha
from kkmp.cli import main
from kkmp.metrics import headline_summary, kkmp_frame
from kkmp.schema import STATUS_LAHAN
from kkmp.settings import Settings


@pytest.fixture
def kkmp(sample_snapshot) -> pd.DataFrame:
    return kkmp_frame(sample_snapshot)


def rows(**columns) -> pd.DataFrame:
    """A few KKMP rows with the columns the functions read (others empty)."""
    n = len(next(iter(columns.values())))
    base = {
        "id_koperasi": [f"K{i}" for i in range(n)],
        "nama_koperasi": [f"Koperasi {i}" for i in range(n)],
        "kode_kelurahan": [f"64.71.01.100{i}" for i in range(n)],
        "kelurahan": [f"Kel {i}" for i in range(n)],
        "kecamatan": ["Kec"] * n,
        "status_fisik": ["usulan"] * n,
        "status_lahan": ["tidak_ada_lahan"] * n,
        "usaha_berjalan": pd.array([False] * n, dtype="boolean"),
        "mitra": [None] * n,
        "unit_usaha": [None] * n,
        "aset_daerah": [None] * n,
    }
    return pd.DataFrame({**base, **columns})


def test_funnel_counts_each_kkmp_once_and_adds_up_to_34(kkmp):
    steps = usaha.funnel(usaha.funnel_members(kkmp))
    assert sum(s.jumlah for s in steps) == 34
    counts = {(s.tahap, s.lahan): s.jumlah for s in steps}
    assert counts[("usulan", "tidak_ada_lahan")] == 13 and counts[("pembangunan", None)] == 3
    assert sum(s.berusaha for s in steps) == 7  # the seven trading KKMP sit in their build step
    assert set(next(s for s in steps if s.tahap == "pembangunan").kelurahan) == {
        "Graha Indah",
        "Sepinggan Baru",
        "Manggar",
    }


def test_built_and_trading_is_the_last_step():
    k = rows(
        status_fisik=["selesai", "selesai", "pembangunan"],
        usaha_berjalan=pd.array([True, False, True], dtype="boolean"),
    )
    assert usaha.funnel_stage(k).tolist() == ["usaha_berjalan", "selesai", "pembangunan"]


def test_missing_land_status_is_its_own_step_only_when_used():
    k = rows(status_lahan=["tidak_ada_lahan", None])
    steps = usaha.funnel(usaha.funnel_members(k))
    assert ("usulan", usaha.NO_DATA) in {(s.tahap, s.lahan) for s in steps}
    assert usaha.NO_DATA not in {
        s.lahan for s in usaha.funnel(usaha.funnel_members(rows(status_lahan=["sedang_diverifikasi"])))
    }


def test_lahan_counts_cover_every_declared_status_and_sum_to_the_total(kkmp):
    counts = usaha.lahan_counts(kkmp)
    assert list(counts) == [*STATUS_LAHAN, usaha.NO_DATA]
    assert sum(counts.values()) == len(kkmp) == 34


def test_funnel_by_area_rows_add_up(kkmp):
    table = usaha.funnel_by_area(usaha.funnel_members(kkmp), "kecamatan")
    assert len(table) == 6 and table["total"].sum() == 34
    assert (table.drop(columns=["kecamatan", "total"]).sum(axis=1) == table["total"]).all()


@pytest.mark.parametrize("level", ["kabupaten_kota", "provinsi"])
def test_funnel_by_area_works_at_the_levels_a_province_or_the_nation_charts(kkmp, level):
    table = usaha.funnel_by_area(usaha.funnel_members(kkmp), level)  # raised KeyError at national scale
    assert list(table[level]) == [kkmp[level].iloc[0]] and table["total"].sum() == 34


def test_without_land_lists_no_land_and_kelurahan_without_kkmp(sample_snapshot, kkmp):
    bare = usaha.without_land(kkmp, sample_snapshot["wilayah"])
    assert len(bare) == 13 and set(bare["status_lahan"]) == {"tidak_ada_lahan"}
    fewer = kkmp[kkmp["kelurahan"] != "Manggar"]
    assert "tanpa_kkmp" in set(usaha.without_land(fewer, sample_snapshot["wilayah"])["status_lahan"])


def test_assets_in_use_name_the_use(kkmp):
    assets = usaha.assets_in_use(kkmp)
    assert len(assets) == int(kkmp["aset_daerah"].notna().sum()) and assets["aset_daerah"].notna().all()


def test_trade_links_since_the_first_month_through_that_partner():
    k = rows(mitra=["PT Bulog; Mitra Baru", None])
    p = pd.DataFrame(
        {
            "id_koperasi": ["K0", "K0", "K1"],
            "bulan": pd.to_datetime(["2025-08-01", "2025-07-01", "2025-09-01"]),
            "komoditas": ["beras", "gula", "lpg_12kg"],
            "jumlah": [10.0, 5.0, 3.0],
            "satuan": ["kg", "kg", "tabung"],
            "mitra": ["PT Bulog", "PT Bulog", "PT Pertamina Patra Niaga"],
        }
    )
    links = usaha.trade_links(k, p).set_index(["id_koperasi", "mitra"])
    assert links.loc[("K0", "PT Bulog"), "sejak"] == pd.Timestamp("2025-07-01")
    assert links.loc[("K0", "PT Bulog"), "komoditas"] == "beras; gula"
    assert pd.isna(links.loc[("K0", "Mitra Baru"), "sejak"])  # named only
    assert ("K1", "PT Pertamina Patra Niaga") in links.index  # distributed only
    counts = usaha.partner_counts(links.reset_index())
    assert counts.to_dict("list") == {
        "mitra": ["Mitra Baru", "PT Bulog", "PT Pertamina Patra Niaga"],
        "jumlah": [1, 1, 1],
    }


def test_distribution_never_adds_different_units():
    p = pd.DataFrame(
        {
            "id_koperasi": ["K0", "K1"],
            "bulan": pd.to_datetime(["2025-09-01"] * 2),
            "komoditas": ["beras", "beras"],
            "jumlah": [10.0, 2.0],
            "satuan": ["kg", "paket"],
            "mitra": ["PT Bulog"] * 2,
        }
    )
    monthly = usaha.distribution_by_month(p)
    assert sorted(zip(monthly["satuan"], monthly["jumlah"], strict=True)) == [("kg", 10.0), ("paket", 2.0)]


def test_simpan_pinjam_state_recorded_else_from_the_units():
    k = rows(simpan_pinjam=["persiapan", None, None], unit_usaha=[None, "sembako; simpan_pinjam", "sembako"])
    assert usaha.simpan_pinjam_state(k).tolist() == ["persiapan", "berjalan", "belum"]


@pytest.mark.parametrize(("reference", "months"), [(dt.date(2025, 10, 21), 32), (dt.date(2026, 12, 3), 18)])
def test_capital_months_to_the_three_year_aim(reference, months):
    k = rows(tanggal_badan_hukum=pd.to_datetime(["2025-06-11"]), modal_sendiri=[3_000_000.0], modal_luar=[1_000_000.0])
    table = usaha.capital_table(k, reference)
    assert table["target_mandiri"].iloc[0] == pd.Timestamp("2028-06-11")
    assert table["bulan_tersisa"].iloc[0] == months
    assert table["persen_sendiri"].iloc[0] == 75.0


def test_capital_totals_of_the_sample(kkmp):
    totals = usaha.capital_totals(usaha.capital_table(kkmp, dt.date(2025, 10, 21)))
    assert totals["dengan_modal_luar"] == 3 and totals["modal_luar"] == 125_000_000
    assert totals["simpan_pinjam"] == {"belum": 31, "persiapan": 3, "berjalan": 0}


def test_summary_blocks_match_the_funnel(sample_snapshot):
    s = headline_summary(sample_snapshot, Settings(), with_builds=False)
    assert sum(s["lahan"]["status"].values()) == s["kkmp"]["total"] == 34
    corong = {(c["tahap"], c["lahan"]): c["jumlah"] for c in s["lahan"]["corong"]}
    assert sum(corong.values()) == 34
    assert corong[("pembangunan", None)] == s["kkmp"]["fisik"]["pembangunan"]
    assert sum(v for (tahap, _), v in corong.items() if tahap == "usulan") == s["kkmp"]["fisik"]["usulan"]
    u = s["usaha"]
    assert u["koperasi_berusaha"] == s["kkmp"]["usaha_berjalan"] == 7
    assert {m["mitra"]: m["koperasi"] for m in u["mitra"]} == {"PT Pertamina Patra Niaga": 7, "PT Bulog": 5}
    assert u["penyaluran"]["bulan"] == "2025-09-01"


def test_summary_as_of_a_date_takes_that_dates_latest_month(sample_snapshot):
    s = headline_summary(sample_snapshot, Settings(), dt.date(2025, 8, 15), with_builds=False)
    assert s["usaha"]["penyaluran"]["bulan"] == "2025-08-01"


def test_importing_a_new_month_moves_the_summary(capsys, sample_store, tmp_path):
    path = tmp_path / "penyaluran-oktober.csv"
    path.write_text(
        "id_koperasi,bulan,komoditas,jumlah,satuan,mitra\n"
        "KKMP-6471011002,2025-10-01,lpg_12kg,41,tabung,PT Pertamina Patra Niaga\n",
        encoding="utf-8",
    )
    assert main(["--db", sample_store.url, "import", str(path), "--user", "uji"]) == 0
    capsys.readouterr()
    assert main(["--db", sample_store.url, "summary", "--json"]) == 0
    data = json.loads(capsys.readouterr().out)
    month = data["usaha"]["penyaluran"]
    assert month["bulan"] == "2025-10-01"
    assert month["komoditas"] == [{"komoditas": "lpg_12kg", "satuan": "tabung", "jumlah": 41.0}]


def test_funnel_with_labels_above_keeps_no_left_margin_for_names(kkmp):
    from kkmp.charts.usaha import plot_funnel

    steps = usaha.funnel(usaha.funnel_members(kkmp))
    beside = plot_funnel(steps, "id")
    above = plot_funnel(steps, "id", labels_above=True)
    assert beside.layout.yaxis.showticklabels is not False and not beside.layout.annotations
    assert above.layout.yaxis.showticklabels is False
    assert [a.text for a in above.layout.annotations] == list(above.data[0].y)


def test_the_capital_chart_shows_the_largest_kkmp_only(kkmp):
    from kkmp.charts.usaha import plot_capital

    capital = usaha.capital_table(kkmp, usaha.capital_reference(None))
    fig = plot_capital(capital, limit=5)
    largest = capital.assign(t=capital["modal_total"].fillna(0)).nlargest(5, "t")["kelurahan"]
    assert len(fig.data[0].y) == 5 and set(fig.data[0].y) == set(largest)


def test_partner_counts_of_trade_pairs_equal_those_of_trade_links(sample_snapshot):
    from kkmp.metrics import kkmp_frame
    from kkmp.usaha import partner_counts, trade_links, trade_pairs

    kkmp, penyaluran = kkmp_frame(sample_snapshot), sample_snapshot["penyaluran"]
    pairs = trade_pairs(kkmp, penyaluran)
    assert not pairs.empty and not pairs.duplicated().any()
    pd.testing.assert_frame_equal(partner_counts(pairs), partner_counts(trade_links(kkmp, penyaluran)))
