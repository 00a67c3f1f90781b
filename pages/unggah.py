"""Unggah data: upload Excel/CSV, see what is wrong or what will change, save as a revision, undo."""

import streamlit as st

from kkmp.access import AccessDenied
from kkmp.i18n import t
from kkmp.ingest import Limits, UnreadableFileError
from kkmp.plausibility import today_wita
from kkmp.revisions import rollback_revision
from kkmp.upload import StaleUploadError, commit_upload, prepare_records, upload_refusal
from ui import state
from ui.auth import editor_ui
from ui.components import sample_badge, uploader_text_css
from ui.data import current_snapshot, get_settings, get_store
from ui.shell import require_app_shell
from ui.sidebar import current_language, selected_kelurahan
from ui.unggah import (
    CommitChoice,
    cached_plan,
    change_text,
    commit_options_ui,
    committed_ui,
    diff_ui,
    preview_ui,
    quick_progres_ui,
    quick_rat_ui,
    report_ui,
    template_ui,
    upload_digest,
    upload_options_ui,
)

require_app_shell()
lang = current_language()
settings = get_settings()
store = get_store(settings.database_url)
snapshot = current_snapshot()

st.title(t("unggah.judul", lang))
st.caption(t("unggah.pengantar", lang, mb=f"{settings.upload_max_mb:g}", baris=settings.upload_max_rows))
sample_badge(snapshot, lang)
editor = editor_ui(lang)

tab_file, tab_quick, tab_template = st.tabs(
    [t("unggah.tab_berkas", lang), t("unggah.tab_isian", lang), t("unggah.tab_templat", lang)]
)


def save(plan, choice: CommitChoice, digest: str | None) -> None:
    """Commit an accepted plan as the signed-in editor; remember the revision (for undo) and the files."""
    try:
        result = commit_upload(
            plan,
            store,
            editor=editor,
            posisi_per=choice.posisi_per,
            sumber=choice.sumber,
            confirmed=choice.confirmed,
            lang=lang,
        )
    except StaleUploadError:
        st.warning(t("unggah.data_berubah", lang), icon=":material/sync_problem:")
        return
    except AccessDenied as exc:
        st.error(exc.message(lang), icon=":material/block:")
        return
    st.session_state[state.LAST_COMMIT] = result.revision
    st.session_state[state.LAST_COMMIT_CHANGES] = change_text(result, lang)
    st.session_state[state.UPLOAD_DONE] = digest
    st.rerun()


UPLOAD_TYPES = ["xlsx", "xlsm", "csv", "txt", "geojson", "json"]
with tab_file:
    uploader_text_css(state.UPLOAD_FILES, lang, settings.upload_max_mb, UPLOAD_TYPES)
    files = st.file_uploader(
        t("unggah.pilih_berkas", lang),
        type=UPLOAD_TYPES,
        accept_multiple_files=True,
        key=state.UPLOAD_FILES,
        disabled=not editor,
        help=t("unggah.pilih_berkas_help", lang),
    )
    replace = upload_options_ui(lang)
    payload = tuple((f.name, f.getvalue()) for f in files or [])
    digest = upload_digest(payload) if payload else None
    done = digest is not None and st.session_state.get(state.UPLOAD_DONE) == digest
    last = st.session_state.get(state.LAST_COMMIT)
    if editor and last and (done or not payload):
        if committed_ui(last, st.session_state.get(state.LAST_COMMIT_CHANGES, ""), lang):
            if store.latest_revision() != last:  # someone saved after it: undo from the history page instead
                st.warning(t("unggah.batal_tidak_bisa", lang, revisi=last), icon=":material/history:")
            else:
                try:
                    rollback_revision(store, last - 1, editor, t("unggah.catatan_batal", lang, revisi=last))
                except AccessDenied as exc:
                    st.error(exc.message(lang), icon=":material/block:")
                    st.stop()
                st.session_state.pop(state.LAST_COMMIT, None)
                st.toast(t("unggah.dibatalkan", lang, revisi=last), icon=":material/undo:")
                st.rerun()
    elif editor and done:
        st.info(t("unggah.pilih_berkas_baru", lang), icon=":material/upload_file:")
    elif editor and payload:
        limits = Limits(settings.upload_max_bytes, settings.upload_max_rows)
        with st.spinner(t("unggah.memeriksa", lang)):
            plan = cached_plan(store.url, snapshot.identity, snapshot.revision, payload, replace, limits, today_wita())
        if isinstance(plan, UnreadableFileError):
            st.error(plan.message(lang), icon=":material/block:")
        else:
            report_ui(plan, lang)
            if plan.accepted and not plan.changes_anything:
                st.info(t("unggah.tidak_ada_perubahan", lang), icon=":material/check:")
            elif plan.accepted:
                st.subheader(t("unggah.pratinjau", lang))
                preview_ui(plan, snapshot, lang)
                refusal = upload_refusal(plan, store, editor)  # an area-limited editor: say so before saving
                choice = None if refusal else commit_options_ui(plan, editor.name, lang)
                if refusal:
                    st.error(refusal.message(lang), icon=":material/block:")
                elif st.button(
                    t("unggah.simpan_revisi", lang),
                    key=state.UPLOAD_COMMIT,
                    type="primary",
                    icon=":material/save:",
                    disabled=choice is None,
                ):
                    save(plan, choice, digest)

with tab_quick:
    if not editor:
        st.info(t("unggah.perlu_masuk", lang), icon=":material/lock:")
    else:
        left, right = st.columns(2, gap="large")
        for column, dataset, entry_ui in ((left, "progres", quick_progres_ui), (right, "rat", quick_rat_ui)):
            with column:
                entry = entry_ui(snapshot, lang)
                if entry is None:
                    continue
                plan = prepare_records(dataset, [entry], store, snapshot=snapshot)
                report_ui(plan, lang)
                if plan.accepted and not plan.changes_anything:
                    st.info(t("unggah.tidak_ada_perubahan", lang), icon=":material/check:")
                elif plan.accepted and not plan.needs_confirmation:  # odd values: correct them, or upload a file
                    diff_ui(plan.diffs[dataset], lang, key=f"isian_{dataset}", stored=snapshot.frames)
                    save(plan, CommitChoice(None, t("unggah.sumber_isian", lang, nama=editor.name), False), None)

with tab_template:
    template_ui(store, snapshot, lang, selected_kelurahan(snapshot), settings.upload_max_rows, editor)
