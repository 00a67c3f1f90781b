"""Riwayat data: every revision, what it changed, and rollback to any earlier one (as a new revision)."""

import streamlit as st

from kkmp.access import AccessDenied
from kkmp.i18n import t
from kkmp.revisions import history_records, revision_changes, rollback_revision
from kkmp.store import StoreReplacedError
from kkmp.zona import ZONES, region_zone
from ui import state
from ui.auth import editor_ui
from ui.components import escape_markdown
from ui.data import current_snapshot, get_settings, get_store
from ui.shell import require_app_shell
from ui.sidebar import current_language
from ui.unggah import changed_datasets, diff_ui, history_table, revision_label

require_app_shell()
MAX_LISTED_ROWS = 20_000  # a revision changing more rows is summarised by its counts only

lang = current_language()
store = get_store(get_settings().database_url)


@st.cache_data(show_spinner=False, max_entries=2)
def load_history(url: str, identity: str, revision: int) -> list[dict]:
    """The revision history as records, per store history and revision."""
    return history_records(get_store(url).revisions())


@st.cache_data(show_spinner=False, max_entries=16)
def load_changes(url: str, identity: str, revision: int, dataset: str):
    """What `revision` changed in `dataset`, cell by cell (a revision never changes, so cache it)."""
    return revision_changes(get_store(url), revision, [dataset])[dataset]


identity, latest_revision = store.state()


def remember_identity(shown: str) -> None:
    """Keep the identity of the store whose history the clicked rollback button was shown for."""
    st.session_state[state.RIWAYAT_IDENTITAS] = shown


records = load_history(store.url, identity, latest_revision)
st.title(t("unggah.riwayat_judul", lang))
st.caption(t("unggah.riwayat_pengantar", lang))
if not records:
    st.info(t("app.store_kosong", lang))
    st.stop()

zone = region_zone(current_snapshot()["wilayah"])  # times in the region's own zone (Balikpapan: WITA)
st.caption(t("unggah.riwayat_zona", lang, zona=zone, iana=ZONES[zone]))
st.dataframe(history_table(records, lang, zone), hide_index=True, key="tabel_riwayat", width="stretch")

by_id = {r["revisi"]: r for r in records}
chosen = st.selectbox(
    t("unggah.pilih_revisi", lang),
    list(by_id),
    format_func=lambda r: revision_label(by_id[r], lang, zone),
    key=state.RIWAYAT_REVISI,
)
record = by_id[chosen]
st.subheader(t("unggah.perubahan_revisi", lang, revisi=chosen))
details = [
    t("unggah.oleh", lang, nama=escape_markdown(record["pengguna"])),
    escape_markdown(record["nama_file"] or ""),
    f"sha256 `{record['sha256'][:16]}…`" if record["sha256"] else "",
    escape_markdown(record["catatan"]),
]
st.caption(" · ".join(d for d in details if d))
touched = changed_datasets(record)
for d in touched:
    name, moved = d["dataset"], d["ditambah"] + d["diubah"] + d["dihapus"]
    with st.expander(f"`{name}` — +{d['ditambah']} ~{d['diubah']} −{d['dihapus']}", expanded=len(touched) == 1):
        if moved > MAX_LISTED_ROWS:
            st.caption(t("unggah.riwayat_terlalu_besar", lang, n=moved, dataset=name))
        else:
            diff_ui(load_changes(store.url, identity, chosen, name), lang, key=f"riwayat_{name}")

st.subheader(t("unggah.rollback_judul", lang))
latest = records[0]["revisi"]
editor = None if chosen == latest else editor_ui(lang)
if chosen == latest:
    st.caption(t("unggah.rollback_terbaru", lang))
elif editor:
    st.markdown(t("unggah.rollback_penjelasan", lang, revisi=chosen, terbaru=latest))
    sure = st.checkbox(t("unggah.rollback_yakin", lang, revisi=chosen), key=state.RIWAYAT_KONFIRMASI)
    if st.button(
        t("unggah.rollback_tombol", lang, revisi=chosen),
        key=state.RIWAYAT_ROLLBACK,
        on_click=remember_identity,
        args=(identity,),
        disabled=not sure,
        type="primary",
        icon=":material/history:",
    ):
        try:
            chosen_identity = st.session_state.get(state.RIWAYAT_IDENTITAS, identity)
            result = rollback_revision(store, chosen, editor, identity=chosen_identity)
        except StoreReplacedError:
            st.error(t("unggah.rollback_store_diganti", lang, revisi=chosen), icon=":material/sync_problem:")
            st.stop()
        except AccessDenied as exc:
            st.error(exc.message(lang), icon=":material/block:")
            st.stop()
        if result.revision is None:
            st.info(t("unggah.rollback_sama", lang, revisi=chosen))
        else:
            st.toast(t("unggah.rollback_selesai", lang, revisi=chosen, baru=result.revision), icon=":material/history:")
            st.rerun()
