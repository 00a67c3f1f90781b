"""kkmp.page_views: each view holds what the one function of each concept gives, for the area and date asked."""

import datetime as dt

import pandas as pd

from kkmp.metrics import as_of, kkmp_frame
from kkmp.page_views import rat_view, usaha_view
from kkmp.rat import classify_rat, overdue_list, rat_compliance, rat_table, status_counts
from kkmp.scope import scope
from kkmp.usaha import capital_reference, capital_table, distribution_by_month, funnel, funnel_members, trade_links
from kkmp.wilayah import WilayahFilter

EARLY = dt.date(2025, 8, 15)  # the sample distributes June–September 2025
LATE = dt.date(2026, 11, 29)


def test_usaha_view_equals_the_concept_functions(sample_snapshot):
    view = usaha_view(sample_snapshot, LATE)
    kkmp = kkmp_frame(sample_snapshot)
    assert len(view.kkmp) == len(kkmp) == 34
    assert view.steps == funnel(funnel_members(kkmp))
    pd.testing.assert_frame_equal(view.links, trade_links(kkmp, sample_snapshot["penyaluran"]))
    ref = capital_reference(sample_snapshot.meta["koperasi"].posisi_per)
    pd.testing.assert_frame_equal(view.capital, capital_table(kkmp, ref))


def test_usaha_view_leaves_out_distribution_months_after_the_date(sample_snapshot):
    early, late = usaha_view(sample_snapshot, EARLY), usaha_view(sample_snapshot, LATE)
    assert early.monthly["bulan"].max() <= pd.Timestamp(EARLY) < late.monthly["bulan"].max()
    expected = distribution_by_month(as_of(sample_snapshot, EARLY)["penyaluran"])
    pd.testing.assert_frame_equal(early.monthly, expected)


def test_usaha_view_of_one_kecamatan_holds_only_its_kkmp(sample_snapshot):
    kecamatan = sorted(sample_snapshot["wilayah"]["kecamatan"].unique())[0]
    area = scope(sample_snapshot, WilayahFilter(kecamatan=(kecamatan,))).snap
    view = usaha_view(area, LATE)
    assert 0 < len(view.kkmp) < 34
    assert set(view.kkmp["kecamatan"]) == {kecamatan}
    assert set(view.penyaluran["id_koperasi"]) <= set(view.kkmp["id_koperasi"])


def test_rat_view_counts_as_the_rat_page_functions(sample_snapshot, settings):
    rule, koperasi, rat = settings.rat, sample_snapshot["koperasi"], sample_snapshot["rat"]
    view = rat_view(sample_snapshot, LATE, 2025, rule, (2023, 2024, 2025))
    assert view.compliance == rat_compliance(koperasi, rat, 2025, LATE, rule)
    classified = classify_rat(rat_table(koperasi, rat, 2025, LATE, rule), 2025, rule, LATE)
    assert view.counts == status_counts(classified)
    assert sum(view.counts.values()) == view.compliance.dihitung
    assert len(view.overdue) == len(overdue_list(classified, sample_snapshot["wilayah"]))
    assert list(view.trend["tahun_buku"]) == [2023, 2024, 2025]
