"""The revision history as records, and what one revision changed, row by row and cell by cell."""

from __future__ import annotations

import pandas as pd

from kkmp.access import Editor, authorize_write
from kkmp.diff import DatasetDiff, diff_frames
from kkmp.schema import DATASETS, get_dataset
from kkmp.store import CommitResult, Store


def history_records(revisions: pd.DataFrame) -> list[dict[str, object]]:
    """`Store.revisions()` as JSON-friendly records, newest first (the `history --json` contract)."""
    out = []
    for r in revisions.to_dict("records"):
        when = r.get("dibuat_pada")
        out.append(
            {
                "revisi": int(r["id"]),
                "waktu": _utc(when),
                "pengguna": r.get("pengguna") or "",
                "jenis": r.get("jenis") or "",
                "nama_file": _opt(r.get("nama_file")),
                "sha256": _opt(r.get("sha256")),
                "catatan": r.get("catatan") or "",
                "rollback_ke": None if pd.isna(r.get("rollback_ke")) else int(r["rollback_ke"]),
                "datasets": [
                    {
                        "dataset": d["dataset"],
                        "ditambah": int(d.get("ditambah") or 0),
                        "diubah": int(d.get("diubah") or 0),
                        "dihapus": int(d.get("dihapus") or 0),
                        "tetap": int(d.get("tetap") or 0),
                        "posisi_per": d.get("posisi_per").isoformat() if d.get("posisi_per") else None,
                        "sumber": d.get("sumber") or "",
                        "contoh": bool(d.get("contoh")),
                    }
                    for d in r.get("datasets", [])
                ],
            }
        )
    return out


def _opt(value: object) -> object:
    return None if value is None or (not isinstance(value, str) and pd.isna(value)) else value


def _utc(value: object) -> str:
    """The revision time in ISO form, in UTC (SQLite returns it without its zone)."""
    if value is None or pd.isna(value):
        return ""
    stamp = pd.Timestamp(value)
    stamp = stamp.tz_localize("UTC") if stamp.tzinfo is None else stamp.tz_convert("UTC")
    return stamp.isoformat()


def revision_changes(store: Store, revision: int, datasets: list[str]) -> dict[str, DatasetDiff]:
    """What `revision` changed in each of `datasets`, compared with the revision before it."""
    out = {}
    for name in datasets:
        ds = get_dataset(name)
        retired, created = store.revision_versions(name, revision)
        out[name] = diff_frames(ds, retired, created, replace=True)
    return out


def rollback_revision(
    store: Store, revision: int, editor: Editor | None, catatan: str = "", *, identity: str | None = None
) -> CommitResult:
    """Roll back to `revision` as `editor`, through the write gate (every changed row in their areas).

    `identity` (the store's identity when the user chose the revision) refuses a replaced store.
    """
    authorize_write(editor)
    if editor.is_limited:
        frames = {name: store.read(name, revision) for name in DATASETS}
        authorize_write(editor, store, frames, replace=True)
    return store.rollback(revision, editor.name, catatan, identity=identity)
