"""Backup and restore: a round trip keeps every revision, across SQLite and PostgreSQL."""

from __future__ import annotations

import json
import zipfile

import pandas as pd
import pytest

from kkmp.backup import MANIFEST, BackupError, restore_backup, write_backup
from kkmp.cli import main
from kkmp.sample import init_store
from kkmp.store import CommitInfo, Store

PAIRS = [("sqlite", "postgresql"), ("postgresql", "sqlite"), ("sqlite", "sqlite"), ("postgresql", "postgresql")]


def _with_history(store: Store) -> Store:
    """The sample plus an edit, a replace and a rollback, so the history has retired rows."""
    init_store(store, sample=True)
    kop = store.read("koperasi")
    edited = kop.head(3).copy()
    edited["jumlah_anggota"] = pd.array([5, 6, 7], dtype="Int64")
    edited.loc[edited.index[0], "nama_koperasi"] = '=HYPERLINK("http://x") — "kutip" ünï'
    store.commit({"koperasi": edited}, CommitInfo(pengguna="uji", catatan="ubah"))
    store.commit({"koperasi": kop.head(20)}, CommitInfo(pengguna="uji"), replace=True)
    store.rollback(3, pengguna="uji")
    return store


def _members(path) -> dict[str, bytes]:
    with zipfile.ZipFile(path) as zf:
        return {n: zf.read(n) for n in zf.namelist() if n != MANIFEST}


def _history(store: Store) -> pd.DataFrame:
    revs = store.revisions()
    revs["dibuat_pada"] = pd.to_datetime(revs["dibuat_pada"], utc=True)
    return revs


@pytest.mark.parametrize(("source", "target"), PAIRS, ids=[f"{a}-to-{b}" for a, b in PAIRS])
def test_round_trip_keeps_every_revision(make_store_url, tmp_path, source, target):
    src = _with_history(Store(make_store_url(source)))
    first = tmp_path / "a.zip"
    summary = write_backup(src, first)
    assert summary.revision == 5 and summary.rows["revisi"] == 5

    dst = Store(make_store_url(target))
    restored = restore_backup(dst, first)
    assert restored.revision == 5 and restored.rows == summary.rows
    for rev in range(1, 6):
        a, b = src.snapshot(rev), dst.snapshot(rev)
        for name in a.frames:
            pd.testing.assert_frame_equal(a[name], b[name], check_like=True)
        assert a.meta == b.meta
    pd.testing.assert_frame_equal(_history(src), _history(dst))

    second = tmp_path / "b.zip"
    write_backup(dst, second)
    assert _members(first) == _members(second)  # byte for byte, whichever database wrote it

    # the restored store goes on: the next write is revision 6 and gets new row ids
    row = dst.read("koperasi").head(1)[["id_koperasi"]].assign(jumlah_anggota=pd.array([1], dtype="Int64"))
    assert dst.commit({"koperasi": row}, CommitInfo(pengguna="uji")).revision == 6
    src.dispose()
    dst.dispose()


def test_restore_refuses_a_store_with_data_unless_forced(make_store_url, tmp_path):
    src = _with_history(Store(make_store_url("sqlite")))
    path = tmp_path / "a.zip"
    write_backup(src, path)
    dst = Store(make_store_url("sqlite"))
    init_store(dst, sample=True)
    with pytest.raises(BackupError, match="--force"):
        restore_backup(dst, path)
    assert dst.latest_revision() == 2
    assert restore_backup(dst, path, force=True).revision == 5
    pd.testing.assert_frame_equal(src.read("koperasi"), dst.read("koperasi"))


@pytest.mark.parametrize("damage", ["not-a-zip", "bad-row", "sha-mismatch", "unknown-table", "future-version"])
def test_a_damaged_backup_is_refused_and_the_store_is_unchanged(make_store_url, tmp_path, damage):
    src = _with_history(Store(make_store_url("sqlite")))
    good = tmp_path / "good.zip"
    write_backup(src, good)
    bad = tmp_path / "bad.zip"
    members = {MANIFEST: zipfile.ZipFile(good).read(MANIFEST), **_members(good)}
    manifest = json.loads(members[MANIFEST])
    if damage == "not-a-zip":
        bad.write_bytes(b"PK\x03\x04 this is no zip")
    else:
        if damage == "bad-row":
            members["data_koperasi.jsonl"] += b'{"kolom_palsu": 1}\n'
        elif damage == "sha-mismatch":
            members["data_koperasi.jsonl"] = members["data_koperasi.jsonl"].replace(b"KKMP", b"KKMQ", 1)
        elif damage == "unknown-table":
            manifest["tables"]["../../etc/passwd"] = {"rows": 0, "columns": []}
        elif damage == "future-version":
            manifest["version"] = 99
        members[MANIFEST] = json.dumps(manifest).encode()
        with zipfile.ZipFile(bad, "w") as zf:
            for name, data in members.items():
                zf.writestr(name, data)

    dst = Store(make_store_url("sqlite"))
    init_store(dst, sample=True)
    before = dst.snapshot()
    with pytest.raises(BackupError) as info:
        restore_backup(dst, bad, force=True)
    assert "Traceback" not in str(info.value)
    after = dst.snapshot()
    assert after.revision == before.revision == 2
    for name in before.frames:
        pd.testing.assert_frame_equal(before[name], after[name])


def test_cli_backup_and_restore(make_store_url, tmp_path, capsys):
    src_url = make_store_url("sqlite")
    _with_history(Store(src_url)).dispose()
    path = tmp_path / "cadangan.zip"
    assert main(["--db", src_url, "backup", str(path)]) == 0
    assert "revisi 5" in capsys.readouterr().out
    dst_url = make_store_url("sqlite")
    assert main(["--db", dst_url, "restore", str(path)]) == 0
    assert main(["--db", dst_url, "restore", str(path)]) == 1
    assert "--force" in capsys.readouterr().err
    assert main(["--db", dst_url, "restore", str(tmp_path / "tidak-ada.zip")]) == 1
    assert "tidak ditemukan" in capsys.readouterr().err
    assert Store(dst_url).latest_revision() == 5


def test_cli_messages_never_show_the_database_password(tmp_path, capsys):
    url = "postgresql+psycopg://kkmp:rahasia-sekali@127.0.0.1:1/kkmp"
    code = main(["--db", url, "backup", str(tmp_path / "x.zip")])
    captured = capsys.readouterr()
    assert code != 0
    assert "rahasia-sekali" not in captured.out + captured.err
