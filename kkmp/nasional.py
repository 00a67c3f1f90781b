"""Placing the rows of the national KDKMP exports (land sites, village statistics) in the region.

The exports carry no Kemendagri code: a row names its kabupaten/kota ("KOTA BALIKPAPAN",
"KAB. PASER"), kecamatan and kelurahan in the national system's spelling (title case, joined or
split words, "Gn." for "Gunung") and, for land sites, the cooperative's full name
("KOPERASI KELURAHAN MERAH PUTIH <KELURAHAN> [KECAMATAN <KECAMATAN>]"). `locate_kelurahan` finds
each row's kelurahan by district, then kecamatan, then name (falling back to the cooperative's
name); rows it cannot place and kelurahan of the region without a row are reported.
"""

from __future__ import annotations

import difflib
import re
from dataclasses import dataclass, field

import pandas as pd

from kkmp.parse import clean_text, is_empty, kelurahan_key, normalize_header

#: Abbreviations the national spelling uses for words of kelurahan names.
_ABBREVIATIONS = {"gn": "gunung", "sei": "sungai", "sg": "sungai", "kp": "kampung", "tj": "tanjung"}
_COOPERATIVE_PREFIX = re.compile(
    r"^\s*(koperasi|kop\.?)\s+(kelurahan|desa|kel\.?|des\.?)\s+merah\s+putih\s+", re.IGNORECASE
)
_KECAMATAN_SUFFIX = re.compile(r"\s+kecamatan\s+.*$", re.IGNORECASE)
#: How close a misspelt kelurahan name must be to the region's name (difflib ratio) to be taken.
CLOSE_NAME = 0.88


def district_key(name: object) -> str:
    """A kabupaten/kota name reduced for matching: "KAB. PASER" and "Kabupaten Paser" agree."""
    text = clean_text(name).lower()
    text = re.sub(r"^kab(upaten)?\b\.?\s*", "kabupaten ", text)
    return normalize_header(text)


def name_key(name: object) -> str:
    """A kelurahan name in the national spelling reduced for matching ("Gn. Bahagia" → "gunungbahagia")."""
    words = re.split(r"[\s.]+", clean_text(name).lower())
    return kelurahan_key(" ".join(_ABBREVIATIONS.get(w, w) for w in words if w))


def cooperative_kelurahan(name: object) -> str:
    """The kelurahan a national cooperative name names: "KOPERASI KELURAHAN MERAH PUTIH X KECAMATAN Y" → "X"."""
    if is_empty(name):
        return ""
    text = _COOPERATIVE_PREFIX.sub("", clean_text(name), count=1)
    return _KECAMATAN_SUFFIX.sub("", text)


@dataclass
class Placement:
    """Where each row of an export lies: `kode` by row (None: not placed) and why a row was not placed."""

    kode: pd.Series
    reasons: dict[int, str] = field(default_factory=dict)
    #: Kelurahan (code → name) of the districts the export covers that no row names.
    without_row: dict[str, str] = field(default_factory=dict)


def _pick(keys: pd.Series, key: str) -> list[str]:
    return list(keys.index[keys == key])


def locate_kelurahan(names: pd.DataFrame, wilayah: pd.DataFrame, cooperative: pd.Series | None = None) -> Placement:
    """Each row's kelurahan code from its `kabupaten_kota`, `kecamatan` and `nama_kelurahan` (and the
    cooperative name); `reasons` says "kabupaten" (district not in the region), "kelurahan" (no such
    kelurahan there) or "ganda" (several fit)."""
    index = names.index
    kode = pd.Series(pd.NA, index=index, dtype="str")
    placement = Placement(kode)
    if wilayah is None or wilayah.empty:
        placement.reasons = {int(i): "kabupaten" for i in index}
        return placement
    region = wilayah.set_index("kode_kelurahan")
    district = region["kabupaten_kota"].map(district_key)
    kecamatan = region["kecamatan"].map(normalize_header)
    kelurahan = region["kelurahan"].map(name_key)

    def column(name: str) -> pd.Series:
        return names[name] if name in names.columns else pd.Series(pd.NA, index=index, dtype="str")

    districts, kecs, kels = column("kabupaten_kota"), column("kecamatan"), column("nama_kelurahan")
    covered: set[str] = set()
    for row in index:
        in_district = district.index[district == district_key(districts[row])] if not is_empty(districts[row]) else []
        if len(in_district) == 0:
            placement.reasons[int(row)] = "kabupaten"
            continue
        covered.add(district_key(districts[row]))
        pool = kelurahan[in_district]
        same_kec = pool[kecamatan[in_district] == normalize_header(kecs[row])] if not is_empty(kecs[row]) else pool
        if not same_kec.empty:
            pool = same_kec
        tried = [name_key(kels[row])]
        if cooperative is not None:
            tried.append(name_key(cooperative_kelurahan(cooperative.get(row))))
        hits: list[str] = []
        for key in (k for k in tried if k):
            hits = _pick(pool, key)
            if not hits:
                close = difflib.get_close_matches(key, list(pool), n=2, cutoff=CLOSE_NAME)
                hits = [c for k in close for c in _pick(pool, k)]
            if hits:
                break
        if len(hits) == 1:
            kode[row] = hits[0]
        else:
            placement.reasons[int(row)] = "ganda" if hits else "kelurahan"
    placed = set(kode.dropna())
    for code, key in district.items():
        if key in covered and code not in placed:
            placement.without_row[str(code)] = str(region.at[code, "kelurahan"])
    return placement
