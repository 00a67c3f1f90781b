"""Texts and Indonesian/English formats (babel)."""

import datetime as dt
import re

import pytest

from kkmp.i18n import MissingTextError, format_date, format_number, format_percent, format_rupiah, label, load_texts, t


@pytest.mark.parametrize(
    ("func", "args", "expected"),
    [
        (format_number, (1234.5, "id", 1), "1.234,5"),
        (format_number, (1234.5, "en", 1), "1,234.5"),
        (format_percent, (69.72, "id"), "69,7%"),
        (format_rupiah, (1_658_000_000, "id"), "Rp1,66\xa0M"),  # babel puts a no-break space before the unit
        (format_date, (dt.date(2025, 10, 17), "id"), "17 Oktober 2025"),
        (format_date, (dt.date(2025, 10, 17), "id", "medium"), "17 Okt 2025"),
        (format_date, (dt.date(2025, 10, 17), "en"), "17 October 2025"),
        (format_number, (None, "id"), "—"),
    ],
)
def test_formats(func, args, expected):
    assert func(*args) == expected


def test_every_text_has_both_languages():
    for key, entry in load_texts().items():
        assert entry.get("id") and entry.get("en"), key


def test_placeholders_match_between_languages():
    pattern = re.compile(r"\{(\w+)\}")
    for key, entry in load_texts().items():
        assert set(pattern.findall(entry["id"])) == set(pattern.findall(entry["en"])), key


def test_missing_key_raises_named_error():
    with pytest.raises(MissingTextError):
        t("tidak.ada")


def test_unknown_language_falls_back_to_indonesian():
    assert t("nav.ringkasan", "fr") == "Ringkasan"


@pytest.mark.parametrize(
    ("group", "code", "lang", "expected"),
    [("status_fisik", "usulan", "en", "Proposed"), ("status_fisik", "baru", "id", "baru")],
)
def test_labels(group, code, lang, expected):
    assert label(group, code, lang) == expected
