"""ui.scope.page_scope: the area chosen in the sidebar restricts the page's data; the whole region stays at hand."""

from __future__ import annotations

import pytest
from streamlit.testing.v1 import AppTest

from ui import state


def _scope_script() -> None:
    import streamlit as st

    from ui.scope import page_scope

    scope = page_scope()
    st.text(f"lang={scope.lang}")
    st.text(f"name={scope.area_name}")
    st.text(f"area={len(scope.area)}")
    st.text(f"snap={len(scope.snap['koperasi'])}")
    st.text(f"snapshot={len(scope.snapshot['koperasi'])}")
    st.text(f"same_area={set(scope.snap['wilayah']['kecamatan']) == set(scope.area['kecamatan'])}")


def _run(kecamatan: tuple[str, ...], lang: str | None = None) -> dict[str, str]:
    at = AppTest.from_function(_scope_script, default_timeout=60)
    if kecamatan:
        at.session_state[state.FILTER_KECAMATAN] = list(kecamatan)
    if lang:
        at.query_params["lang"] = lang
    at.run()
    assert not at.exception, at.exception
    return dict(e.value.split("=", 1) for e in at.text)


def test_whole_region_when_nothing_is_chosen(app_env, sample_snapshot):
    seen = _run(())
    assert seen["lang"] == "id" and seen["name"] == "Kota Balikpapan"
    assert seen["area"] == str(len(sample_snapshot["wilayah"]))
    assert seen["snap"] == seen["snapshot"] == str(len(sample_snapshot["koperasi"]))


@pytest.mark.parametrize("kecamatan", ["Balikpapan Timur", "Balikpapan Utara"])
def test_chosen_kecamatan_restricts_snap_but_not_snapshot(app_env, sample_snapshot, kecamatan):
    seen = _run((kecamatan,), lang="en")
    wilayah = sample_snapshot["wilayah"]
    codes = set(wilayah.loc[wilayah["kecamatan"] == kecamatan, "kode_kelurahan"])
    expected = sample_snapshot["koperasi"]["kode_kelurahan"].isin(codes).sum()
    assert seen["lang"] == "en" and seen["name"] == kecamatan
    assert seen["area"] == str(len(codes))
    assert seen["snap"] == str(expected) and int(seen["snap"]) < int(seen["snapshot"])
    assert seen["same_area"] == "True"
