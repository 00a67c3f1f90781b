"""AppTest of Riwayat: revision times in the region's time zone (Balikpapan: WITA), said on the page (#17)."""

from streamlit.testing.v1 import AppTest

from tests.conftest import ROOT


def test_revision_times_are_in_wita_and_the_page_says_so(app_env):
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=60)
    at.switch_page("pages/riwayat.py")
    at.run()
    assert not at.exception
    times = at.dataframe[0].value["Waktu"].tolist()
    assert times and all(w.endswith(" WITA") for w in times), times
    assert not any("UTC" in w for w in times)
    assert any("Waktu dalam WITA (Asia/Makassar)" in c.value for c in at.caption)
