"""Which stored row a line of a file means: ids, or the kelurahan and cooperative names people write.

A weekly progress report names its build by `id_pembangunan`, or by kelurahan (name or code), or by
cooperative name; a RAT list names its cooperative by `id_koperasi` or by name and kelurahan. These
rules turn such names into the id (one candidate: that one; several: an error naming them; none: an
error), check that a code and a name given together agree, and refuse an id that differs from an
existing one only by case, spaces, zero-width or look-alike characters.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable, Collection, Iterable, Mapping, Sequence

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc

from kkmp.frames import isin
from kkmp.ingest import SheetData
from kkmp.schema import get_dataset
from kkmp.validate import ValidationIssue

#: Characters that look like Latin letters or digits (Cyrillic, Greek, and the 0/O and 1/l/I pairs).
_CONFUSABLES = str.maketrans(
    {
        "а": "a",
        "е": "e",
        "о": "0",
        "o": "0",
        "р": "p",
        "с": "c",
        "х": "x",
        "у": "y",
        "і": "1",
        "i": "1",
        "l": "1",
        "ѕ": "s",
        "ј": "j",
        "к": "k",
        "м": "m",
        "т": "t",
        "н": "h",
        "в": "b",
        "α": "a",
        "ο": "0",
        "ρ": "p",
        "κ": "k",
        "ν": "v",
        "τ": "t",
        "ι": "1",
        "ε": "e",
        "‐": "-",
        "‑": "-",
        "‒": "-",
        "–": "-",
        "—": "-",
        "−": "-",
    }
)
_INVISIBLE = re.compile("[\u200b-\u200f\u2060-\u2064\ufeff\u00ad\\s]+")
_KOPERASI_WORDS = re.compile(
    r"^(koperasi\s*(kelurahan|desa|kel\.?|des\.?)?\s*merah\s*putih|kop\.?\s*(kel\.?|des\.?)?\s*merah\s*putih|kkmp|kdkmp|kdmp|kmp)\b"
)


def id_skeleton(value: object) -> str:
    """An id reduced to what a reader sees: no case, spaces, zero-width or look-alike differences."""
    text = unicodedata.normalize("NFKC", str(value)).casefold()
    return _INVISIBLE.sub("", text).translate(_CONFUSABLES)


def koperasi_key(name: object) -> str:
    """A cooperative's name for matching: "KKMP Manggar" and "Koperasi Kelurahan Merah Putih Manggar" agree."""
    text = unicodedata.normalize("NFKC", str(name)).casefold().strip()
    text = _KOPERASI_WORDS.sub("", text)
    return re.sub(r"[^0-9a-z]+", "", text)


def _merged(
    stored: Mapping[str, pd.DataFrame],
    uploaded: Mapping[str, pd.DataFrame],
    name: str,
    keep: Callable[[pd.DataFrame], pd.Series] | None = None,
) -> pd.DataFrame:
    parts = [f for f in (uploaded.get(name), stored.get(name)) if f is not None and not f.empty]
    if not parts:
        return stored[name].iloc[0:0] if name in stored else pd.DataFrame()
    key = get_dataset(name).key
    keyed = all(k in f.columns for f in parts for k in key)
    if keep is not None and keyed and len(key) == 1:
        # Only the rows `keep` wants, and every row sharing a key with one (the first of a key wins).
        wanted = pd.concat([f[key[0]][keep(f).to_numpy()] for f in parts], ignore_index=True).dropna()
        parts = [f[isin(f[key[0]], wanted) | f[key[0]].isna().to_numpy()] for f in parts]
    merged = pd.concat(parts, ignore_index=True)
    merged = merged.drop_duplicates(subset=list(key)) if all(k in merged.columns for k in key) else merged
    return merged[keep(merged).to_numpy()] if keep is not None and not merged.empty else merged


def _among(frame: pd.DataFrame, column: str, values: Collection[str] | None) -> pd.Series:
    """Which rows of `frame` have `column` in `values` (none when the column is missing or `values` is None)."""
    if values is None or column not in frame.columns or not values:
        return pd.Series(False, index=frame.index)
    return pd.Series(isin(frame[column], _texts(values)), index=frame.index)


def candidates(
    dataset: str,
    stored: Mapping[str, pd.DataFrame],
    uploaded: Mapping[str, pd.DataFrame],
    *,
    ids: Collection[str] | None = None,
    places: Collection[str] | None = None,
) -> pd.DataFrame:
    """The rows a `dataset` line may point at: `id`, `kode_kelurahan`, `nama_key` and a `label` naming both.

    With `ids` or `places` given, only the rows whose id is in `ids` or whose kelurahan is in `places`
    (the same rows, in the same order, as the full table filtered so); with neither, every row.
    """
    narrow = ids is not None or places is not None
    build = get_dataset(dataset).found_by == "id_pembangunan"
    cols = {"id_koperasi", "nama_koperasi", "kode_kelurahan"}

    def kop_rows(frame: pd.DataFrame) -> pd.Series:
        return _among(frame, "kode_kelurahan", places) | (False if build else _among(frame, "id_koperasi", ids))

    kop = _merged(stored, uploaded, "koperasi", kop_rows if narrow else None)
    kop = kop[list(cols)] if cols <= set(kop.columns) else pd.DataFrame(columns=list(cols))
    if build:
        in_places = set(kop["id_koperasi"].dropna())

        def build_rows(frame: pd.DataFrame) -> pd.Series:
            return _among(frame, "id_pembangunan", ids) | _among(frame, "id_koperasi", in_places)

        builds = _merged(stored, uploaded, "pembangunan", build_rows if narrow else None)
        if "id_koperasi" not in builds.columns:
            return pd.DataFrame(columns=["id", "kode_kelurahan", "nama_key", "label", "nama"])
        if narrow:  # the cooperatives of the builds found by id, wherever they are
            wanted = set(builds["id_koperasi"].dropna())
            unknown = bool(builds["id_koperasi"].isna().any())  # a merge pairs a missing id with a missing id

            def kop_of_builds(frame: pd.DataFrame) -> pd.Series:
                missing = frame["id_koperasi"].isna() & unknown if "id_koperasi" in frame.columns else False
                return _among(frame, "id_koperasi", wanted) | missing

            kop = _merged(stored, uploaded, "koperasi", kop_of_builds)
            kop = kop[list(cols)] if cols <= set(kop.columns) else pd.DataFrame(columns=list(cols))
        rows = builds[["id_pembangunan", "id_koperasi", *(["objek"] if "objek" in builds.columns else [])]]
        rows = rows.merge(kop, on="id_koperasi", how="left").rename(columns={"id_pembangunan": "id"})
    else:
        rows = kop.rename(columns={"id_koperasi": "id"})
    rows = rows[rows["id"].notna()]
    codes = set(rows["kode_kelurahan"].dropna())
    wilayah = _merged(stored, uploaded, "wilayah", lambda f: _among(f, "kode_kelurahan", codes))
    names = (
        wilayah.set_index("kode_kelurahan")["kelurahan"]
        if {"kode_kelurahan", "kelurahan"} <= set(wilayah.columns)
        else {}
    )
    kel = rows["kode_kelurahan"].map(names).fillna("")  # `names` has one row per code (the wilayah key)
    nama = rows["nama_koperasi"].fillna("").astype("str")
    kode = rows["kode_kelurahan"].fillna("").astype("str")
    label = rows["id"].astype("str") + " (" + nama + ", " + kel.astype("str") + " " + kode + ")"
    return pd.DataFrame(
        {
            "id": rows["id"].astype("str").to_numpy(),
            "kode_kelurahan": rows["kode_kelurahan"].to_numpy(),
            "nama_key": nama.map(koperasi_key).to_numpy(),
            "label": label.to_numpy(),
            "nama": nama.to_numpy(),
        }
    )


def identify_rows(
    sheets: Sequence[SheetData],
    stored: Mapping[str, pd.DataFrame],
    uploaded: Mapping[str, pd.DataFrame],
    kelurahan_names: Mapping[str, str],
) -> list[ValidationIssue]:
    """Fill each sheet's missing ids from the names its rows give; the issues are the rows that cannot be."""
    issues: list[ValidationIssue] = []
    for s in sheets:
        d = get_dataset(s.dataset)
        if d.found_by is None or d.nasional:
            continue  # national exports are placed by region names (kkmp.nasional)
        own = d.name == "koperasi"  # its name and kelurahan are data, read only to find a missing id
        names = s.frame if own else s.lookups
        if names.empty and (own or s.lookups.empty):
            continue
        wanted = _wanted(_lookup_rows(s, names), own)
        ids, places = wanted if wanted is not None else (None, None)
        table = candidates(d.name, stored, uploaded, ids=ids, places=places)
        issues.extend(_identify_sheet(s, table, names, own, kelurahan_names))
    return issues


def _lookup_rows(s: SheetData, names: pd.DataFrame) -> pd.DataFrame:
    """Per row of the sheet: the id it gives and the kelurahan code, kelurahan and cooperative name."""
    column = get_dataset(s.dataset).found_by
    given = s.frame[column] if column in s.frame.columns else pd.Series(pd.NA, index=s.frame.index, dtype="str")
    kode = names["kode_kelurahan"] if "kode_kelurahan" in names.columns else pd.Series(pd.NA, index=s.frame.index)
    nama_kel = names["kelurahan"] if "kelurahan" in names.columns else pd.Series(pd.NA, index=s.frame.index)
    nama = names["nama_koperasi"] if "nama_koperasi" in names.columns else pd.Series(pd.NA, index=s.frame.index)
    return pd.DataFrame({"id": given, "kode": kode, "kel": nama_kel, "nama": nama}, index=s.frame.index)


def _wanted(rows: pd.DataFrame, own: bool) -> tuple[set[str], set[str]] | None:
    """The ids and kelurahan `_identify_sheet` will look up; None when a name alone must be searched for."""
    ids: set[str] = set()
    places: set[str] = set()
    for combo in rows.astype("object").where(rows.notna(), None).drop_duplicates().itertuples(index=False):
        given_id, k_code, k_name, name = (None if pd.isna(v) else v for v in combo)
        if not own and k_code and k_name and k_code != k_name:
            continue
        place = k_code or k_name
        if given_id is not None:
            if not own:
                ids.add(given_id)
        elif place is not None:
            places.add(place)
        elif name:
            return None
    return ids, places


def _identify_sheet(
    s: SheetData, table: pd.DataFrame, names: pd.DataFrame, own: bool, kelurahan_names: Mapping[str, str]
) -> list[ValidationIssue]:
    d = get_dataset(s.dataset)
    column = d.found_by
    issues: list[ValidationIssue] = []

    def issue(code: str, row: int, col: str, value: object, **params: object) -> None:
        header = ", ".join(s.headers.get(c, c) for c in col.split(","))
        issues.append(ValidationIssue(d.name, code, int(row), header, value, params, sheet=s.sheet))

    def kel(code: object) -> str:
        return f"{kelurahan_names.get(code, '')} ({code})"

    rows = _lookup_rows(s, names)
    by_id = table.drop_duplicates("id").set_index("id")
    filled = rows["id"].astype("object").copy()
    for combo, group in (
        rows.astype("object").where(rows.notna(), None).groupby(["id", "kode", "kel", "nama"], dropna=False, sort=False)
    ):
        given_id, k_code, k_name, name = (None if pd.isna(v) else v for v in combo)
        if not own and k_code and k_name and k_code != k_name:
            for row in group.index:
                issue(
                    "kelurahan_tidak_cocok",
                    row,
                    "kode_kelurahan,kelurahan",
                    f"{k_code} / {kelurahan_names.get(k_name, k_name)}",
                    kode=kel(k_code),
                    nama=kel(k_name),
                )
            continue
        place = k_code or k_name
        key = koperasi_key(name) if name else None
        if given_id is not None:
            if own or given_id not in by_id.index:
                continue
            found = by_id.loc[given_id]
            wrong_place = place and found["kode_kelurahan"] != place
            wrong_name = key and found["nama_key"] != key
            if wrong_place or wrong_name:
                for row in group.index:
                    issue(
                        "baris_tidak_cocok",
                        row,
                        column,
                        given_id,
                        milik=found["label"],
                        tertulis=", ".join(x for x in (name, kel(place) if place else None) if x),
                    )
            continue
        if place is None and key is None:
            continue
        hits = table
        if place is not None:
            hits = hits[hits["kode_kelurahan"] == place]
        if key is not None:
            hits = hits[hits["nama_key"] == key]
        written = ", ".join(x for x in (name, kel(place) if place else None) if x)
        where = "kode_kelurahan" if k_code or (own and place) else ("kelurahan" if k_name else "nama_koperasi")
        if len(hits) == 1:
            filled.loc[group.index] = hits["id"].iloc[0]
            if own and name:  # the name found the row; it does not rename it
                s.frame.loc[group.index, "nama_koperasi"] = hits["nama"].iloc[0]
        elif len(hits) > 1:
            for row in group.index:
                issue(
                    f"{column}_ganda",
                    row,
                    where,
                    written,
                    n=len(hits),
                    calon="; ".join(hits["label"].head(5)),
                    kolom=column,
                )
        elif not own:
            for row in group.index:
                issue(f"{column}_tidak_ditemukan", row, where, written, kolom=column)
    if column in s.frame.columns or not own or filled.notna().any():
        s.frame[column] = pd.Series(filled, index=s.frame.index).astype("str")
        s.frame = s.frame[[c for c in d.column_names if c in s.frame.columns]]
    return issues


def similar_ids(
    sheets: Sequence[SheetData], stored: Mapping[str, pd.DataFrame], uploaded: Mapping[str, pd.DataFrame]
) -> list[ValidationIssue]:
    """Ids that are not stored but look exactly like one that is: an error naming the existing id."""
    issues: list[ValidationIssue] = []
    for s in sheets:
        d = get_dataset(s.dataset)
        checks = dict(d.references)
        if d.found_by and d.found_by in d.key and d.found_by not in checks:
            checks[d.found_by] = d.name
        for column, target in checks.items():
            target_key = get_dataset(target).key[0]
            if column not in s.frame.columns or target not in stored or target_key not in stored[target].columns:
                continue
            ids = stored[target][target_key].dropna().astype("str")
            values = s.frame[column].dropna().astype("str")
            unknown = values[~isin(values, ids)]
            if target != d.name and target in uploaded and target_key in uploaded[target].columns:
                unknown = unknown[~isin(unknown, uploaded[target][target_key].dropna().astype("str"))]
            if unknown.empty:
                continue
            wanted = {value: id_skeleton(value) for value in unknown.unique()}
            alike = ids[isin(id_skeletons(ids), _texts(set(wanted.values())))]
            skeletons = {id_skeleton(k): k for k in sorted(set(alike))}
            for row, value in unknown.items():
                existing = skeletons.get(wanted[value])
                if existing is not None:
                    issues.append(
                        ValidationIssue(
                            d.name,
                            "id_mirip",
                            int(row),
                            s.headers.get(column, column),
                            value.encode("unicode_escape").decode("ascii") if not value.isascii() else value,
                            {"ada": existing},
                            sheet=s.sheet,
                        )
                    )
    return issues


#: What `id_skeleton` does to a text of ASCII characters only (NFKC and casefold are then plain lowercase).
_ASCII_SPACE = "[\t\n\x0b\x0c\r\x1c-\x1f ]+"
_ASCII_CONFUSABLES = (("o", "0"), ("i", "1"), ("l", "1"))


def id_skeletons(ids: pd.Series) -> pd.Series:
    """`id_skeleton` of each of a series of ids (texts), computed column-wise where the ids are ASCII."""
    texts = ids.astype("str")
    array = pa.array(texts.to_numpy(dtype="object"), type=pa.large_string(), from_pandas=True)
    ascii_ = pc.fill_null(pc.string_is_ascii(array), False)
    out = pc.replace_substring_regex(pc.ascii_lower(array), _ASCII_SPACE, "")
    for old, new in _ASCII_CONFUSABLES:
        out = pc.replace_substring(out, old, new)
    result = pd.Series(out.to_pylist(), index=ids.index, dtype="object")
    others = ~np.asarray(ascii_, dtype=bool)
    if others.any():
        result[others] = [id_skeleton(v) for v in texts[others]]
    return result.astype("str")


def _texts(values: Iterable[object]) -> pd.Series:
    return values if isinstance(values, pd.Series) else pd.Series(sorted(values), dtype="str")
