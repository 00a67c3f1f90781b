"""An upload's preview as people read it: rows named by kelurahan and cooperative (codes beside them),
dates as "19 Des 2025", numbers as "76,5", and "—" where a cell is empty (never None, nan or NaT)."""

from __future__ import annotations

from collections.abc import Mapping

import pandas as pd

from kkmp.i18n import format_date, format_number, t
from kkmp.schema import Column, get_dataset

EMPTY = "—"


def _first(frames: list[pd.DataFrame], key: str, value: str) -> pd.Series:
    parts = [f for f in frames if key in f.columns and value in f.columns and not f.empty]
    if not parts:
        return pd.Series(dtype="object")
    merged = pd.concat([p[[key, value]] for p in parts], ignore_index=True).dropna(subset=[key])
    return merged.drop_duplicates(key).set_index(key)[value]


def _frames(stored: Mapping[str, pd.DataFrame], uploaded: Mapping[str, pd.DataFrame], name: str) -> list[pd.DataFrame]:
    return [f for f in (uploaded.get(name), stored.get(name)) if f is not None]


def format_cell(column: Column | None, value: object, lang: str) -> str:
    """One value as text a reader expects: dates long-form short month, decimals with the language's comma."""
    if value is None or value is pd.NA or value is pd.NaT or (isinstance(value, float) and value != value):
        return EMPTY
    kind = column.type if column is not None else ""
    if kind == "date" or isinstance(value, pd.Timestamp):
        return format_date(pd.Timestamp(value).date(), lang, "medium")
    if kind == "bool" or isinstance(value, bool):
        return t("unggah.ya" if bool(value) else "unggah.tidak", lang)
    if kind == "int":
        return format_number(int(value), lang)
    if kind == "float" or isinstance(value, float):
        number = float(value)
        unit = column.unit if column is not None else ""
        decimals = 1 if unit == "%" else (0 if unit == "Rp" or number.is_integer() else 2)
        return format_number(number, lang, decimals)
    text = str(value)
    return text if text.strip() else EMPTY


def _formatted(column: Column | None, series: pd.Series, lang: str) -> pd.Series:
    return pd.Series([format_cell(column, v, lang) for v in series.tolist()], index=series.index, dtype="str")


def row_names(
    dataset: str, frame: pd.DataFrame, stored: Mapping[str, pd.DataFrame], uploaded: Mapping[str, pd.DataFrame]
) -> pd.DataFrame:
    """For each row: its kelurahan and cooperative as "Manggar (64.71.01.1001)", "KKMP Manggar (KKMP-…)"."""
    out = pd.DataFrame(index=frame.index)
    kop_id = None
    if "id_koperasi" in frame.columns:
        kop_id = frame["id_koperasi"]
    elif "id_pembangunan" in frame.columns:
        kop_id = frame["id_pembangunan"].map(
            _first(_frames(stored, uploaded, "pembangunan"), "id_pembangunan", "id_koperasi")
        )
    kode = frame["kode_kelurahan"] if "kode_kelurahan" in frame.columns else None
    if kode is None and kop_id is not None:
        kode = kop_id.map(_first(_frames(stored, uploaded, "koperasi"), "id_koperasi", "kode_kelurahan"))
    if kode is not None and dataset != "wilayah":
        names = kode.map(_first(_frames(stored, uploaded, "wilayah"), "kode_kelurahan", "kelurahan"))
        out["kelurahan"] = _named(names, kode)
    if kop_id is not None:
        names = kop_id.map(_first(_frames(stored, uploaded, "koperasi"), "id_koperasi", "nama_koperasi"))
        out["koperasi"] = _named(names, kop_id)
    return out


def _named(names: pd.Series, codes: pd.Series) -> pd.Series:
    values = [
        EMPTY if pd.isna(c) else (f"{n} ({c})" if isinstance(n, str) and n else str(c))
        for n, c in zip(names.tolist(), codes.tolist(), strict=True)
    ]
    return pd.Series(values, index=codes.index, dtype="str")


def readable_rows(
    dataset: str,
    frame: pd.DataFrame,
    stored: Mapping[str, pd.DataFrame],
    uploaded: Mapping[str, pd.DataFrame],
    lang: str,
) -> pd.DataFrame:
    """New or removed rows as text: the names first, then every column formatted (see `format_cell`)."""
    d = get_dataset(dataset)
    names = row_names(dataset, frame, stored, uploaded)
    if dataset == "koperasi":  # its own name and id are columns already
        names = names.drop(columns=["koperasi"], errors="ignore")
    cols = {c: _formatted(d.column(c), frame[c], lang) for c in frame.columns if c in d.column_names}
    if "geometri" in cols:
        cols.pop("geometri")
    return pd.concat([names, pd.DataFrame(cols, index=frame.index)], axis=1).rename(
        columns={"kelurahan": t("unggah.kolom_kelurahan", lang), "koperasi": t("unggah.kolom_koperasi", lang)}
    )


def readable_cells(
    dataset: str,
    cells: pd.DataFrame,
    stored: Mapping[str, pd.DataFrame],
    uploaded: Mapping[str, pd.DataFrame],
    lang: str,
) -> pd.DataFrame:
    """Changed cells (`kunci`, `kolom`, `lama`, `baru`) as text: the row named, old and new values formatted."""
    d = get_dataset(dataset)
    if cells.empty:
        return pd.DataFrame(columns=["kunci", "kolom", "lama", "baru"])
    parts = cells["kunci"].astype("str").str.split("|", expand=True)
    keys = pd.DataFrame({k: parts[i] for i, k in enumerate(d.key)}, index=cells.index)
    names = row_names(dataset, keys, stored, uploaded)
    named = [names[c].astype("str") for c in ("koperasi", "kelurahan") if c in names.columns]
    label = named[0] if named else keys[d.key[0]].astype("str")
    for more in named[1:]:
        label = label + " · " + more
    for k in d.key[1:]:
        column = d.column(k)
        shown = keys[k].map(lambda v, c=column: format_cell(c, pd.Timestamp(v) if c.type == "date" else v, lang))
        label = label + " · " + shown
    if dataset == "progres":
        label = keys[d.key[0]].astype("str") + " · " + label
    lama = [format_cell(d.column(c), v, lang) for c, v in zip(cells["kolom"], cells["lama"], strict=True)]
    baru = [format_cell(d.column(c), v, lang) for c, v in zip(cells["kolom"], cells["baru"], strict=True)]
    return pd.DataFrame({"kunci": label.to_numpy(), "kolom": cells["kolom"].to_numpy(), "lama": lama, "baru": baru})
