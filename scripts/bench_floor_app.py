"""The bench's floor: a bare two-page Streamlit app (a title, five st.metric, one sidebar multiselect)."""

import streamlit as st


def _page(title: str) -> None:
    st.title(title)
    for column, n in zip(st.columns(5), range(5), strict=True):
        column.metric(f"Angka {n + 1}", f"{(n + 1) * 1234:,}", delta=n)


def pertama() -> None:
    """The first page."""
    _page("Lantai: halaman pertama")


def kedua() -> None:
    """The second page."""
    _page("Lantai: halaman kedua")


st.sidebar.multiselect("Kecamatan", ["Satu", "Dua", "Tiga", "Empat"], key="lantai_filter")
st.navigation(
    [
        st.Page(pertama, title="Pertama", url_path="pertama", default=True),
        st.Page(kedua, title="Kedua", url_path="kedua"),
    ]
).run()
