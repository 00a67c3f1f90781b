"""Indonesia's three time zones (WIB, WITA, WIT) by province, and revision times shown in the region's time.

The store keeps times in UTC; people read them in their own zone: Balikpapan (Kalimantan Timur) is WITA,
UTC+8, Asia/Makassar.
"""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

import pandas as pd

from kkmp.i18n import format_date

#: IANA zone of each Indonesian zone name.
ZONES = {"WIB": "Asia/Jakarta", "WITA": "Asia/Makassar", "WIT": "Asia/Jayapura"}
# Kemendagri province codes (the first segment of a kelurahan code) outside WIB.
_WITA = {"51", "52", "53", "63", "64", "65", "71", "72", "73", "74", "75", "76"}
_WIT = {"81", "82", "91", "92", "93", "94", "95", "96"}


def zone_of_province(kode: str) -> str:
    """ "WIB", "WITA" or "WIT" for a province code such as "64" (also read from a kelurahan code "64.71.01.1001")."""
    prefix = str(kode).split(".")[0]
    return "WITA" if prefix in _WITA else "WIT" if prefix in _WIT else "WIB"


def region_zone(wilayah: pd.DataFrame) -> str:
    """The zone most of the region's kelurahan are in (WIB when the region list is empty)."""
    if wilayah.empty:
        return "WIB"
    return wilayah["kode_kelurahan"].map(zone_of_province).value_counts().idxmax()


def local_time(stamp: str | dt.datetime, zone: str) -> dt.datetime:
    """A stored time (ISO text or datetime; naive means UTC) in `zone`."""
    value = pd.Timestamp(stamp)
    value = value.tz_localize("UTC") if value.tzinfo is None else value
    return value.tz_convert(ZoneInfo(ZONES[zone])).to_pydatetime()


def format_local_time(stamp: str | dt.datetime | None, zone: str, lang: str) -> str:
    """'4 Des 2026 08.09 WITA' — a stored time as people in `zone` read it; '' when there is none."""
    if stamp is None or stamp == "" or (not isinstance(stamp, str) and pd.isna(stamp)):
        return ""
    local = local_time(stamp, zone)
    clock = local.strftime("%H.%M" if lang == "id" else "%H:%M")
    return f"{format_date(local.date(), lang, 'medium')} {clock} {zone}"
