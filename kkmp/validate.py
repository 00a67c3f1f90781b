"""Validation of dataset frames against their declarations; returns a report, never prints.

Frames carry the row numbers the user sees (for an Excel sheet, the sheet's row number) as
their index, so every issue points at a row the user can find.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Literal

import pandas as pd

from kkmp.frames import isin
from kkmp.i18n import format_date, format_number, t
from kkmp.schema import Dataset, get_dataset, split_list

#: "error" rejects the upload; "warning" is an automatic correction, listed; "confirm" is an odd value
#: (falling progress, a leap, members halved) saved only after the editor confirms it.
Severity = Literal["error", "warning", "confirm"]
#: How many examples a grouped warning shows.
EXAMPLES = 3


@dataclass(frozen=True)
class ValidationIssue:
    """One problem (error) or automatic correction (warning) found in an upload."""

    dataset: str
    code: str
    row: int | None = None
    column: str | None = None
    value: object = None
    params: Mapping[str, object] = field(default_factory=dict)
    severity: Severity = "error"
    sheet: str | None = None

    def message(self, lang: str = "id") -> str:
        """The issue explained in the user's language, with what to do next."""
        key = self.code if "." in self.code else f"validasi.{self.code}"  # "batas.masalah.…" keeps its own texts
        params = {k: _shown(v, lang) for k, v in self.params.items()}
        return t(key, lang, column=self.column, value=_shown(self.value, lang), **params)

    def as_dict(self, lang: str = "id") -> dict[str, object]:
        """A JSON-friendly form: sheet, row, column, value and message."""
        value = self.value
        if value is not None and not isinstance(value, (str, int, float, bool)):
            value = str(value)
        return {
            "sheet": self.sheet or self.dataset,
            "row": self.row,
            "column": self.column,
            "value": value,
            "message": self.message(lang),
        }


def _shown(value: object, lang: str) -> object:
    """A date or a decimal in a message as the reader writes it ("19 Des 2025", "47,5"); others as they are."""
    if isinstance(value, dt.date):
        return format_date(value, lang, "medium")
    if isinstance(value, float) and value == value:
        return format_number(value, lang, 1)
    return value


@dataclass
class ValidationReport:
    """All issues found; the upload is accepted only when there are no errors."""

    issues: list[ValidationIssue] = field(default_factory=list)

    @property
    def errors(self) -> list[ValidationIssue]:
        """Issues that reject the upload."""
        return [i for i in self.issues if i.severity == "error"]

    @property
    def warnings(self) -> list[ValidationIssue]:
        """Automatic corrections and odd values the user should know about."""
        return [i for i in self.issues if i.severity != "error"]

    @property
    def to_confirm(self) -> list[ValidationIssue]:
        """Odd values that are saved only after the user confirms them."""
        return [i for i in self.issues if i.severity == "confirm"]

    def grouped_warnings(self, lang: str = "id", *, confirm: bool | None = None) -> list[dict[str, object]]:
        """Warnings one entry per kind: `{kind, count, examples}` (the first three, as `as_dict` gives them).

        `confirm` True keeps only those to confirm, False only the automatic corrections."""
        groups: dict[str, list[ValidationIssue]] = {}
        for i in self.warnings:
            if confirm is None or (i.severity == "confirm") == confirm:
                groups.setdefault(i.code, []).append(i)
        return [
            {"kind": code, "count": len(items), "examples": [i.as_dict(lang) for i in items[:EXAMPLES]]}
            for code, items in groups.items()
        ]

    @property
    def ok(self) -> bool:
        """True when there is no error."""
        return not self.errors

    def extend(self, other: ValidationReport) -> None:
        """Add the issues of another report."""
        self.issues.extend(other.issues)

    def to_frame(self, lang: str = "id") -> pd.DataFrame:
        """The issues as a table for display or download."""
        rows = [{"jenis": i.severity, **i.as_dict(lang)} for i in self.issues]
        return pd.DataFrame(rows, columns=["jenis", "sheet", "row", "column", "value", "message"])


class ValidationFailed(Exception):
    """Raised by writers when asked to store data whose report has errors."""

    def __init__(self, report: ValidationReport) -> None:
        super().__init__(f"{len(report.errors)} validation error(s)")
        self.report = report


def _row(index_value: object) -> int | None:
    try:
        return int(index_value)  # type: ignore[arg-type]
    except (TypeError, ValueError):
        return None


def validate_frame(
    dataset: Dataset,
    frame: pd.DataFrame,
    references: Mapping[str, pd.DataFrame] | None = None,
    *,
    require_all_columns: bool = False,
    sheet: str | None = None,
) -> ValidationReport:
    """Check `frame` (canonical dtypes) against the declaration of `dataset`.

    `references` maps a dataset name to its frame, used to check that codes and ids point
    at rows that exist (kelurahan codes in `wilayah`, cooperative ids in `koperasi`, ...).
    """
    report = ValidationReport()

    def add(code: str, row=None, column=None, value=None, **params) -> None:
        report.issues.append(ValidationIssue(dataset.name, code, _row(row), column, value, params, sheet=sheet))

    present = set(frame.columns)
    needed = dataset.column_names if require_all_columns else dataset.required_columns
    missing = [c for c in needed if c not in present]
    for name in missing:
        add("kolom_hilang", column=name)
    if any(k not in present for k in dataset.key):
        return report

    for column in dataset.columns:
        if column.name not in present:
            continue
        series = frame[column.name]
        null = series.isna()
        if column.required:
            for idx in series.index[null]:
                add("wajib_diisi", idx, column.name)
        values = series[~null]
        if values.empty:
            continue
        if column.allowed:
            allowed = set(column.allowed)
            if column.type == "list":
                for idx, cell in values.items():
                    for item in split_list(cell):
                        if item not in allowed:
                            add("nilai_tidak_dikenal", idx, column.name, item, allowed=", ".join(column.allowed))
            else:
                bad = ~values.isin(allowed)
                for idx, value in values[bad].items():
                    add("nilai_tidak_dikenal", idx, column.name, value, allowed=", ".join(column.allowed))
        if column.minimum is not None:
            for idx, value in values[values < column.minimum].items():
                add("terlalu_kecil", idx, column.name, _plain(value), minimum=column.minimum)
        if column.maximum is not None:
            for idx, value in values[values > column.maximum].items():
                add("terlalu_besar", idx, column.name, _plain(value), maximum=column.maximum)
        if column.pattern:
            bad = ~values.astype("str").str.fullmatch(column.pattern)
            for idx, value in values[bad].items():
                add("format_salah", idx, column.name, value)

    keys = frame[list(dataset.key)]
    complete = keys.notna().all(axis=1)
    dup = keys[complete].duplicated(keep=False)
    for idx in keys[complete].index[dup]:
        value = (
            " / ".join(str(_plain(v)) for v in keys.loc[idx].tolist())
            if len(dataset.key) > 1
            else _plain(keys.loc[idx].iloc[0])
        )
        add("kunci_ganda", idx, ",".join(dataset.key), value)

    for column_name, target in dataset.references.items():
        if column_name not in present or not references or target not in references:
            continue
        target_key = get_dataset(target).key[0]
        values = frame[column_name].dropna()
        for idx, value in values[~isin(values, references[target][target_key].dropna())].items():
            add("referensi_tidak_ada", idx, column_name, value, target=target)

    if dataset.name == "pembangunan" and {"tanggal_mulai", "target_selesai"} <= present:
        bad = frame["target_selesai"] < frame["tanggal_mulai"]
        for idx in frame.index[bad.fillna(False)]:
            add("target_sebelum_mulai", idx, "target_selesai", _plain(frame.at[idx, "target_selesai"]))
    return report


def _plain(value: object) -> object:
    if isinstance(value, pd.Timestamp):
        return value.date().isoformat()
    if hasattr(value, "item"):
        return value.item()  # numpy scalar
    return value


def validate_snapshot(frames: Mapping[str, pd.DataFrame]) -> ValidationReport:
    """Validate several datasets together, checking references between them."""
    report = ValidationReport()
    for name, frame in frames.items():
        report.extend(validate_frame(get_dataset(name), frame, frames))
    return report
