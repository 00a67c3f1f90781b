"""The command line: init, summary (the JSON contract), export, usage errors."""

import json
import subprocess
import sys

import pandas as pd
import pytest

from kkmp.cli import main
from tests.conftest import ROOT


def run(capsys, *argv):
    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


def test_summary_json_contract(capsys, sample_store):
    code, out, _ = run(capsys, "--db", sample_store.url, "summary", "--json")
    data = json.loads(out)
    assert code == 0
    assert data["kkmp"]["total"] == 34 and data["koperasi_aktif"] == 109
    for key in ("tahun_buku", "sudah", "dihitung", "persen", "wajib", "persen_wajib"):
        assert key in data["rat"]
    for key in (
        "id",
        "kelurahan",
        "kecamatan",
        "mulai",
        "target_selesai",
        "rencana_persen",
        "realisasi_persen",
        "deviasi",
        "status",
        "perkiraan_selesai",
    ):
        assert key in data["pembangunan"][0]


def test_init_refuses_a_full_store_without_force(capsys, sample_store):
    code, _, err = run(capsys, "--db", sample_store.url, "init")
    assert code == 1 and "--force" in err
    code, _out, _ = run(capsys, "--db", sample_store.url, "init", "--empty", "--force")
    assert code == 0
    assert sample_store.read("koperasi").empty and len(sample_store.read("wilayah")) == 34


def test_export_csv_round_trips(capsys, sample_store, tmp_path):
    target = tmp_path / "progres.csv"
    code, _, _ = run(capsys, "--db", sample_store.url, "export", "progres", "-o", str(target))
    assert code == 0
    back = pd.read_csv(target, encoding="utf-8-sig")
    assert len(back) == len(sample_store.read("progres"))


def test_export_xlsx(capsys, sample_store, tmp_path):
    target = tmp_path / "rat.xlsx"
    code, _, _ = run(capsys, "--db", sample_store.url, "export", "rat", "--format", "xlsx", "-o", str(target))
    assert code == 0
    assert len(pd.read_excel(target, sheet_name="rat")) == len(sample_store.read("rat"))


@pytest.mark.parametrize(
    "argv",
    [
        ["bogus"],
        ["summary", "--as-of", "21-10-2025"],
        ["export", "tidak_ada"],
        ["export", "rat", "--format", "xlsx"],
        [],
    ],
)
def test_usage_errors_print_one_line_and_exit_2(capsys, sample_store, argv):
    code, _, err = run(capsys, "--db", sample_store.url, *argv)
    assert code == 2
    assert len(err.strip().splitlines()) == 1


def test_module_entry_point(sample_store):
    proc = subprocess.run(
        [sys.executable, "-m", "kkmp", "--db", sample_store.url, "summary"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=True,
    )
    assert "KKMP: 34" in proc.stdout
