"""An upload from file to revision: read, check against the stored data, preview, commit.

`prepare_upload` reads the files and checks every sheet against its declaration and against
the stored data merged with the upload (a progres row must name a build that exists, in the
store or in the same upload). The resulting `UploadPlan` holds the report and, when accepted,
the preview (`diffs`). `commit_upload` writes an accepted plan as one revision; a rejected
plan writes nothing.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import hashlib
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field

import pandas as pd

from kkmp.diff import DatasetDiff, key_text
from kkmp.ingest import IngestResult, Limits, SheetData, match_header_row, read_table, read_upload, records_frame
from kkmp.schema import DATASETS, get_dataset
from kkmp.store import CommitInfo, CommitResult, Store
from kkmp.validate import ValidationFailed, ValidationIssue, ValidationReport, validate_frame


class StaleUploadError(RuntimeError):
    """The store changed after the preview was made; prepare the upload again."""


@dataclass
class UploadPlan:
    """What an upload holds, what is wrong with it, and what it would change."""

    files: list[tuple[str, str]]
    sheets: list[SheetData]
    report: ValidationReport
    frames: dict[str, pd.DataFrame]
    diffs: dict[str, DatasetDiff]
    base_revision: int
    replace: bool = False
    jenis: str = "impor"
    counts: dict[str, int] = field(default_factory=dict)

    @property
    def accepted(self) -> bool:
        """True when there is no error: the upload may be committed."""
        return self.report.ok

    @property
    def changes_anything(self) -> bool:
        """True when committing would write a revision."""
        return any(not d.is_empty for d in self.diffs.values())

    def summary(self) -> list[dict[str, object]]:
        """Per dataset: rows added, changed, unchanged and removed."""
        return [d.counts() for d in self.diffs.values()]

    def as_dict(self, revision: int | None = None, lang: str = "id") -> dict[str, object]:
        """The `import --json` contract."""
        return {
            "accepted": self.accepted,
            "revision": revision,
            "datasets": self.summary(),
            "errors": [i.as_dict(lang) for i in self.report.errors],
            "warnings": [i.as_dict(lang) for i in self.report.warnings],
        }


def sha256_hex(data: bytes) -> str:
    """The SHA-256 of a file's bytes, in hex."""
    return hashlib.sha256(data).hexdigest()


def merged_references(
    stored: Mapping[str, pd.DataFrame], uploaded: Mapping[str, pd.DataFrame], *, replace: bool
) -> dict[str, pd.DataFrame]:
    """Each dataset's key columns as they would be after the upload (stored rows plus uploaded ones)."""
    out = {}
    for name, dataset in DATASETS.items():
        keys = list(dataset.key)
        parts = []
        if name in uploaded and all(k in uploaded[name].columns for k in keys):
            parts.append(uploaded[name][keys])
        if name in stored and not (replace and name in uploaded):
            parts.append(stored[name][keys])
        out[name] = pd.concat(parts, ignore_index=True) if parts else stored[name][keys].iloc[0:0]
    return out


def check_sheets(
    sheets: Sequence[SheetData], stored: Mapping[str, pd.DataFrame], *, replace: bool = False
) -> ValidationReport:
    """Validate every sheet against its declaration, the stored data and the other sheets."""
    report = ValidationReport()
    uploaded: dict[str, pd.DataFrame] = {}
    for s in sheets:
        uploaded[s.dataset] = pd.concat([uploaded[s.dataset], s.frame]) if s.dataset in uploaded else s.frame
    refs = merged_references(stored, uploaded, replace=replace)
    seen: dict[str, dict[str, str]] = {}
    for s in sheets:
        dataset = get_dataset(s.dataset)
        found = validate_frame(dataset, s.frame, refs, sheet=s.sheet)
        stored_keys = set(key_text(dataset, stored[s.dataset])) if s.dataset in stored else set()
        all_known = (
            not s.frame.empty
            and all(k in s.frame.columns for k in dataset.key)
            and set(key_text(dataset, s.frame)) <= stored_keys
            and not replace
        )
        for issue in found.issues:
            if (issue.row, issue.column) in s.bad_cells:
                continue  # the cell could not be read; that error is already listed
            if issue.code == "kolom_hilang" and all_known:
                continue  # updating some columns of rows that exist: the others keep their values
            report.issues.append(dataclasses.replace(issue, column=_header(s, issue.column)))
        if all(k in s.frame.columns for k in dataset.key) and not s.frame.empty:
            keys = key_text(dataset, s.frame)
            earlier = seen.setdefault(s.dataset, {})
            for row, k in zip(s.frame.index, keys, strict=True):
                if k in earlier and earlier[k] != s.sheet:
                    report.issues.append(
                        ValidationIssue(
                            s.dataset,
                            "kunci_ganda_antar_sheet",
                            int(row),
                            ", ".join(_header(s, c) or c for c in dataset.key),
                            k.replace("|", " / "),
                            {"lain": earlier[k]},
                            sheet=s.sheet,
                        )
                    )
            for k in keys:
                earlier.setdefault(k, s.sheet)
    if replace:
        report.extend(_check_removals(stored, uploaded, refs))
    return report


def _header(sheet: SheetData, column: str | None) -> str | None:
    if column is None:
        return None
    return ", ".join(sheet.headers.get(c, c) for c in column.split(","))


def _check_removals(
    stored: Mapping[str, pd.DataFrame], uploaded: Mapping[str, pd.DataFrame], refs: Mapping[str, pd.DataFrame]
) -> ValidationReport:
    """In replace mode: stored rows of other datasets must not point at rows the upload removes."""
    report = ValidationReport()
    for name, dataset in DATASETS.items():
        if name in uploaded:
            continue
        for column, target in dataset.references.items():
            if target not in uploaded:
                continue
            key = get_dataset(target).key[0]
            known = set(refs[target][key].dropna())
            values = stored[name][column].dropna()
            lost = sorted(set(values[~values.isin(known)]))
            if lost:
                report.issues.append(
                    ValidationIssue(
                        target,
                        "masih_dipakai",
                        column=key,
                        value=", ".join(map(str, lost[:5])),
                        params={"n": len(lost), "dipakai": name},
                        sheet=target,
                    )
                )
    return report


def plan_from(
    result: IngestResult,
    store: Store,
    *,
    files: list[tuple[str, str]],
    replace: bool = False,
    jenis: str = "impor",
) -> UploadPlan:
    """Check what was read against the store and, when it is clean, preview the change."""
    base = store.latest_revision()
    snapshot = store.snapshot(base)
    report = ValidationReport(list(result.report.issues))
    report.extend(check_sheets(result.sheets, snapshot.frames, replace=replace))
    frames = result.frames()
    diffs = store.preview(frames, replace=replace) if report.ok and frames else {}
    counts = {s.dataset: 0 for s in result.sheets}
    for s in result.sheets:
        counts[s.dataset] += len(s.frame)
    return UploadPlan(files, result.sheets, report, frames, diffs, base, replace, jenis, counts)


def prepare_upload(
    files: Iterable[tuple[str, bytes]], store: Store, *, replace: bool = False, limits: Limits | None = None
) -> UploadPlan:
    """Read `files` (name, bytes), check them, and preview; raises `UnreadableFileError`."""
    files = list(files)
    wilayah = store.read("wilayah") if store.latest_revision() else None
    result = read_upload(files, wilayah, limits or Limits())
    return plan_from(result, store, files=[(n, sha256_hex(b)) for n, b in files], replace=replace)


def prepare_records(dataset: str, records: Sequence[Mapping[str, object]], store: Store) -> UploadPlan:
    """Form entries (column → value as typed) checked and previewed through the upload's path."""
    ds = get_dataset(dataset)
    sheet = records_frame(ds, records)
    report = ValidationReport()
    match = match_header_row(ds, sheet.rows[0][1])
    match.header_row = 1
    wilayah = store.read("wilayah")
    pairs = list(zip(wilayah["kode_kelurahan"].astype("str"), wilayah["kelurahan"].astype("str"), strict=True))
    data = read_table(sheet, match, pairs, report)
    return plan_from(IngestResult([data], report), store, files=[], jenis="isian")


def commit_upload(
    plan: UploadPlan,
    store: Store,
    *,
    pengguna: str,
    posisi_per: dt.date | None,
    sumber: str,
    catatan: str = "",
) -> CommitResult:
    """Write an accepted plan as one revision (nothing when it changes nothing).

    Raises `ValidationFailed` for a rejected plan and `StaleUploadError` when the store has
    changed since the plan was made (prepare it again to see the new preview).
    """
    if not plan.accepted:
        raise ValidationFailed(plan.report)
    if store.latest_revision() != plan.base_revision:
        raise StaleUploadError(f"revisi {store.latest_revision()} != {plan.base_revision}")
    # Only datasets the upload changes get a new "posisi per" and source; the others keep theirs.
    names = [n for n in plan.frames if n in plan.diffs and not plan.diffs[n].is_empty]
    info = CommitInfo(
        pengguna=pengguna,
        catatan=catatan,
        jenis=plan.jenis,
        nama_file=", ".join(n for n, _ in plan.files) or None,
        sha256=", ".join(h for _, h in plan.files) or None,
        posisi_per={n: posisi_per for n in names},
        sumber={n: sumber for n in names},
        contoh=False,
    )
    return store.commit({n: plan.frames[n] for n in names}, info, replace=plan.replace)
