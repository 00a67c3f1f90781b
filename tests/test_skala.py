"""Scale (#10): synthetic data at city/province/national scale, fast reads, the revision cache, the bench.

No test here asserts on time: the benchmark runs at city scale so it never rots.
"""

from __future__ import annotations

import datetime as dt
import json
import re

import pandas as pd
import pytest

import kkmp.bench
from kkmp.bench import TARGETS, check_targets, measure_one_row, open_snapshot, render_table, run_bench
from kkmp.cli import main
from kkmp.demo import SCALES, build_demo_frames, build_wilayah, write_demo_data
from kkmp.diff import diff_frames
from kkmp.frames import empty_frame
from kkmp.metrics import chart_level, stages_by_area
from kkmp.sample import init_store
from kkmp.schema import DATASETS, KODE_WILAYAH_PATTERN, get_dataset
from kkmp.store import CommitInfo, Store
from kkmp.validate import validate_snapshot


@pytest.fixture(scope="module")
def city_frames() -> dict[str, pd.DataFrame]:
    return build_demo_frames("city", seed=7)


@pytest.fixture(scope="module")
def province_frames() -> dict[str, pd.DataFrame]:
    return build_demo_frames("province", seed=7)


@pytest.fixture
def province_store(tmp_path, province_frames) -> Store:
    directory = tmp_path / "province"
    write_demo_data(directory, "province", seed=7)
    store = Store(f"sqlite:///{tmp_path / 'province.sqlite'}")
    init_store(store, wilayah_file=directory / "wilayah.csv", sample_dir=directory)
    yield store
    store.dispose()


@pytest.mark.parametrize("scale", ["city", "province"])
def test_demo_data_passes_validation(scale, city_frames, province_frames):
    frames = {"city": city_frames, "province": province_frames}[scale]
    report = validate_snapshot(frames)
    assert report.ok, report.errors[:5]


@pytest.mark.parametrize("scale", list(SCALES))
def test_region_hierarchy_has_the_declared_shape(scale):
    import numpy as np

    spec = SCALES[scale]
    wilayah = build_wilayah(spec, np.random.default_rng(1))
    assert len(wilayah) == spec.kelurahan
    assert wilayah["provinsi"].nunique() == spec.provinsi
    assert wilayah["kabupaten_kota"].nunique() == spec.kabupaten_kota
    assert wilayah["kecamatan"].nunique() == spec.kecamatan
    assert wilayah["kode_kelurahan"].is_unique
    assert wilayah["kode_kelurahan"].str.fullmatch(KODE_WILAYAH_PATTERN).all()


def test_demo_names_say_they_are_synthetic(city_frames):
    w = city_frames["wilayah"]
    for level in ("provinsi", "kabupaten_kota", "kecamatan", "kelurahan"):
        assert w[level].str.contains("Contoh").all()


def test_demo_data_is_deterministic(city_frames):
    again = build_demo_frames("city", seed=7)
    for name, frame in city_frames.items():
        pd.testing.assert_frame_equal(frame, again[name])
    other = build_demo_frames("city", seed=8)
    assert not other["progres"]["realisasi_persen"].equals(city_frames["progres"]["realisasi_persen"])


def test_one_kkmp_per_kelurahan_and_builds_have_weekly_reports(province_frames):
    kop = province_frames["koperasi"]
    kkmp = kop[kop["kkmp"]]
    assert kkmp["kode_kelurahan"].is_unique
    assert len(kkmp) >= 0.99 * len(province_frames["wilayah"])
    reports = province_frames["progres"].groupby("id_pembangunan").size()
    assert reports.index.equals(pd.Index(sorted(province_frames["pembangunan"]["id_pembangunan"])))
    assert (reports == SCALES["province"].laporan_per_pembangunan).all()
    assert sorted(province_frames["rat"]["tahun_buku"].unique()) == [2023, 2024, 2025]
    assert province_frames["penyaluran"]["bulan"].nunique() == 12


def test_cli_demo_data_then_init_from_the_folder(tmp_path, capsys):
    out = tmp_path / "city"
    assert main(["demo-data", "--scale", "city", "-o", str(out)]) == 0
    assert {p.name for p in out.iterdir()} >= {"wilayah.csv", "koperasi.csv", "sumber.toml", "README.txt"}
    assert "sintetis" in (out / "sumber.toml").read_text(encoding="utf-8")
    url = f"sqlite:///{tmp_path / 'c.sqlite'}"
    assert main(["--db", url, "init", "--from", str(out)]) == 0
    store = Store(url)
    snap = store.snapshot()
    assert len(snap["wilayah"]) == SCALES["city"].kelurahan
    assert snap.contoh and all(m.contoh for n, m in snap.meta.items() if not snap[n].empty)
    assert "sintetis" in snap.meta["koperasi"].sumber
    store.dispose()


def test_init_from_a_folder_without_wilayah_is_a_usage_error(tmp_path, capsys):
    code = main(["--db", f"sqlite:///{tmp_path / 'x.sqlite'}", "init", "--from", str(tmp_path)])
    assert code == 2
    assert "demo-data" in capsys.readouterr().err


def test_snapshot_reads_back_what_was_written(province_store, province_frames):
    snap = province_store.snapshot()
    for name, frame in province_frames.items():
        back = snap[name]
        assert list(back.columns) == list(empty_frame(get_dataset(name)).columns)
        assert dict(back.dtypes) == dict(empty_frame(get_dataset(name)).dtypes), name
        key = list(get_dataset(name).key)
        pd.testing.assert_frame_equal(
            back.sort_values(key).reset_index(drop=True),
            frame.sort_values(key).reset_index(drop=True),
            check_like=False,
        )


def test_snapshot_of_an_older_revision_is_unchanged_by_later_commits(province_store):
    before = province_store.snapshot()
    changed = before["koperasi"].head(5).assign(jumlah_anggota=999)
    province_store.commit({"koperasi": changed}, CommitInfo(pengguna="uji"))
    again = province_store.snapshot(before.revision)
    pd.testing.assert_frame_equal(before["koperasi"], again["koperasi"])
    latest = province_store.snapshot()["koperasi"].set_index("id_koperasi")
    assert (latest.loc[changed["id_koperasi"], "jumlah_anggota"] == 999).all()


@pytest.mark.parametrize("dataset", ["penyaluran", "progres", "koperasi", "rat"])
def test_preview_of_an_upsert_reads_only_nearby_rows_but_diffs_the_same(province_store, dataset):
    current = province_store.read(dataset)
    upload = current.sample(40, random_state=1).copy()
    value = next(c.name for c in get_dataset(dataset).columns if c.type == "float" or c.name == "lapor_ods")
    if upload[value].dtype == "float64":
        upload[value] = upload[value].fillna(0) + 1
    else:
        upload[value] = ~upload[value].fillna(False)
    full = diff_frames(get_dataset(dataset), current, upload)
    preview = province_store.preview({dataset: upload})[dataset]
    assert preview.counts() == full.counts()
    assert len(preview.changed) == 40


def test_disk_cache_matches_the_store_and_follows_a_new_store(province_store, tmp_path):
    from kkmp.arrow_copy import disk_cache_dir, open_revision

    rev = province_store.latest_revision()
    first = open_revision(province_store, rev)
    assert any(disk_cache_dir(province_store.url).glob("r*"))
    cached = open_revision(province_store, rev)
    for name in DATASETS:
        pd.testing.assert_frame_equal(first[name], cached[name])
    assert cached.meta == first.meta
    # Rebuilding the store reuses revision numbers: the cache must not serve the old data.
    init_store(province_store, force=True)
    fresh = open_revision(province_store, province_store.latest_revision())
    assert len(fresh["wilayah"]) == 34


@pytest.mark.parametrize(
    ("n_provinsi", "n_kabupaten", "n_kecamatan", "expected"),
    [
        (1, 1, 6, "kecamatan"),
        (1, 10, 105, "kabupaten_kota"),
        (38, 514, 7000, "provinsi"),
        (1, 30, 41, "kabupaten_kota"),
    ],
)
def test_chart_level_keeps_bars_readable(n_provinsi, n_kabupaten, n_kecamatan, expected):
    w = pd.DataFrame(
        {
            "provinsi": [f"p{i % n_provinsi}" for i in range(n_kecamatan)],
            "kabupaten_kota": [f"k{i % n_kabupaten}" for i in range(n_kecamatan)],
            "kecamatan": [f"c{i}" for i in range(n_kecamatan)],
        }
    )
    assert chart_level(w) == expected


def test_stages_by_area_adds_up_at_every_level(province_store):
    snap = province_store.snapshot()
    totals = {
        level: stages_by_area(snap, level)["jumlah"].sum() for level in ("provinsi", "kabupaten_kota", "kecamatan")
    }
    assert len(set(totals.values())) == 1
    assert totals["provinsi"] == int(snap["koperasi"]["kkmp"].sum())


def test_bench_runs_at_city_scale(tmp_path):
    result = run_bench("city", tmp_path, import_rows=3_000)
    server = result["server"]
    assert server["rows"]["wilayah"] == SCALES["city"].kelurahan
    assert {"load_store_s", "load_cold_s", "load_disk_cache_s", "load_cached_s", "peak_rss_mb"} <= set(server)
    for page in server["pages"]:
        assert not page["errors"], page
        assert "rerun_s" in page and page["filter"]["value"]
        assert page["total_bytes"] > 0
    assert result["import"]["rows"] == 3_000 and result["import"]["added"] == 3_000
    checks = check_targets(result, result)
    assert set(checks) == set(TARGETS)
    assert all(isinstance(c["ok"], bool) for c in checks.values())
    table = render_table([result])
    assert "ringkasan" in table and "import validate + preview s" in table
    json.dumps(result)  # the JSON file can be written
    # A second run reuses the store it built.
    again = run_bench("city", tmp_path, import_rows=0, pages=False)
    assert "init" not in again


def test_one_row_upload_is_measured_as_one_changed_cooperative(sample_store):
    result = measure_one_row(sample_store, open_snapshot(sample_store))
    assert result["dataset"] == "koperasi" and result["runs"] == 3 and len(result["runs_s"]) == 3
    assert {"one_row_preview_s", "one_row_preview_cpu_s"} <= set(result)


def test_one_row_upload_goes_through_prepare_upload_with_the_callers_snapshot(sample_store, monkeypatch):
    snapshot = open_snapshot(sample_store)
    seen = []
    real = kkmp.bench.prepare_upload

    def counting(files, store, **kwargs):
        seen.append(kwargs["snapshot"])
        return real(files, store, **kwargs)

    monkeypatch.setattr(kkmp.bench, "prepare_upload", counting)
    measure_one_row(sample_store, snapshot)
    assert len(seen) == 3 and all(s is snapshot for s in seen)


def _one_row_result(wall: float, cpu: float) -> dict:
    return {"scale": "x", "one_row": {"one_row_preview_s": wall, "one_row_preview_cpu_s": cpu}}


@pytest.mark.parametrize(("national_s", "ok"), [(1.4, True), (1.6, False)])
def test_one_row_target_is_national_within_1_5_times_city(national_s, ok):
    checks = check_targets(_one_row_result(national_s, national_s), _one_row_result(1.0, 1.0))
    assert checks["one_row_ratio_national_city"]["ok"] is ok
    assert checks["one_row_ratio_national_city"]["ok_cpu"] is ok


def test_one_row_target_needs_both_scales():
    assert "one_row_ratio_national_city" not in check_targets(_one_row_result(1.0, 1.0))


def test_cli_bench_writes_json(tmp_path, capsys):
    out = tmp_path / "b.json"
    code = main(
        ["bench", "--scale", "city", "--workdir", str(tmp_path), "--no-pages", "--import-rows", "500", "-o", str(out)]
    )
    assert code == 0
    data = json.loads(out.read_text(encoding="utf-8"))
    assert data["results"][0]["import"]["rows"] == 500
    assert "| measure | city |" in capsys.readouterr().out


def test_cli_bench_rejects_an_unknown_scale(capsys):
    assert main(["bench", "--scale", "planet"]) == 2


def test_generated_dates_follow_the_programme(city_frames):
    assert city_frames["pembangunan"]["tanggal_mulai"].min() >= pd.Timestamp(dt.date(2025, 10, 17))
    assert re.fullmatch(r"PB-\d{6}", city_frames["pembangunan"]["id_pembangunan"].iloc[0])


def test_kecamatan_filter_waits_for_a_smaller_area_when_there_are_too_many(app_env, monkeypatch, fresh_caches):
    from streamlit.testing.v1 import AppTest

    from tests.conftest import ROOT

    monkeypatch.setattr("ui.sidebar.MAX_KECAMATAN_OPTIONS", 3)
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=120).run()
    assert not at.exception
    kecamatan = at.sidebar.multiselect(key="filter_kecamatan")
    assert kecamatan.disabled and kecamatan.options == []
    assert "Balikpapan" in at.title[0].value


@pytest.fixture
def province_app(tmp_path, monkeypatch, fresh_caches):
    """The app on a province of demo data (10 kabupaten/kota), opened on its first page."""
    from streamlit.testing.v1 import AppTest

    from tests.conftest import ROOT

    directory = tmp_path / "province"
    write_demo_data(directory, "province", seed=3)
    url = f"sqlite:///{tmp_path / 'p.sqlite'}"
    store = Store(url)
    init_store(store, wilayah_file=directory / "wilayah.csv", sample_dir=directory)
    store.dispose()
    monkeypatch.setenv("KKMP_DATABASE_URL", url)
    monkeypatch.chdir(ROOT)
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=120).run()
    assert not at.exception
    return at


def test_ringkasan_groups_bars_by_kabupaten_for_a_province(province_app):
    at = province_app
    assert any("kabupaten/kota" in s.value for s in at.subheader)
    chart = json.loads(at.get("plotly_chart")[0].proto.spec)
    assert len(chart["data"][0]["y"]) == SCALES["province"].kabupaten_kota
    assert at.sidebar.multiselect(key="filter_kabupaten_kota").placeholder == "Semua kabupaten/kota"


def test_rat_page_groups_by_kabupaten_for_a_province(province_app):
    at = province_app
    at.switch_page("pages/rat.py").run()
    assert not at.exception, at.exception
    assert any(s.value == "Per kabupaten/kota (terendah di atas)" for s in at.subheader)
    per_area, status = (json.loads(c.proto.spec) for c in at.get("plotly_chart")[2:5:2])
    assert len(per_area["data"][0]["y"]) == len(status["data"][0]["y"]) == SCALES["province"].kabupaten_kota


def test_briefing_names_the_province(province_app):
    at = province_app
    at.switch_page("pages/briefing.py").run()
    assert not at.exception, at.exception
    assert any("KKMP Provinsi Contoh" in m.value and "angka utama" in m.value for m in at.markdown)


@pytest.mark.parametrize("dataset", ["wilayah", "koperasi", "pembangunan", "progres", "rat", "penyaluran"])
def test_restricted_snapshot_keeps_only_rows_of_the_area(province_frames, dataset):
    from kkmp.metrics import restrict_to_kelurahan
    from kkmp.store import DatasetMeta, Snapshot

    meta = {n: DatasetMeta(n, 1, None, "", False) for n in province_frames}
    snap = Snapshot(1, province_frames, meta)
    kecamatan = province_frames["wilayah"]["kecamatan"].iloc[0]
    codes = province_frames["wilayah"].loc[province_frames["wilayah"]["kecamatan"] == kecamatan, "kode_kelurahan"]
    sub = restrict_to_kelurahan(snap, codes)
    kop = province_frames["koperasi"]
    ids = set(kop.loc[kop["kode_kelurahan"].isin(codes), "id_koperasi"])
    pb = province_frames["pembangunan"]
    builds = set(pb.loc[pb["id_koperasi"].isin(ids), "id_pembangunan"])
    frame = sub[dataset]
    expected = {
        "wilayah": province_frames["wilayah"]["kode_kelurahan"].isin(codes),
        "koperasi": kop["kode_kelurahan"].isin(codes),
        "pembangunan": pb["id_koperasi"].isin(ids),
        "progres": province_frames["progres"]["id_pembangunan"].isin(builds),
        "rat": province_frames["rat"]["id_koperasi"].isin(ids),
        "penyaluran": province_frames["penyaluran"]["id_koperasi"].isin(ids),
    }.get(dataset)
    if expected is not None:
        pd.testing.assert_frame_equal(frame, province_frames[dataset][expected])


def test_restricted_snapshot_computes_only_what_is_read(province_frames):
    from kkmp.metrics import restrict_to_kelurahan
    from kkmp.store import DatasetMeta, Snapshot

    meta = {n: DatasetMeta(n, 1, None, "", n == "koperasi") for n in province_frames}
    codes = province_frames["wilayah"]["kode_kelurahan"].head(5)
    sub = restrict_to_kelurahan(Snapshot(1, province_frames, meta), codes)
    assert sub.contoh
    assert set(sub.frames._done) == {"koperasi"}
    assert len(sub["wilayah"]) == 5
    assert "penyaluran" not in sub.frames._done
