"""Hostile text planted in every free-text column of a store, to check that pages show it as text."""

from __future__ import annotations

import pandas as pd

from kkmp.schema import DATASETS
from kkmp.store import CommitInfo, Store

MARKER = "KKMPXSS"
# HTML that runs script, markdown emphasis and a javascript: link, a formula, a LaTeX-ish dollar pair
PAYLOAD = (
    f'<img src="x" onerror="window.__kkmp_xss=1"><b>{MARKER}</b> **{MARKER}** [klik](javascript:alert(1)) $x$ =1+1'
)


def free_text_columns() -> dict[str, list[str]]:
    """Per dataset, the text columns a user fills freely (not keys, references, codes or fixed choices)."""
    out: dict[str, list[str]] = {}
    for name, ds in DATASETS.items():
        cols = [
            c.name
            for c in ds.columns
            if c.type in ("str", "list")
            and not c.allowed
            and not c.pattern
            and c.name not in ds.key
            and c.name not in ds.references
        ]
        if cols:
            out[name] = cols
    return out


def poison_store(store: Store) -> int:
    """Append the payload to every free-text value of the current data; returns the new revision."""
    changes: dict[str, pd.DataFrame] = {}
    for name, cols in free_text_columns().items():
        frame = store.read(name)
        if frame.empty:
            continue
        for col in cols:
            # keep values distinct (kecamatan names group rows) and make every row carry the payload
            frame[col] = frame[col].fillna("").astype(str) + " " + PAYLOAD
        changes[name] = frame
    result = store.commit(changes, CommitInfo(pengguna="uji-xss", catatan=PAYLOAD, nama_file="../../etc/passwd"))
    return result.revision
