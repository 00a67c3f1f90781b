"""Store identity (#14 defect 3): a replaced store never shows the old store's data or history."""

from __future__ import annotations

import pandas as pd
import pytest
from streamlit.testing.v1 import AppTest

from kkmp.backup import restore_backup, write_backup
from kkmp.cli import main
from kkmp.sample import SAMPLE_DIR, init_store
from kkmp.store import Store, StoreReplacedError
from tests.conftest import ROOT

TIMEOUT = 60
BACKENDS = ["sqlite", "postgresql"]


def _kkmp_count(at: AppTest) -> str:
    return {m.label: m.value for m in at.metric}["KKMP"]


def _import_some_kkmp(url: str, tmp_path, rows: int) -> None:
    """`init --empty --force` then an import of `rows` KKMP: revision 2, as the sample's latest."""
    assert main(["--db", url, "init", "--empty", "--force"]) == 0
    csv = tmp_path / "koperasi.csv"
    pd.read_csv(SAMPLE_DIR / "koperasi.csv").head(rows).to_csv(csv, index=False)
    assert main(["--db", url, "import", str(csv), "--posisi-per", "2025-12-01", "--user", "uji", "--yakin"]) == 0
    assert Store(url).latest_revision() == 2


@pytest.mark.parametrize("backend", BACKENDS)
def test_create_gives_a_store_an_identity_that_stays(make_store_url, backend):
    store = Store(make_store_url(backend))
    assert store.identity() == ""
    store.create()
    first = store.identity()
    assert len(first) == 32
    store.create()
    assert Store(store.url).identity() == first
    store.dispose()


@pytest.mark.parametrize("backend", BACKENDS)
def test_init_force_replaces_the_identity(make_store_url, backend):
    store = Store(make_store_url(backend))
    init_store(store, sample=True)
    before = store.identity()
    init_store(store, sample=True, force=True)
    assert store.identity() not in ("", before)
    store.dispose()


@pytest.mark.parametrize("backend", BACKENDS)
def test_restore_replaces_the_identity(make_store_url, tmp_path, backend):
    src = Store(make_store_url("sqlite"))
    init_store(src, sample=True)
    path = tmp_path / "a.zip"
    write_backup(src, path)
    dst = Store(make_store_url(backend))
    init_store(dst, sample=True)
    before = dst.identity()
    restore_backup(dst, path, force=True)
    assert dst.identity() not in ("", before, src.identity())
    assert dst.state() == (dst.identity(), 2)
    src.dispose()
    dst.dispose()


def test_a_rollback_chosen_on_a_replaced_store_is_refused(sample_store):
    shown = sample_store.identity()
    init_store(sample_store, sample=True, force=True)
    with pytest.raises(StoreReplacedError):
        sample_store.rollback(1, "uji", identity=shown)
    assert sample_store.latest_revision() == 2


def test_a_running_app_shows_the_new_store_after_init_force_and_an_import(app_env, tmp_path):
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=TIMEOUT).run()
    assert _kkmp_count(at) == "34"
    _import_some_kkmp(app_env, tmp_path, rows=5)  # same revision number (2), other data
    at.run()
    assert not at.exception
    assert _kkmp_count(at) == "5"


def test_a_running_app_shows_the_restored_store(app_env, tmp_path, make_store_url):
    other = make_store_url("sqlite")
    _import_some_kkmp(other, tmp_path, rows=7)
    path = tmp_path / "lain.zip"
    assert main(["--db", other, "backup", str(path)]) == 0
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=TIMEOUT).run()
    assert _kkmp_count(at) == "34"
    assert main(["--db", app_env, "restore", str(path), "--force"]) == 0
    at.run()
    assert not at.exception
    assert _kkmp_count(at) == "7"


def test_riwayat_lists_the_history_of_the_store_shown(app_env, tmp_path):
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=TIMEOUT)
    at.switch_page("pages/riwayat.py")
    at.run()
    users_before = set(at.dataframe[0].value.iloc[:, :].astype(str).stack())
    _import_some_kkmp(app_env, tmp_path, rows=5)
    at.run()
    assert not at.exception
    cells = set(at.dataframe[0].value.astype(str).stack())

    def by_uji(values: set[str]) -> bool:
        return any(v.startswith("uji (via --user") for v in values)

    assert by_uji(cells) and not by_uji(users_before)
