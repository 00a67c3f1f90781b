"""The one gate in front of every write: who writes, and which areas (wilayah) they may change.

An `Editor` is a signed-in person (or the CLI's administrator) with the Kemendagri code prefixes of
the areas they may change (`wilayah`; empty = every area). `authorize_write` is called by every
write path (upload, quick entry, boundary file, rollback, the CLI) before anything is written: it
raises `AccessDenied` when nobody is signed in, or when any row the write would add, change or
remove lies outside the editor's areas. The write is then refused as a whole.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass

import pandas as pd

from kkmp.diff import DatasetDiff
from kkmp.i18n import t
from kkmp.schema import get_dataset
from kkmp.store import Store
from kkmp.wilayah import LEVELS, WilayahFilter, covering_filter

KODE = "kode_kelurahan"
#: rows named in an `AccessDenied` message; the rest are counted
MAX_NAMED_ROWS = 10


@dataclass(frozen=True)
class Editor:
    """Who writes (`name`, recorded on the revision) and the code prefixes they may change (empty: all)."""

    name: str
    wilayah: tuple[str, ...] = ()

    @property
    def is_limited(self) -> bool:
        """True when the editor may change only some areas."""
        return bool(self.wilayah)

    def covers(self, kode: object) -> bool:
        """True when the kelurahan code `kode` lies in one of the editor's areas."""
        return editor_may_touch(self, [kode])


class AccessDenied(PermissionError):
    """A write refused by the gate: `code` is `perlu_masuk` (nobody signed in) or `di_luar_wilayah`."""

    def __init__(self, code: str, *, editor: Editor | None = None, rows: Iterable[str] = ()) -> None:
        self.code = code
        self.editor = editor
        self.rows = tuple(rows)
        super().__init__(f"{code}: {', '.join(self.rows[:MAX_NAMED_ROWS])}")

    def message(self, lang: str = "id") -> str:
        """What was refused and what to do next, in the user's language."""
        named = ", ".join(self.rows[:MAX_NAMED_ROWS])
        more = len(self.rows) - MAX_NAMED_ROWS
        if more > 0:
            named += " " + t("akses.dan_lainnya", lang, n=more)
        wilayah = ", ".join(self.editor.wilayah) if self.editor else ""
        return t(f"akses.{self.code}", lang, baris=named, wilayah=wilayah, n=len(self.rows))


def _in_prefixes(codes: pd.Series, prefixes: tuple[str, ...]) -> pd.Series:
    """Per code: True when it equals a prefix or continues it after a dot ("64.71.01" covers "64.71.01.1001")."""
    text = codes.astype("string").str.strip()
    inside = pd.Series(False, index=codes.index)
    for p in prefixes:
        p = p.strip().rstrip(".")
        inside |= (text == p).fillna(False) | text.str.startswith(p + ".").fillna(False)
    return inside.astype(bool)


def editor_may_touch(editor: Editor | None, kelurahan_codes: Iterable[object]) -> bool:
    """True when `editor` may change rows of every kelurahan in `kelurahan_codes` (False without an editor)."""
    if editor is None:
        return False
    if not editor.is_limited:
        return True
    codes = pd.Series(list(kelurahan_codes), dtype="object")
    return bool(_in_prefixes(codes, editor.wilayah).all())


def editor_wilayah(editor: Editor | None, wilayah: pd.DataFrame) -> pd.DataFrame:
    """The `wilayah` rows (one per kelurahan) in the editor's areas: every row for an unlimited editor or nobody."""
    if editor is None or not editor.is_limited:
        return wilayah
    return wilayah[_in_prefixes(wilayah[KODE], editor.wilayah).to_numpy()]


def editor_filter(editor: Editor | None, wilayah: pd.DataFrame) -> WilayahFilter:
    """The sidebar's area choice that shows the editor's areas (all for an unlimited editor or nobody)."""
    rows = editor_wilayah(editor, wilayah)
    return WilayahFilter() if rows.empty else covering_filter(wilayah, rows)


def editor_area_names(editor: Editor, wilayah: pd.DataFrame) -> list[str]:
    """Each of the editor's areas as "Balikpapan Timur (64.71.01)" (the bare code when no kelurahan has it)."""
    out = []
    for prefix in editor.wilayah:
        rows = wilayah[_in_prefixes(wilayah[KODE], (prefix,)).to_numpy()]
        level = LEVELS[min(prefix.strip().rstrip(".").count("."), len(LEVELS) - 1)]
        names = rows[level].dropna().unique() if level in rows.columns else []
        out.append(f"{names[0]} ({prefix})" if len(names) == 1 else prefix)
    return out


def template_area(
    editor: Editor | None, wilayah: pd.DataFrame, selected: tuple[str, ...] | None
) -> tuple[str, ...] | None:
    """Kelurahan codes a template is filled with: the sidebar's `selected` (None = all) narrowed to a limited
    editor's areas, or all of their areas when the sidebar shows none of them."""
    if editor is None or not editor.is_limited:
        return selected
    own = tuple(editor_wilayah(editor, wilayah)[KODE].astype(str))
    if selected is None:
        return own
    chosen = set(selected)
    return tuple(c for c in own if c in chosen) or own


def _kode_of(dataset: str, rows: pd.DataFrame, lookup: Mapping[str, pd.DataFrame]) -> pd.Series:
    """The kelurahan code of each row, following the dataset's references down to a `kode_kelurahan`."""
    if KODE in rows.columns:
        return rows[KODE]
    ds = get_dataset(dataset)
    for column, target in ds.references.items():
        parent = lookup.get(target)
        if column not in rows.columns or parent is None:
            continue
        parent_codes = _kode_of(target, parent, lookup)
        by_id = pd.Series(parent_codes.to_numpy(), index=parent[column].astype("string").to_numpy())
        by_id = by_id[~by_id.index.duplicated(keep="last")]
        return pd.Series(rows[column].astype("string").map(by_id).to_numpy(), index=rows.index, dtype="object")
    return pd.Series(None, index=rows.index, dtype="object")


def _row_label(dataset: str, rows: pd.DataFrame) -> pd.Series:
    key = [k for k in get_dataset(dataset).key if k in rows.columns]
    if not key:
        return pd.Series(dataset, index=rows.index)
    text = rows[key].astype("string").fillna("—").agg(" / ".join, axis=1)
    return dataset + " " + text


def rows_outside(
    editor: Editor,
    diffs: Mapping[str, DatasetDiff],
    current: Mapping[str, pd.DataFrame],
    new: Mapping[str, pd.DataFrame] | None = None,
) -> list[str]:
    """Labels ("koperasi KOP-1 (64.71.02.1001)") of rows the write would touch outside the editor's areas.

    A changed row counts with both its new and its stored kelurahan (moving a cooperative out of, or
    into, an area touches both); rows whose area cannot be found count as outside.
    """
    if not editor.is_limited:
        return []
    merged = dict(current)
    for name, frame in (new or {}).items():  # references may point at rows of the same upload
        merged[name] = pd.concat([current[name], frame], ignore_index=True) if name in current else frame
    out: list[str] = []
    for name, diff in diffs.items():
        parts = [f for f in (diff.added, diff.changed, diff.removed) if not f.empty]
        if not parts:
            continue
        rows = pd.concat(parts, ignore_index=True)
        stored = current.get(name)
        key = [k for k in get_dataset(name).key if k in rows.columns]
        if stored is not None and key and not diff.changed.empty:
            old = stored.merge(diff.changed[key].drop_duplicates(), on=key, how="inner")
            rows = pd.concat([rows, old], ignore_index=True)
        kode = _kode_of(name, rows, merged)
        bad = ~_in_prefixes(kode, editor.wilayah)
        if not bad.any():
            continue
        labels = _row_label(name, rows[bad]) + " (" + kode[bad].astype("string").fillna("?") + ")"
        out += list(dict.fromkeys(labels.tolist()))
    return out


def _with_references(names: Iterable[str]) -> list[str]:
    """The datasets `names` plus every dataset their references lead to (to find each row's kelurahan)."""
    out: list[str] = []
    todo = list(names)
    while todo:
        name = todo.pop()
        if name not in out:
            out.append(name)
            todo += list(get_dataset(name).references.values())
    return out


def authorize_write(
    editor: Editor | None,
    store: Store | None = None,
    changes: Mapping[str, pd.DataFrame] | None = None,
    *,
    replace: bool = False,
    diffs: Mapping[str, DatasetDiff] | None = None,
) -> Editor:
    """The gate every write passes: the editor when they may write `changes` to `store`; else `AccessDenied`.

    Nobody signed in (`editor` None) is refused. A limited editor is refused when any row the write
    would add, change or remove (`diffs`, else `store.preview(changes)`) lies outside their areas.
    """
    if editor is None or not str(editor.name).strip():
        raise AccessDenied("perlu_masuk")
    if not editor.is_limited or store is None or not (changes or diffs):
        return editor
    if diffs is None:
        diffs = store.preview(dict(changes or {}), replace=replace)
    touched = [n for n, d in diffs.items() if not d.is_empty]
    current = {n: store.read(n) for n in _with_references(touched)}
    outside = rows_outside(editor, {n: diffs[n] for n in touched}, current, changes)
    if outside:
        raise AccessDenied("di_luar_wilayah", editor=editor, rows=outside)
    return editor
