"""kkmp.scope.scope: one function applies the sidebar's area to a snapshot (#19)."""

from __future__ import annotations

from kkmp.metrics import restrict_to_kelurahan
from kkmp.scope import scope
from kkmp.wilayah import WilayahFilter


def test_the_whole_region_is_the_snapshot_itself(sample_snapshot) -> None:
    chosen = scope(sample_snapshot, WilayahFilter())
    assert chosen.snap is sample_snapshot and chosen.codes is None
    assert len(chosen.area) == len(sample_snapshot["wilayah"])
    assert chosen.name == "Kota Balikpapan"


def test_a_kecamatan_limits_rows_and_names_the_area(sample_snapshot) -> None:
    kecamatan = sorted(sample_snapshot["wilayah"]["kecamatan"].unique())[0]
    chosen = scope(sample_snapshot, WilayahFilter(kecamatan=(kecamatan,)))
    assert set(chosen.snap["wilayah"]["kecamatan"]) == {kecamatan}
    assert set(chosen.area["kecamatan"]) == {kecamatan}
    assert 0 < len(chosen.snap["koperasi"]) < len(sample_snapshot["koperasi"])
    assert kecamatan in chosen.name


def test_restrict_limits_another_snapshot_to_the_same_area(sample_snapshot) -> None:
    kecamatan = sorted(sample_snapshot["wilayah"]["kecamatan"].unique())[-1]
    chosen = scope(sample_snapshot, WilayahFilter(kecamatan=(kecamatan,)))
    expected = restrict_to_kelurahan(sample_snapshot, chosen.codes)
    assert len(chosen.restrict(sample_snapshot)["koperasi"]) == len(expected["koperasi"])
