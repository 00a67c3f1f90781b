"""Region hierarchy helpers: codes, names and filters over the `wilayah` dataset."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, replace

import pandas as pd

LEVELS = ("provinsi", "kabupaten_kota", "kecamatan", "kelurahan")


@dataclass(frozen=True)
class WilayahFilter:
    """The user's choice of area; an empty tuple means "all"."""

    provinsi: tuple[str, ...] = ()
    kabupaten_kota: tuple[str, ...] = ()
    kecamatan: tuple[str, ...] = ()

    @property
    def is_all(self) -> bool:
        """True when nothing is filtered out."""
        return not (self.provinsi or self.kabupaten_kota or self.kecamatan)


def select_wilayah(wilayah: pd.DataFrame, choice: WilayahFilter) -> pd.DataFrame:
    """Rows of `wilayah` inside the chosen area."""
    mask = pd.Series(True, index=wilayah.index)
    for level in ("provinsi", "kabupaten_kota", "kecamatan"):
        picked = getattr(choice, level)
        if picked:
            mask &= wilayah[level].isin(picked)
    return wilayah[mask]


def options(wilayah: pd.DataFrame, level: str, within: WilayahFilter | None = None) -> list[str]:
    """Sorted distinct names at `level`, restricted to the higher levels already chosen."""
    frame = wilayah
    if within is not None:
        upper = LEVELS[: LEVELS.index(level)]
        partial = WilayahFilter(**{k: getattr(within, k) for k in upper if k != "kelurahan"})
        frame = select_wilayah(wilayah, partial)
    return sorted(frame[level].dropna().unique().tolist())


def covering_filter(wilayah: pd.DataFrame, rows: pd.DataFrame) -> WilayahFilter:
    """The narrowest area choice holding every kelurahan of `rows` (a subset of `wilayah`): at each level the
    names of `rows`, left empty (all) where they are every name the levels above leave."""
    choice = WilayahFilter()
    for level in ("provinsi", "kabupaten_kota", "kecamatan"):
        picked = sorted(rows[level].dropna().unique().tolist())
        if set(picked) != set(options(wilayah, level, choice)):
            choice = replace(choice, **{level: tuple(picked)})
    return choice


def kode_prefix(codes: Iterable[str], level: str) -> list[str]:
    """Parent codes of kelurahan codes: level 'provinsi' → '64', 'kabupaten_kota' → '64.71', ..."""
    parts = {"provinsi": 1, "kabupaten_kota": 2, "kecamatan": 3, "kelurahan": 4}[level]
    return [".".join(str(c).split(".")[:parts]) for c in codes]


def area_label(choice: WilayahFilter, wilayah: pd.DataFrame) -> str:
    """A short name for the chosen area (for titles): the narrowest level chosen."""
    for level in ("kecamatan", "kabupaten_kota", "provinsi"):
        picked = getattr(choice, level)
        if picked:
            return ", ".join(picked)
    names = wilayah["kabupaten_kota"].dropna().unique().tolist()
    if len(names) == 1:
        return names[0]
    provs = wilayah["provinsi"].dropna().unique().tolist()
    return provs[0] if len(provs) == 1 else "Indonesia"
