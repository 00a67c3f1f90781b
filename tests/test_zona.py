"""kkmp.zona: Indonesian time zones by province, revision times in the region's time."""

import pandas as pd
import pytest

from kkmp.zona import format_local_time, region_zone, zone_of_province


@pytest.mark.parametrize(
    ("kode", "zone"), [("64", "WITA"), ("64.71.01.1001", "WITA"), ("31", "WIB"), ("61", "WIB"), ("94", "WIT")]
)
def test_zone_of_province(kode, zone):
    assert zone_of_province(kode) == zone


def test_region_zone_is_the_zone_of_most_kelurahan():
    wilayah = pd.DataFrame({"kode_kelurahan": ["64.71.01.1001", "64.71.01.1002", "31.71.01.1001"]})
    assert region_zone(wilayah) == "WITA"


def test_a_utc_time_is_shown_in_wita_with_its_zone():
    assert format_local_time("2026-12-04T00:09:00+00:00", "WITA", "id") == "4 Des 2026 08.09 WITA"
    assert format_local_time("2026-12-03T20:30:00", "WITA", "en") == "4 Dec 2026 04:30 WITA"


def test_no_time_is_empty():
    assert format_local_time("", "WITA", "id") == ""
