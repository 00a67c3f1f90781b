"""`python -m kkmp import | history | rollback | template | hash-password`: exit codes and the JSON contract."""

import getpass
import json
import subprocess
import sys

import pytest

from kkmp.auth import verify_password
from kkmp.cli import main
from tests.conftest import ROOT
from tests.upload_corpus import koperasi_bad_kelurahan, koperasi_title_rows, progres_semicolon_cp1252


def run(capsys, *argv):
    code = main([str(a) for a in argv])
    out, err = capsys.readouterr()
    return code, out, err


@pytest.fixture
def files(tmp_path):
    paths = {
        "good": tmp_path / "rekap.xlsx",
        "bad": tmp_path / "koperasi.csv",
        "progres": tmp_path / "progres.csv",
        "garbage": tmp_path / "sampah.bin",
    }
    paths["good"].write_bytes(koperasi_title_rows())
    paths["bad"].write_bytes(koperasi_bad_kelurahan())
    paths["progres"].write_bytes(progres_semicolon_cp1252())
    paths["garbage"].write_bytes(bytes(range(256)) * 8)
    return paths


def test_import_json_contract_and_commit(capsys, sample_store, files):
    argv = ("--db", sample_store.url, "import", files["good"], "--json", "--user", "sari", "--confirm")
    code, out, _ = run(capsys, *argv)
    data = json.loads(out)
    assert code == 0 and data["accepted"] and data["revision"] == 3
    assert set(data) == {"accepted", "revision", "datasets", "errors", "warnings", "needs_confirmation", "posisi_per"}
    assert data["datasets"] == [{"dataset": "koperasi", "added": 0, "changed": 2, "unchanged": 0, "removed": 0}]
    assert all(set(w) == {"kind", "count", "examples"} for w in data["warnings"])
    assert set(data["warnings"][0]["examples"][0]) == {"sheet", "row", "column", "value", "message"}
    assert data["posisi_per"]["koperasi"]["asal"] == "hari_ini"
    assert sample_store.revisions().iloc[0]["pengguna"] == f"sari (via --user, akun os: {getpass.getuser()})"


def test_import_dry_run_writes_nothing(capsys, sample_store, files):
    code, out, _ = run(capsys, "--db", sample_store.url, "import", files["progres"], "--dry-run", "--json")
    data = json.loads(out)
    assert code == 0 and data["accepted"] and data["revision"] is None and data["datasets"][0]["added"] == 2
    assert sample_store.latest_revision() == 2


def test_import_rejected_exit_1(capsys, sample_store, files):
    code, out, _ = run(capsys, "--db", sample_store.url, "import", files["bad"], "--json", "--lang", "en")
    data = json.loads(out)
    assert code == 1 and not data["accepted"] and data["revision"] is None
    [error] = data["errors"]
    assert error["row"] == 4 and error["column"] == "kelurahan" and "Sungai Nangka" in error["message"]
    assert "not known" in error["message"]
    assert sample_store.latest_revision() == 2


def test_import_text_output(capsys, sample_store, files):
    code, out, _ = run(capsys, "--db", sample_store.url, "import", files["bad"])
    assert code == 1 and "baris 4" in out and "DITOLAK" in out


@pytest.mark.parametrize("which", ["garbage", "missing"])
def test_import_unreadable_exit_2(capsys, sample_store, files, tmp_path, which):
    path = files["garbage"] if which == "garbage" else tmp_path / "tidak-ada.xlsx"
    code, _, err = run(capsys, "--db", sample_store.url, "import", path)
    assert code == 2 and len(err.strip().splitlines()) == 1
    assert sample_store.latest_revision() == 2


def test_import_twice_then_history_and_rollback(capsys, sample_store, files):
    assert run(capsys, "--db", sample_store.url, "import", files["progres"])[0] == 0
    code, out, _ = run(capsys, "--db", sample_store.url, "import", files["progres"], "--json")
    assert code == 0 and json.loads(out)["revision"] is None
    code, out, _ = run(capsys, "--db", sample_store.url, "history", "--json")
    history = json.loads(out)
    assert [h["revisi"] for h in history] == [3, 2, 1]
    assert history[0]["datasets"][0]["ditambah"] == 2 and history[0]["nama_file"] == "progres.csv"
    code, out, _ = run(capsys, "--db", sample_store.url, "rollback", "2", "--user", "sari")
    assert code == 0 and "revisi 4" in out
    assert len(sample_store.read("progres")) == 24
    code, out, _ = run(capsys, "--db", sample_store.url, "history")
    assert code == 0 and out.splitlines()[0].split()[0] == "4"


def test_rollback_unknown_revision_exit_1(capsys, sample_store):
    code, _, err = run(capsys, "--db", sample_store.url, "rollback", "99")
    assert code == 1 and "99" in err


def test_template_then_import_changes_nothing(capsys, sample_store, tmp_path):
    target = tmp_path / "templat.xlsx"
    assert run(capsys, "--db", sample_store.url, "template", "-o", target)[0] == 0
    code, out, _ = run(capsys, "--db", sample_store.url, "import", target, "--json")
    data = json.loads(out)
    assert code == 0 and data["revision"] is None and not data["warnings"]
    assert all(d["added"] == d["changed"] == d["removed"] == 0 for d in data["datasets"])


def test_csv_template_needs_a_dataset(capsys, sample_store, tmp_path):
    assert run(capsys, "--db", sample_store.url, "template", "--format", "csv", "-o", tmp_path / "x.csv")[0] == 2
    assert (
        run(
            capsys,
            "--db",
            sample_store.url,
            "template",
            "--format",
            "csv",
            "--dataset",
            "rat",
            "-o",
            tmp_path / "x.csv",
        )[0]
        == 0
    )


def test_hash_password_from_stdin():
    proc = subprocess.run(
        [sys.executable, "-m", "kkmp", "hash-password", "--name", "budi"],
        cwd=ROOT,
        input="rahasia\n",
        capture_output=True,
        text=True,
        check=True,
    )
    hashed = proc.stdout.strip()
    assert verify_password("rahasia", hashed) and "KKMP_EDITORS='budi:" in proc.stderr
