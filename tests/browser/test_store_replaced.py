"""A store replaced under a running server (#14 defect 3): the next page run shows the new store's data.

Its own server and store (the session's shared sample store must stay the sample). The store is
replaced as an administrator would: `init --empty --force` + an import (revision 2 again, as the
sample's), then `restore --force` of another store's backup.
"""

from __future__ import annotations

import pandas as pd

from kkmp.cli import main
from kkmp.sample import SAMPLE_DIR
from kkmp.store import Store
from tests.browser.harness import ARTIFACTS, exceptions, make_sample_store, metric_value, open_page, running_server


def _replace_with_kkmp(url: str, folder, rows: int) -> None:
    assert main(["--db", url, "init", "--empty", "--force"]) == 0
    csv = folder / f"koperasi-{rows}.csv"
    pd.read_csv(SAMPLE_DIR / "koperasi.csv").head(rows).to_csv(csv, index=False)
    assert main(["--db", url, "import", str(csv), "--posisi-per", "2025-12-01", "--user", "uji", "--yakin"]) == 0


def test_a_replaced_store_shows_on_the_next_page_run(context, tmp_path, capsys):
    url = make_sample_store(tmp_path)
    other = f"sqlite:///{tmp_path / 'lain.sqlite'}"
    _replace_with_kkmp(other, tmp_path, rows=7)
    backup = tmp_path / "lain.zip"
    assert main(["--db", other, "backup", str(backup)]) == 0
    shots = ARTIFACTS
    shots.mkdir(parents=True, exist_ok=True)
    with running_server(url, tmp_path / "server.log") as server:
        page = open_page(context, server.url, "", timeout_ms=90_000)
        assert metric_value(page, "card_kkmp") == "34"

        _replace_with_kkmp(url, tmp_path, rows=5)
        assert Store(url).latest_revision() == 2  # the same revision number as the sample's
        page.reload()
        page.wait_for_selector('.st-key-card_kkmp [data-testid="stMetricValue"]')
        page.wait_for_function(
            """() => document.querySelector('[data-testid="stApp"]')?.getAttribute('data-test-script-state') !== 'running'"""
        )
        page.screenshot(path=str(shots / "store-replaced-init.png"))
        assert not exceptions(page)
        assert metric_value(page, "card_kkmp") == "5"

        assert main(["--db", url, "restore", str(backup), "--force"]) == 0
        riwayat = open_page(context, server.url, "riwayat")
        page.reload()
        page.wait_for_selector('.st-key-card_kkmp [data-testid="stMetricValue"]')
        page.screenshot(path=str(shots / "store-replaced-restore.png"))
        assert metric_value(page, "card_kkmp") == "7"
        assert not exceptions(riwayat)
        riwayat.screenshot(path=str(shots / "store-replaced-riwayat.png"))
