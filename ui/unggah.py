"""Widget groups of the upload and history pages: options, report, preview, quick entry, templates."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Mapping
from dataclasses import dataclass

import pandas as pd
import streamlit as st

from kkmp.access import Editor, editor_area_names, template_area
from kkmp.diff import DatasetDiff
from kkmp.i18n import format_date, format_number, t
from kkmp.ingest import Limits, UnreadableFileError
from kkmp.preview import readable_cells, readable_rows
from kkmp.schema import DATASETS, get_dataset
from kkmp.store import CommitResult, Snapshot, Store
from kkmp.template import (
    TEMPLATE_DATASETS,
    build_template_csv,
    build_template_xlsx,
    template_filename,
    template_frames,
)
from kkmp.upload import UploadPlan, default_sumber, prepare_upload, sha256_hex
from kkmp.zona import format_local_time
from ui import state
from ui.components import escape_markdown
from ui.data import get_store, load_snapshot

PREVIEW_ROWS = 200
ERRORS_AS_TEXT = 10
XLSX_MIME = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def upload_options_ui(lang: str) -> bool:
    """Replace mode, as chosen by the user (it changes what the preview shows, so it comes first)."""
    replace = st.toggle(t("unggah.mode_ganti", lang), key=state.UPLOAD_REPLACE, help=t("unggah.mode_ganti_help", lang))
    return bool(replace)


def upload_digest(files: tuple[tuple[str, bytes], ...]) -> str:
    """One fingerprint of the chosen files (names and contents)."""
    return sha256_hex(b"".join(n.encode() + b"\0" + sha256_hex(b).encode() for n, b in files))


@st.cache_data(show_spinner=False, max_entries=4)
def cached_plan(
    url: str,
    identity: str,
    revision: int,
    files: tuple[tuple[str, bytes], ...],
    replace: bool,
    limits: Limits,
    today: dt.date,
) -> UploadPlan | UnreadableFileError:
    """The checked upload and its preview, per store revision, file contents and day (WITA)."""
    try:
        snapshot = load_snapshot(url, identity, revision)
        return prepare_upload(
            list(files), get_store(url), snapshot=snapshot, replace=replace, limits=limits, today=today
        )
    except UnreadableFileError as exc:
        return exc


@dataclass(frozen=True)
class CommitChoice:
    """What the editor confirmed before saving: the date for undated data, the source, the odd values."""

    posisi_per: dt.date | None
    sumber: str | None
    confirmed: bool


_DATE_COLUMN = {"progres": "tanggal_laporan", "rat": "tanggal_rat / jadwal_rat", "penyaluran": "bulan"}


def commit_options_ui(plan: UploadPlan, editor: str, lang: str) -> CommitChoice | None:
    """The inferred "posisi per" to check, a date for undated data, the source, and the confirmation of odd
    values; None while something is still missing (the save button stays disabled)."""
    for name, when in plan.posisi_per.items():
        if when is not None and name in plan.diffs and not plan.diffs[name].is_empty:
            st.info(
                t(
                    "unggah.posisi_dari_berkas",
                    lang,
                    dataset=name,
                    tanggal=format_date(when, lang, "medium"),
                    kolom=_DATE_COLUMN.get(name, ""),
                ),
                icon=":material/event:",
            )
    posisi = None
    undated = plan.undated
    cols = st.columns([1, 2])
    if undated:
        posisi = cols[0].date_input(
            t("unggah.posisi_tanya", lang, dataset=", ".join(undated)),
            value=None,
            key=state.UPLOAD_POSISI_PER,
            format="DD/MM/YYYY",
            max_value=plan.today,
        )
    names = [n for n in plan.diffs if not plan.diffs[n].is_empty]
    sumber = cols[1].text_input(
        t("unggah.sumber", lang),
        key=state.UPLOAD_SUMBER,
        placeholder=default_sumber(names[0], editor, lang) if names else "",
        help=t("unggah.sumber_help", lang),
    )
    confirmed = True
    if plan.needs_confirmation:
        n = len(plan.report.to_confirm)
        confirmed = st.checkbox(t("unggah.konfirmasi", lang, n=n), key=state.UPLOAD_CONFIRM)
    if undated and posisi is None:
        st.caption(t("unggah.posisi_wajib", lang))
        return None
    if not confirmed:
        return None
    return CommitChoice(posisi, (sumber or "").strip() or None, plan.needs_confirmation)


def change_text(result: CommitResult, lang: str) -> str:
    """What a commit changed, per dataset: "progres +3 baru, ~0 diubah, −0 dihapus"."""
    return "; ".join(
        t(
            "unggah.perubahan_dataset",
            lang,
            dataset=name,
            ditambah=len(d.added),
            diubah=len(d.changed),
            dihapus=len(d.removed),
        )
        for name, d in result.diffs.items()
        if not d.is_empty
    )


def report_ui(plan: UploadPlan, lang: str) -> None:
    """Errors (the upload is rejected), odd values to confirm, and automatic corrections grouped by kind."""
    errors = plan.report.errors
    if errors:
        st.error(t("unggah.ditolak", lang, n=len(errors)), icon=":material/block:")
        for issue in errors[:ERRORS_AS_TEXT]:
            where = t(
                "unggah.letak",
                lang,
                sheet=issue.sheet or issue.dataset,
                baris=issue.row or "—",
                kolom=issue.column or "—",
            )
            st.markdown(f"- **{escape_markdown(where)}** — {escape_markdown(issue.message(lang))}")
        table = pd.DataFrame([i.as_dict(lang) for i in errors])
        st.dataframe(_issue_table(table, lang), hide_index=True, key="tabel_galat", width="stretch")
    odd = plan.report.grouped_warnings(lang, confirm=True)
    if odd and not errors:
        st.warning(t("unggah.perlu_konfirmasi", lang, n=len(plan.report.to_confirm)), icon=":material/warning:")
        st.dataframe(_group_table(odd, lang), hide_index=True, key="tabel_janggal", width="stretch")
    corrections = plan.report.grouped_warnings(lang, confirm=False)
    if corrections:
        n = sum(int(g["count"]) for g in corrections)
        with st.expander(t("unggah.koreksi_otomatis", lang, n=n), expanded=not errors, icon=":material/auto_fix_high:"):
            st.dataframe(_group_table(corrections, lang), hide_index=True, key="tabel_peringatan", width="stretch")


def _group_table(groups: list[dict], lang: str) -> pd.DataFrame:
    """One line per kind: the count, the first example's message, and the rows of the examples."""
    rows = []
    for g in groups:
        examples = g["examples"]
        where = ", ".join(
            f"{e['sheet']}: {t('unggah.kolom_row', lang).lower()} {e['row']}"
            if e["row"] is not None
            else str(e["sheet"])
            for e in examples
        )
        more = " …" if g["count"] > len(examples) else ""
        rows.append(
            {
                t("unggah.kolom_jumlah", lang): f"{g['count']} ×",
                t("unggah.kolom_message", lang): examples[0]["message"],
                t("unggah.kolom_contoh", lang): where + more,
            }
        )
    return pd.DataFrame(rows)


def _issue_table(table: pd.DataFrame, lang: str) -> pd.DataFrame:
    table = table.astype({"value": "str"}).replace({"value": {"None": "—", "nan": "—"}})
    table["column"] = table["column"].fillna("—")
    if table["row"].isna().any():  # a sheet-level issue has no row: "—", never "None"
        table["row"] = table["row"].map(lambda r: "—" if pd.isna(r) else str(int(r)))
    names = {c: t(f"unggah.kolom_{c}", lang) for c in ("sheet", "row", "column", "value", "message")}
    return table.rename(columns=names)


def preview_ui(plan: UploadPlan, snapshot: Snapshot, lang: str) -> None:
    """Per dataset: counts, then rows added, cells changed (old → new) and rows removed, named and formatted."""
    for name, diff in plan.diffs.items():
        with st.container(border=True, key=f"pratinjau_{name}"):
            st.markdown(f"**{t('unggah.dataset', lang)}: `{name}`**")
            diff_ui(diff, lang, key=f"pratinjau_{name}", stored=snapshot.frames, uploaded=plan.frames)


def diff_ui(
    diff: DatasetDiff,
    lang: str,
    *,
    key: str,
    stored: Mapping[str, pd.DataFrame] | None = None,
    uploaded: Mapping[str, pd.DataFrame] | None = None,
) -> None:
    """One dataset's change: four counts and the detail tables (rows named by `stored`/`uploaded` data)."""
    stored, uploaded = stored or {}, uploaded or {}
    cols = st.columns(4)
    cols[0].metric(t("unggah.ditambah", lang), format_number(len(diff.added), lang))
    cols[1].metric(t("unggah.diubah", lang), format_number(len(diff.changed), lang))
    cols[2].metric(t("unggah.tetap", lang), format_number(diff.unchanged, lang))
    cols[3].metric(t("unggah.dihapus", lang), format_number(len(diff.removed), lang))
    if not diff.cells.empty:
        st.caption(t("unggah.sel_berubah", lang))
        cells = readable_cells(diff.dataset, diff.cells.head(PREVIEW_ROWS), stored, uploaded, lang)
        cells = cells.rename(columns={c: t(f"unggah.kolom_{c}", lang) for c in cells.columns})
        st.dataframe(cells, hide_index=True, key=f"{key}_sel", width="stretch")
    if not diff.added.empty:
        st.caption(t("unggah.baris_baru", lang))
        rows = readable_rows(diff.dataset, diff.added.head(PREVIEW_ROWS), stored, uploaded, lang)
        st.dataframe(rows, hide_index=True, key=f"{key}_baru", width="stretch")
    if not diff.removed.empty:
        st.caption(t("unggah.baris_dihapus", lang))
        rows = readable_rows(diff.dataset, diff.removed.head(PREVIEW_ROWS), stored, uploaded, lang)
        st.dataframe(rows, hide_index=True, key=f"{key}_hapus", width="stretch")


@st.cache_data(show_spinner=False, max_entries=4)
def cached_template(url: str, identity: str, revision: int, area: tuple[str, ...] | None, max_rows: int) -> bytes:
    """The XLSX template pre-filled with the data of `area` (kelurahan codes; None = all) as of `revision`."""
    return build_template_xlsx(template_frames(load_snapshot(url, identity, revision), area, max_rows))


def template_ui(
    store: Store,
    snapshot: Snapshot,
    lang: str,
    selected: tuple[str, ...] | None,
    max_rows: int,
    editor: Editor | None = None,
) -> None:
    """Download buttons (built only when clicked): the XLSX template of every dataset, one dataset as CSV.

    Both are pre-filled with the data of the area chosen in the sidebar (`selected`: kelurahan codes),
    narrowed to a limited editor's areas (`kkmp.access.template_area`)."""
    today = dt.date.today()
    area = template_area(editor, snapshot["wilayah"], selected)
    st.markdown(t("unggah.templat_penjelasan", lang))
    if editor is not None and editor.is_limited:
        names = ", ".join(editor_area_names(editor, snapshot["wilayah"]))
        st.caption(t("akses.templat_wilayah", lang, wilayah=escape_markdown(names)))
    st.download_button(
        t("unggah.unduh_xlsx", lang),
        data=lambda: cached_template(store.url, snapshot.identity, snapshot.revision, area, max_rows),
        file_name=template_filename(today),
        mime=XLSX_MIME,
        key=state.TEMPLATE_XLSX,
        icon=":material/download:",
        type="primary",
    )
    cols = st.columns([2, 1], vertical_alignment="bottom")
    name = cols[0].selectbox(t("unggah.dataset_csv", lang), list(TEMPLATE_DATASETS), key=state.TEMPLATE_DATASET)
    cols[1].download_button(
        t("unggah.unduh_csv", lang),
        data=lambda: build_template_csv(get_dataset(name), template_frames(snapshot, area, max_rows)[name]),
        file_name=template_filename(today, name),
        mime="text/csv",
        key=state.TEMPLATE_CSV,
        icon=":material/download:",
    )
    with st.expander(t("unggah.judul_kolom", lang), icon=":material/table_chart:"):
        st.dataframe(header_table(lang), hide_index=True, key="tabel_judul_kolom", width="stretch")


def header_table(lang: str) -> pd.DataFrame:
    """Every dataset's columns with the other headers the importer recognises."""
    rows = []
    for d in (DATASETS[n] for n in TEMPLATE_DATASETS):
        for c in d.columns:
            rows.append(
                {
                    t("unggah.dataset", lang): d.name,
                    t("unggah.kolom_column", lang): c.name,
                    t("unggah.sinonim", lang): ", ".join(c.synonyms),
                    t("unggah.keterangan", lang): c.keterangan if lang == "id" else c.description,
                }
            )
    return pd.DataFrame(rows)


def _label_build(snapshot: Snapshot) -> dict[str, str]:
    kop = snapshot["koperasi"].set_index("id_koperasi")["kode_kelurahan"]
    names = snapshot["wilayah"].set_index("kode_kelurahan")["kelurahan"]
    out = {}
    for _, b in snapshot["pembangunan"].iterrows():
        kel = names.get(kop.get(b["id_koperasi"]), b["id_koperasi"])
        out[b["id_pembangunan"]] = f"{b['id_pembangunan']} · {kel}"
    return out


def _date_input(box, label: str, key: str) -> dt.date:
    return box.date_input(label, value=dt.date.today(), key=key, format="DD/MM/YYYY")


def _week_input(box, label: str, key: str) -> int | None:
    return box.number_input(label, min_value=0, step=1, value=None, key=key)


def _percent_input(box, label: str, key: str) -> float | None:
    return box.number_input(label, min_value=0.0, max_value=100.0, step=0.1, value=None, key=key)


def _year_input(box, label: str, key: str) -> int:
    return int(box.number_input(label, min_value=1990, max_value=2100, step=1, value=dt.date.today().year - 1, key=key))


def _bool_input(box, label: str, key: str) -> bool:
    return bool(box.checkbox(label, key=key))


def _text_input(box, label: str, key: str) -> str | None:
    return box.text_input(label, key=key) or None


@dataclass(frozen=True)
class QuickField:
    """One input of a quick-entry form: the record column it fills, its label, its widget key suffix."""

    column: str
    label_key: str
    suffix: str
    input: Callable[[object, str, str], object]
    """Draws the widget in a container (box, label, key) and returns its value as the record holds it."""


@dataclass(frozen=True)
class QuickForm:
    """A quick-entry form: its key (widget keys are `f"{key}_{suffix}"`), title, the row it is about
    (`id_column`, picked from a list), the inputs side by side (`row`) and those under them (`below`)."""

    key: str
    title_key: str
    empty_key: str
    id_column: str
    id_label_key: str
    row: tuple[QuickField, ...]
    below: tuple[QuickField, ...] = ()


PROGRES_FORM = QuickForm(
    state.QUICK_PROGRES,
    "unggah.isian_progres",
    "unggah.belum_ada_pembangunan",
    "id_pembangunan",
    "unggah.pekerjaan",
    (
        QuickField("tanggal_laporan", "unggah.tanggal_laporan", "tgl", _date_input),
        QuickField("minggu_ke", "unggah.minggu_ke", "minggu", _week_input),
        QuickField("rencana_persen", "unggah.rencana", "rencana", _percent_input),
        QuickField("realisasi_persen", "unggah.realisasi", "realisasi", _percent_input),
    ),
    (QuickField("catatan", "unggah.catatan", "catatan", _text_input),),
)
RAT_FORM = QuickForm(
    state.QUICK_RAT,
    "unggah.isian_rat",
    "unggah.belum_ada_koperasi",
    "id_koperasi",
    "unggah.koperasi",
    (
        QuickField("tahun_buku", "unggah.tahun_buku", "tahun", _year_input),
        QuickField("tanggal_rat", "unggah.tanggal_rat", "tgl", _date_input),
        QuickField("lapor_ods", "unggah.lapor_ods", "ods", _bool_input),
    ),
)


def quick_entry_ui(form: QuickForm, options: dict[str, str], lang: str) -> dict | None:
    """One quick-entry form over `options` (id → label); returns the record when submitted."""
    if not options:
        st.info(t(form.empty_key, lang))
        return None
    with st.form(form.key):
        st.markdown(f"**{t(form.title_key, lang)}**")
        picked = st.selectbox(t(form.id_label_key, lang), list(options), format_func=options.get, key=f"{form.key}_id")
        entry = {form.id_column: picked}
        for box, field in [*zip(st.columns(len(form.row)), form.row, strict=True), *((st, f) for f in form.below)]:
            entry[field.column] = field.input(box, t(field.label_key, lang), f"{form.key}_{field.suffix}")
        if not st.form_submit_button(t("unggah.simpan", lang), key=f"{form.key}_kirim", icon=":material/save:"):
            return None
    return entry


def quick_progres_ui(snapshot: Snapshot, lang: str) -> dict | None:
    """The weekly progress form; returns the entry when submitted."""
    return quick_entry_ui(PROGRES_FORM, _label_build(snapshot), lang)


def quick_rat_ui(snapshot: Snapshot, lang: str) -> dict | None:
    """The RAT date form; returns the entry when submitted."""
    kop = snapshot["koperasi"].sort_values("nama_koperasi")
    labels = dict(zip(kop["id_koperasi"], kop["nama_koperasi"] + " (" + kop["id_koperasi"] + ")", strict=True))
    return quick_entry_ui(RAT_FORM, labels, lang)


def committed_ui(revision: int, changes: str, lang: str) -> bool:
    """The one "saved as revision N: what changed" notice with an undo button; True when undo is asked for."""
    with st.container(border=True, key="kotak_tersimpan"):
        st.success(
            t("unggah.tersimpan_rinci", lang, revisi=revision, perubahan=changes), icon=":material/check_circle:"
        )
        return st.button(t("unggah.batalkan", lang, revisi=revision), key=state.UPLOAD_UNDO, icon=":material/undo:")


def jenis_label(jenis: str, lang: str) -> str:
    """The kind of a revision (init, impor, isian, rollback) in words."""
    try:
        return t(f"unggah.jenis_{jenis}", lang)
    except KeyError:
        return jenis


def revision_label(record: dict, lang: str, zone: str) -> str:
    """'12 · 21 Okt 2025 14.05 WITA · budi · impor' for the history select box (time in the region's `zone`)."""
    when = format_local_time(record["waktu"], zone, lang) or "—"
    return f"{record['revisi']} · {when} · {record['pengguna']} · {jenis_label(record['jenis'], lang)}"


def changed_datasets(record: dict) -> list[dict]:
    """The datasets a revision changed (all it touched when it changed none, e.g. an empty first load)."""
    moved = [d for d in record["datasets"] if d["ditambah"] or d["diubah"] or d["dihapus"]]
    return moved or record["datasets"]


def history_table(records: list[dict], lang: str, zone: str) -> pd.DataFrame:
    """The revision history as a table: who, when (in the region's `zone`), what kind, which file, what changed."""
    rows = []
    for r in records:
        changes = "; ".join(f"{d['dataset']} +{d['ditambah']} ~{d['diubah']} −{d['dihapus']}" for d in r["datasets"])
        rows.append(
            {
                t("unggah.revisi", lang): r["revisi"],
                t("unggah.waktu", lang): format_local_time(r["waktu"], zone, lang),
                t("unggah.pengguna", lang): r["pengguna"],
                t("unggah.jenis", lang): jenis_label(r["jenis"], lang),
                t("unggah.nama_berkas", lang): r["nama_file"] or "",
                t("unggah.perubahan", lang): changes,
                t("unggah.catatan", lang): r["catatan"],
            }
        )
    return pd.DataFrame(rows)
