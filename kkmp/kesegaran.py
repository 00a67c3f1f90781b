"""Freshness (kesegaran): how old each dataset is on the reference date, and whether it is stale."""

from __future__ import annotations

import datetime as dt
from dataclasses import asdict, dataclass

from kkmp.acuan import DATED_DATASETS
from kkmp.settings import Settings
from kkmp.store import Snapshot


@dataclass(frozen=True)
class Kesegaran:
    """One dataset's age on the reference date (`umur_hari` None when undated)."""

    dataset: str
    posisi_per: dt.date | None
    umur_hari: int | None
    basi: bool
    batas_hari: int

    def as_dict(self) -> dict[str, object]:
        """A JSON-friendly form (an item of the summary's `kesegaran` list)."""
        out = asdict(self)
        out["posisi_per"] = self.posisi_per.isoformat() if self.posisi_per else None
        return out


def stale_after(dataset: str, settings: Settings) -> int:
    """Days after which `dataset` counts as stale: weekly progress reports sooner than the rest."""
    return settings.laporan_basi_hari if dataset == "progres" else settings.data_basi_hari


def freshness(snapshot: Snapshot, settings: Settings, reference: dt.date) -> list[Kesegaran]:
    """Each dated dataset's age on `reference`, in `DATED_DATASETS` order."""
    out = []
    for name in DATED_DATASETS:
        meta = snapshot.meta.get(name)
        posisi = meta.posisi_per if meta else None
        umur = (reference - posisi).days if posisi else None
        limit = stale_after(name, settings)
        out.append(Kesegaran(name, posisi, umur, umur is not None and umur > limit, limit))
    return out
