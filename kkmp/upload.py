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

from kkmp.access import AccessDenied, Editor, authorize_write
from kkmp.batas import DATASET as BOUNDARY_DATASET
from kkmp.batas import BoundaryFileError, load_boundary_file
from kkmp.diff import MISSING_TEXT, DatasetDiff, key_text
from kkmp.frames import isin, rows_where
from kkmp.i18n import t
from kkmp.identify import identify_rows, similar_ids
from kkmp.ingest import (
    IngestResult,
    Limits,
    SheetData,
    UnreadableFileError,
    match_header_row,
    read_table,
    read_upload,
    records_frame,
)
from kkmp.plausibility import check_plausible, today_wita
from kkmp.schema import DATASETS, Dataset, get_dataset
from kkmp.store import CommitInfo, CommitResult, Snapshot, Store
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
    #: Per dataset, the "posisi per" its own rows give (None: the file does not date it).
    posisi_per: dict[str, dt.date | None] = field(default_factory=dict)
    today: dt.date | None = None

    @property
    def accepted(self) -> bool:
        """True when there is no error: the upload may be committed."""
        return self.report.ok

    @property
    def needs_confirmation(self) -> bool:
        """True when odd values must be confirmed before the plan may be committed."""
        return bool(self.report.to_confirm)

    @property
    def undated(self) -> list[str]:
        """Datasets that would change and whose rows give no date: a "posisi per" must be asked for."""
        return [
            n for n in self.frames if self.posisi_per.get(n) is None and n in self.diffs and not self.diffs[n].is_empty
        ]

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
            "warnings": self.report.grouped_warnings(lang),
            "needs_confirmation": self.needs_confirmation,
            "posisi_per": {n: (d.isoformat() if d else None) for n, d in self.posisi_per.items()},
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
        # Asked only when a column is missing: are all the sheet's rows stored ones (an update of some columns)?
        all_known = (
            not replace
            and any(i.code == "kolom_hilang" for i in found.issues)
            and not s.frame.empty
            and all(k in s.frame.columns for k in dataset.key)
            and rows_all_stored(dataset, s.frame, stored.get(s.dataset))
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


def rows_all_stored(dataset: Dataset, frame: pd.DataFrame, stored: pd.DataFrame | None) -> bool:
    """True when every row of `frame` has the key of a row of `stored` (compared as `key_text`)."""
    if stored is None:
        return False
    return set(key_text(dataset, frame)) <= set(key_text(dataset, _same_first_key(dataset, stored, frame)))


def _same_first_key(dataset: Dataset, stored: pd.DataFrame, frame: pd.DataFrame) -> pd.DataFrame:
    """The stored rows whose key text may equal that of a row of `frame`: for a text first key column, those
    whose value is among the frame's (or is missing, or the missing marker); otherwise all of them."""
    first = dataset.key[0]
    values, known = stored[first], frame[first]
    if values.dtype != "str" or known.dtype != "str":
        return stored  # dates and floats share a key text without being equal
    keep = isin(values, known) | values.isna().to_numpy() | (values == MISSING_TEXT).to_numpy(dtype=bool)
    return rows_where(stored, keep)


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


def _stacked(sheets: Sequence[SheetData]) -> dict[str, pd.DataFrame]:
    out: dict[str, pd.DataFrame] = {}
    for s in sheets:
        out[s.dataset] = pd.concat([out[s.dataset], s.frame]) if s.dataset in out else s.frame
    return out


#: Issues that repeat, on the same row, what finding the row already said (the id is empty or unknown).
_FOLLOW_ON = {"wajib_diisi", "referensi_tidak_ada"}


def plan_from(
    result: IngestResult,
    snapshot: Snapshot,
    store: Store,
    *,
    files: list[tuple[str, str]],
    replace: bool = False,
    jenis: str = "impor",
    today: dt.date | None = None,
) -> UploadPlan:
    """Check what was read against the snapshot it was read against and, when it is clean, preview it."""
    today = today or today_wita()
    stored = snapshot.frames
    report = ValidationReport(list(result.report.issues))
    wilayah = _merged_wilayah(stored, _stacked(result.sheets), _places(result.sheets))
    names = dict(zip(wilayah["kode_kelurahan"].tolist(), wilayah["kelurahan"].tolist(), strict=True))
    found = identify_rows(result.sheets, stored, _stacked(result.sheets), names)
    found += similar_ids(result.sheets, stored, _stacked(result.sheets))
    report.issues.extend(found)
    flagged = {(i.sheet, i.row) for i in found}
    checked = check_sheets(result.sheets, stored, replace=replace)
    report.issues.extend(i for i in checked.issues if not (i.code in _FOLLOW_ON and (i.sheet, i.row) in flagged))
    frames = result.frames()
    report.issues.extend(check_plausible(result.sheets, stored, frames, today))
    diffs = store.preview(frames, replace=replace) if report.ok and frames else {}
    counts = {s.dataset: 0 for s in result.sheets}
    for s in result.sheets:
        counts[s.dataset] += len(s.frame)
    posisi = {name: posisi_per_from_rows(name, frame, today) for name, frame in frames.items()}
    return UploadPlan(
        files, result.sheets, report, frames, diffs, snapshot.revision, replace, jenis, counts, posisi, today
    )


def _places(sheets: Sequence[SheetData]) -> pd.Series:
    """Every kelurahan code or name the sheets' rows give (the only ones `identify_rows` names)."""
    parts = [
        f[c].dropna().astype("str")
        for s in sheets
        for f in (s.frame, s.lookups)
        for c in ("kode_kelurahan", "kelurahan")
        if c in f.columns
    ]
    return pd.concat(parts, ignore_index=True) if parts else pd.Series(dtype="str")


def _merged_wilayah(
    stored: Mapping[str, pd.DataFrame], uploaded: Mapping[str, pd.DataFrame], places: pd.Series | None = None
) -> pd.DataFrame:
    """Kelurahan code and name, uploaded before stored, once per code; only codes among `places` when given."""
    parts = [f for f in (uploaded.get("wilayah"), stored.get("wilayah")) if f is not None and not f.empty]
    parts = [f[["kode_kelurahan", "kelurahan"]] for f in parts if {"kode_kelurahan", "kelurahan"} <= set(f.columns)]
    if places is not None:
        parts = [rows_where(f, isin(f["kode_kelurahan"].astype("str"), places)) for f in parts]
    if not parts:
        return pd.DataFrame({"kode_kelurahan": pd.Series(dtype="str"), "kelurahan": pd.Series(dtype="str")})
    return pd.concat(parts, ignore_index=True).dropna().drop_duplicates("kode_kelurahan")


def posisi_per_from_rows(dataset: str, frame: pd.DataFrame, today: dt.date) -> dt.date | None:
    """The date a file's rows are "as of": the latest report (progres), the latest RAT or, failing that,
    schedule date (rat), the end of the latest month, at most today (penyaluran); None when undated."""

    def latest(column: str) -> dt.date | None:
        if column not in frame.columns or frame[column].isna().all():
            return None
        return pd.Timestamp(frame[column].max()).date()

    if dataset == "progres":
        return latest("tanggal_laporan")
    if dataset == "rat":
        return latest("tanggal_rat") or latest("jadwal_rat")
    if dataset == "penyaluran":
        month = latest("bulan")
        if month is None:
            return None
        end = (pd.Timestamp(month) + pd.offsets.MonthEnd(0)).date()
        return min(end, today)
    return None


class BoundaryUnreadableError(UnreadableFileError):
    """A `.geojson` upload that cannot be read as boundaries (the reason is the `BoundaryFileError`)."""

    def __init__(self, file: str, cause: BoundaryFileError) -> None:
        super().__init__(cause.code, file)
        self.cause = cause

    def message(self, lang: str = "id") -> str:
        """What is wrong with the boundary file and what to do, in the user's language."""
        return f"{self.file}: {self.cause.message(lang)}"


BOUNDARY_SUFFIXES = (".geojson", ".json")


def is_boundary_file(name: str) -> bool:
    """True for a file read as kelurahan boundaries (GeoJSON) rather than as a table."""
    return name.lower().endswith(BOUNDARY_SUFFIXES)


def boundary_sheet(name: str, data: bytes, wilayah: pd.DataFrame) -> tuple[SheetData, ValidationReport]:
    """A GeoJSON file matched to the region list (`kkmp.batas`) as a `batas_wilayah` sheet and its issues."""
    try:
        match = load_boundary_file(data, wilayah)
    except BoundaryFileError as exc:
        raise BoundaryUnreadableError(name, exc) from None
    report = ValidationReport()
    for issue in match.issues:
        report.issues.append(
            ValidationIssue(
                BOUNDARY_DATASET,
                f"batas.masalah.{issue.code}",
                issue.feature,
                None,
                issue.nama or issue.kode,
                {"kode": issue.kode or "—", "nama": issue.nama or "—", **issue.params},
                severity="warning",
                sheet=name,
            )
        )
    if not match.missing.empty:
        shown = ", ".join(match.missing["kelurahan"].head(5))
        report.issues.append(
            ValidationIssue(
                BOUNDARY_DATASET, "batas_kurang", None, None, shown, {"n": len(match.missing)}, "warning", name
            )
        )
    if not match.ok:
        report.issues.append(ValidationIssue(BOUNDARY_DATASET, "batas.galat.tidak_ada_yang_cocok", sheet=name))
    frame = match.frame.set_axis(pd.RangeIndex(1, len(match.frame) + 1))
    return SheetData(name, name, BOUNDARY_DATASET, frame, {}), report


def prepare_upload(
    files: Iterable[tuple[str, bytes]],
    store: Store,
    *,
    snapshot: Snapshot | None = None,
    replace: bool = False,
    limits: Limits | None = None,
    today: dt.date | None = None,
) -> UploadPlan:
    """Read `files` (name, bytes), check them against `snapshot` (the caller's; else the store's latest,
    read once), and preview; raises `UnreadableFileError`. `today` fixes the clock for the date rules."""
    files = list(files)
    snapshot = snapshot if snapshot is not None else store.snapshot()
    wilayah = snapshot.frames.get("wilayah") if snapshot.revision else None
    tables = [(n, b) for n, b in files if not is_boundary_file(n)]
    result = read_upload(tables, wilayah, limits or Limits()) if tables else IngestResult([], ValidationReport())
    jenis = "impor"
    for name, data in files:
        if is_boundary_file(name):
            if len(data) > (limits or Limits()).max_bytes:
                raise UnreadableFileError("terlalu_besar", name, ukuran=f"{len(data) / 2**20:.1f} MB", batas="")
            sheet, found = boundary_sheet(name, data, wilayah if wilayah is not None else snapshot.frames["wilayah"])
            result.sheets.append(sheet)
            result.report.extend(found)
            jenis = "batas" if not tables else jenis
    hashes = [(n, sha256_hex(b)) for n, b in files]
    return plan_from(result, snapshot, store, files=hashes, replace=replace, jenis=jenis, today=today)


def prepare_records(
    dataset: str,
    records: Sequence[Mapping[str, object]],
    store: Store,
    *,
    snapshot: Snapshot | None = None,
    today: dt.date | None = None,
) -> UploadPlan:
    """Form entries (column → value as typed) checked and previewed through the upload's path."""
    ds = get_dataset(dataset)
    sheet = records_frame(ds, records)
    report = ValidationReport()
    match = match_header_row(ds, sheet.rows[0][1])
    match.header_row = 1
    snapshot = snapshot if snapshot is not None else store.snapshot()
    wilayah = snapshot.frames["wilayah"]
    pairs = list(zip(wilayah["kode_kelurahan"].astype("str"), wilayah["kelurahan"].astype("str"), strict=True))
    data = read_table(sheet, match, pairs, report)
    return plan_from(IngestResult([data], report), snapshot, store, files=[], jenis="isian", today=today)


class UnconfirmedWarningsError(RuntimeError):
    """The plan holds odd values (falling progress, a leap, members halved) the editor has not confirmed."""


class MissingPosisiPerError(ValueError):
    """A dataset of the upload has no dates of its own and no "posisi per" was given for it."""

    def __init__(self, datasets: Sequence[str]) -> None:
        super().__init__(", ".join(datasets))
        self.datasets = list(datasets)


def posisi_per_dates(plan: UploadPlan, given: dt.date | None) -> dict[str, tuple[dt.date | None, str]]:
    """Per dataset of the upload: its "posisi per" and where it came from ("berkas": the file's own
    dates; "diberikan": the date given for an undated file; "kosong": none)."""
    out: dict[str, tuple[dt.date | None, str]] = {}
    for name in plan.frames:
        inferred = plan.posisi_per.get(name)
        if inferred is not None:
            out[name] = (inferred, "berkas")
        else:
            out[name] = (given, "diberikan" if given is not None else "kosong")
    return out


def default_sumber(dataset: str, pengguna: str, lang: str = "id") -> str:
    """The source a reader understands, e.g. "Laporan mingguan, diunggah oleh Budi"."""
    return t(f"unggah.sumber_bawaan.{dataset}", lang, nama=pengguna)


def _written(plan: UploadPlan) -> list[str]:
    """The datasets an accepted plan would write: those its preview changes."""
    return [n for n in plan.frames if n in plan.diffs and not plan.diffs[n].is_empty]


def upload_refusal(plan: UploadPlan, store: Store, editor: Editor | None) -> AccessDenied | None:
    """What the write gate (`kkmp.access.authorize_write`) says about saving `plan` as `editor`: None when
    allowed, else the refusal — so the page can say so before offering the save button."""
    names = _written(plan)
    try:
        authorize_write(
            editor,
            store,
            {n: plan.frames[n] for n in names},
            replace=plan.replace,
            diffs={n: plan.diffs[n] for n in names},
        )
    except AccessDenied as refusal:
        return refusal
    return None


def commit_upload(
    plan: UploadPlan,
    store: Store,
    *,
    editor: Editor | None,
    posisi_per: dt.date | None = None,
    sumber: str | None = None,
    catatan: str = "",
    confirmed: bool = False,
    lang: str = "id",
) -> CommitResult:
    """Write an accepted plan as one revision (nothing when it changes nothing).

    A dataset dated by its own rows takes that "posisi per"; `posisi_per` dates the others. An empty
    `sumber` becomes `default_sumber` per dataset. Raises `ValidationFailed` for a rejected plan,
    `UnconfirmedWarningsError` when it holds odd values and `confirmed` is false,
    `MissingPosisiPerError` when an undated dataset has no date, `AccessDenied` (kkmp.access) when
    `editor` is None or the upload touches rows outside the editor's areas, and `StaleUploadError` when the store
    has changed since the plan was made (prepare it again to see the new preview).
    """
    authorize_write(editor)
    if not plan.accepted:
        raise ValidationFailed(plan.report)
    if plan.needs_confirmation and not confirmed:
        raise UnconfirmedWarningsError(f"{len(plan.report.to_confirm)} peringatan belum dikonfirmasi")
    if store.latest_revision() != plan.base_revision:
        raise StaleUploadError(f"revisi {store.latest_revision()} != {plan.base_revision}")
    # Only datasets the upload changes get a new "posisi per" and source; the others keep theirs.
    names = _written(plan)
    dates = posisi_per_dates(plan, posisi_per)
    undated = [n for n in names if dates[n][0] is None and n != BOUNDARY_DATASET]
    if undated:
        raise MissingPosisiPerError(undated)
    refusal = upload_refusal(plan, store, editor)
    if refusal is not None:
        raise refusal
    pengguna = editor.name
    info = CommitInfo(
        pengguna=pengguna,
        catatan=catatan,
        jenis=plan.jenis,
        nama_file=", ".join(n for n, _ in plan.files) or None,
        sha256=", ".join(h for _, h in plan.files) or None,
        posisi_per={n: dates[n][0] for n in names},
        sumber={n: (sumber or "").strip() or default_sumber(n, pengguna, lang) for n in names},
        contoh=False,
    )
    return store.commit({n: plan.frames[n] for n in names}, info, replace=plan.replace)
