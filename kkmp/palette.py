"""Colours shared by charts, maps and slides: Okabe–Ito, safe for colour-blind readers."""

from __future__ import annotations

from kkmp.schema import ASET_DAERAH, STATUS_LAHAN

OKABE_ITO = {
    "orange": "#E69F00",
    "sky": "#56B4E9",
    "green": "#009E73",
    "yellow": "#F0E442",
    "blue": "#0072B2",
    "vermillion": "#D55E00",
    "purple": "#CC79A7",
    "black": "#000000",
    "grey": "#9E9E9E",
}

STATUS_FISIK_COLORS = {
    "usulan": OKABE_ITO["grey"],
    "pembangunan": OKABE_ITO["orange"],
    "selesai": OKABE_ITO["green"],
}

#: Land statuses from none to secured (colours follow `STATUS_LAHAN`'s order, so its codes live there only).
STATUS_LAHAN_COLORS = dict(
    zip(
        STATUS_LAHAN,
        (OKABE_ITO["vermillion"], OKABE_ITO["orange"], OKABE_ITO["yellow"], OKABE_ITO["green"], OKABE_ITO["blue"]),
        strict=True,
    )
)
#: What a regional asset is used for (`ASET_DAERAH`'s order).
ASET_DAERAH_COLORS = dict(zip(ASET_DAERAH, (OKABE_ITO["sky"], OKABE_ITO["purple"], OKABE_ITO["blue"]), strict=True))

BUILD_STATUS_COLORS = {
    "belum_mulai": OKABE_ITO["grey"],
    "normal": OKABE_ITO["blue"],
    "terlambat": OKABE_ITO["orange"],
    "kritis": OKABE_ITO["vermillion"],
    "selesai": OKABE_ITO["green"],
}


def hex_to_rgb(color: str) -> list[int]:
    """'#E69F00' → [230, 159, 0] (for pydeck)."""
    color = color.lstrip("#")
    return [int(color[i : i + 2], 16) for i in (0, 2, 4)]


#: Light to dark, one hue (ColorBrewer Blues without its palest step): readable for colour-blind
#: viewers and on a projector; used for graduated map colours (members, shares).
SEQUENTIAL_BLUES = ("#C6DBEF", "#9ECAE1", "#6BAED6", "#3182BD", "#08519C")

#: Map fill for a kelurahan with no data for the chosen indicator.
NO_DATA_COLOR = "#E6E6E6"

RAT_KATEGORI_COLORS = {
    "sudah_tepat_waktu": OKABE_ITO["green"],
    "sudah_terlambat": OKABE_ITO["orange"],
    "terjadwal": OKABE_ITO["sky"],
    "jadwal_lewat": OKABE_ITO["purple"],
    "belum": OKABE_ITO["vermillion"],
    "belum_wajib": OKABE_ITO["grey"],
}

# Compliance bands of the RAT gauges: below the red limit, between red and amber, from amber up.
RAT_BAND_COLORS = {"merah": OKABE_ITO["vermillion"], "kuning": OKABE_ITO["orange"], "hijau": OKABE_ITO["green"]}


def with_alpha(color: str, alpha: float) -> str:
    """'#E69F00', 0.25 → 'rgba(230,159,0,0.25)' (light fills behind data)."""
    r, g, b = hex_to_rgb(color)
    return f"rgba({r},{g},{b},{alpha})"
