"""A separate process that writes to a store, for the concurrency and interrupted-write tests.

python tests/store_worker.py cell URL GO_FILE ID_KOPERASI COLUMN VALUE
    wait until GO_FILE exists, then commit one cell; prints "rev N"
python tests/store_worker.py churn URL ROWS
    commit revision after revision of `churn_frame` (jumlah = the revision written) until killed;
    prints "begin" before each commit and "rev N" after it
python tests/store_worker.py hang URL ROWS
    commit one `churn_frame`, but stop inside the transaction after the rows and the revision
    are written and before COMMIT; prints "inside N" and waits to be killed
"""

from __future__ import annotations

import sys
import time
from pathlib import Path

import pandas as pd

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from kkmp.frames import DTYPES
from kkmp.store import CommitInfo, Store

KOMODITAS = ("beras", "minyak_goreng", "gula")


def churn_frame(rows: int, jumlah: float) -> pd.DataFrame:
    """`rows` penyaluran rows, every `jumlah` the same value (so a revision's data is easy to check)."""
    months = pd.date_range("2020-01-01", periods=max(rows // (len(KOMODITAS) * 50), 1) + 1, freq="MS")
    keys = [(f"KKMP-UJI{i:03d}", m, k) for i in range(50) for m in months for k in KOMODITAS][:rows]
    return pd.DataFrame(
        {
            "id_koperasi": pd.Series([k[0] for k in keys], dtype=DTYPES["str"]),
            "bulan": pd.Series([k[1] for k in keys], dtype="datetime64[ns]"),
            "komoditas": pd.Series([k[2] for k in keys], dtype=DTYPES["str"]),
            "jumlah": pd.Series([float(jumlah)] * len(keys), dtype="float64"),
            "satuan": pd.Series(["kg"] * len(keys), dtype=DTYPES["str"]),
            "mitra": pd.Series(["PT Uji"] * len(keys), dtype=DTYPES["str"]),
        }
    )


def _say(text: str) -> None:
    print(text, flush=True)


def cell(url: str, go_file: str, id_koperasi: str, column: str, value: str) -> None:
    store = Store(url)
    row = pd.DataFrame({"id_koperasi": pd.Series([id_koperasi], dtype=DTYPES["str"])})
    row[column] = pd.Series([float(value)], dtype="float64") if column.startswith("modal") else int(value)
    if not column.startswith("modal"):
        row[column] = row[column].astype("Int64")
    store.latest_revision()  # connect before the start signal
    while not Path(go_file).exists():
        time.sleep(0.005)
    result = store.commit({"koperasi": row}, CommitInfo(pengguna=f"proses-{column}"))
    _say(f"rev {result.revision}")


def churn(url: str, rows: int) -> None:
    store = Store(url)
    while True:
        nxt = store.latest_revision() + 1
        _say("begin")
        result = store.commit({"penyaluran": churn_frame(rows, nxt)}, CommitInfo(pengguna="churn"), replace=True)
        _say(f"rev {result.revision}")


def hang(url: str, rows: int) -> None:
    store = Store(url)
    original = store._apply

    def apply_then_stop(conn, dataset, diff, rev):  # runs inside the write transaction
        original(conn, dataset, diff, rev)
        conn.exec_driver_sql("SELECT 1")
        _say(f"inside {rev}")
        time.sleep(600)

    store._apply = apply_then_stop
    nxt = store.latest_revision() + 1
    store.commit({"penyaluran": churn_frame(rows, nxt)}, CommitInfo(pengguna="hang"), replace=True)


if __name__ == "__main__":
    mode, url, *rest = sys.argv[1:]
    if mode == "cell":
        cell(url, *rest)
    elif mode == "churn":
        churn(url, int(rest[0]))
    elif mode == "hang":
        hang(url, int(rest[0]))
    else:
        raise SystemExit(f"unknown mode {mode}")
