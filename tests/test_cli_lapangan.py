"""`python -m kkmp import` with field files (#15): named by kelurahan, dated by the file, errors and warnings."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from kkmp.cli import main
from tests.upload_corpus import csv_bytes, weekly_by_kelurahan, xlsx

FIXTURES = Path(__file__).parent / "fixtures"
HEADER = ["Kelurahan", "Tanggal Laporan", "Rencana (%)", "Realisasi (%)"]


def run(capsys, *argv):
    code = main([str(a) for a in argv])
    out, err = capsys.readouterr()
    return code, out, err


def write(tmp_path, name: str, data: bytes) -> Path:
    path = tmp_path / name
    path.write_bytes(data)
    return path


def test_weekly_workbook_by_kelurahan_done_when(capsys, sample_store, tmp_path):
    path = write(tmp_path, "laporan-mingguan.xlsx", weekly_by_kelurahan())
    code, out, _ = run(capsys, "--db", sample_store.url, "import", path, "--json")
    data = json.loads(out)
    assert code == 0 and data["revision"] == 3, data
    assert data["posisi_per"]["progres"] == {"tanggal": "2025-12-19", "asal": "berkas"}
    _, out, _ = run(capsys, "--db", sample_store.url, "history", "--json")
    [part] = json.loads(out)[0]["datasets"]
    assert part["dataset"] == "progres" and part["posisi_per"] == "2025-12-19"
    assert part["sumber"].startswith("Laporan mingguan")
    _, out, _ = run(capsys, "--db", sample_store.url, "summary", "--json")
    builds = {b["id"]: b["realisasi_persen"] for b in json.loads(out)["pembangunan"]}
    assert builds == {"PB-2025-01": 76.5, "PB-2025-02": 70.2, "PB-2025-03": 52.0}


@pytest.mark.parametrize(
    ("rows", "code", "column"),
    [
        (["Graha Indah", "19/12/2027", 76.5, 76.5], "masa depan", "Tanggal Laporan"),
        (["Graha Indah", "16/10/2025", 0, 0], "sebelum pembangunan dimulai", "Tanggal Laporan"),
        (["Graha Indah", "19/12/2025", 76.5, 176.5], "lebih besar dari 100", "Realisasi (%)"),
        (["Lamaru", "19/12/2025", 76.5, 76.5], "Tidak ada pembangunan", "Kelurahan"),
    ],
)
def test_each_error_exits_1_naming_row_column_rule(capsys, sample_store, tmp_path, rows, code, column):
    path = write(tmp_path, "p.xlsx", xlsx({"Laporan": [HEADER, rows]}))
    status, out, _ = run(capsys, "--db", sample_store.url, "import", path, "--json")
    [error] = json.loads(out)["errors"]
    assert status == 1 and error["row"] == 2 and error["column"] == column and code in error["message"]
    assert sample_store.latest_revision() == 2


def test_look_alike_id_exits_1(capsys, sample_store, tmp_path):
    path = write(tmp_path, "p.csv", csv_bytes([["id_koperasi", "jumlah_anggota"], ["kkmp-6471011001", 19]]))
    status, out, _ = run(capsys, "--db", sample_store.url, "import", path, "--json")
    [error] = [e for e in json.loads(out)["errors"] if e["column"] == "id_koperasi"]
    assert status == 1 and error["row"] == 2 and "'KKMP-6471011001'" in error["message"]


def test_warning_needs_confirm_then_saves(capsys, sample_store, tmp_path):
    path = write(tmp_path, "p.xlsx", xlsx({"Laporan": [HEADER, ["Manggar", "19/12/2025", 76.5, 5]]}))
    status, out, _ = run(capsys, "--db", sample_store.url, "import", path, "--json")
    data = json.loads(out)
    assert status == 1 and data["accepted"] and data["needs_confirmation"] and data["revision"] is None
    [group] = [w for w in data["warnings"] if w["kind"] == "realisasi_turun"]
    assert group["count"] == 1 and group["examples"][0]["row"] == 2
    assert sample_store.latest_revision() == 2
    status, out, _ = run(capsys, "--db", sample_store.url, "import", path, "--confirm")
    assert status == 0 and "revisi 3" in out and "1 × Realisasi turun" in out


def test_undated_file_says_which_posisi_per_it_used(capsys, sample_store, tmp_path):
    path = write(tmp_path, "k.csv", csv_bytes([["id_koperasi", "jumlah_anggota"], ["KKMP-6471011001", 19]]))
    status, out, _ = run(capsys, "--db", sample_store.url, "import", path, "--posisi-per", "2025-12-01")
    assert status == 0 and "posisi per koperasi: 1 Des 2025 (dari --posisi-per)" in out
    assert sample_store.snapshot().meta["koperasi"].posisi_per.isoformat() == "2025-12-01"


def test_import_geojson_loads_boundaries(capsys, sample_store, tmp_path):
    path = write(tmp_path, "batas.geojson", (FIXTURES / "batas-contoh.geojson").read_bytes())
    before = len(sample_store.read("batas_wilayah"))  # the sample ships the city's boundaries
    status, out, _ = run(capsys, "--db", sample_store.url, "import", path, "--json")
    data = json.loads(out)
    assert status == 0 and data["revision"] == 3
    assert [d["dataset"] for d in data["datasets"]] == ["batas_wilayah"]
    written = data["datasets"][0]
    assert written["added"] + written["changed"] > 0
    assert len(sample_store.read("batas_wilayah")) == before + written["added"]
