"""Property-based tests (hypothesis) of every cell parser: any cell gives a value or a CellError, never a crash."""

from __future__ import annotations

import datetime as dt
import math

from hypothesis import given, settings
from hypothesis import strategies as st

from kkmp import parse
from kkmp.parse import CellError, Parsed

CELLS = st.one_of(
    st.none(),
    st.text(max_size=60),
    st.integers(min_value=-(10**20), max_value=10**20),
    st.floats(allow_nan=True, allow_infinity=True),
    st.booleans(),
    st.dates(),
    st.datetimes(),
    st.text(alphabet="0123456789.,-+ eE/'Rp%", max_size=25),
)
WILAYAH = [("64.71.01.1001", "Manggar"), ("64.71.01.1002", "Manggar Baru"), ("64.71.02.1001", "Sepinggan")]
PARSERS = {
    "text": parse.parse_text,
    "number": parse.parse_number,
    "number_dot": lambda v: parse.parse_number(v, dot_thousands=True),
    "int": parse.parse_int,
    "date": parse.parse_date,
    "bool": parse.parse_bool,
    "choice": lambda v: parse.parse_choice(v, ("usulan", "pembangunan", "selesai")),
    "choice_list": lambda v: parse.parse_choice_list(v, ("beras", "gula", "minyak_goreng")),
    "list": parse.parse_list,
    "kelurahan": lambda v: parse.parse_kelurahan(v, WILAYAH),
}


def _total(name: str, value: object) -> Parsed | CellError:
    try:
        result = PARSERS[name](value)
    except CellError as exc:
        return exc
    assert isinstance(result, Parsed), f"{name} returned {result!r}"
    return result


@settings(max_examples=300, deadline=None)
@given(value=CELLS, name=st.sampled_from(sorted(PARSERS)))
def test_every_parser_is_total(value, name):
    """Any cell: a Parsed value or a CellError with a message code — never another exception."""
    out = _total(name, value)
    if isinstance(out, CellError):
        assert out.code
        return
    v = out.value
    if name in ("number", "number_dot") and v is not None:
        assert isinstance(v, float) and math.isfinite(v)
    if name == "int" and v is not None:
        assert isinstance(v, int)
    if name == "date" and v is not None:
        assert type(v) is dt.date
    if name == "bool" and v is not None:
        assert isinstance(v, bool)


@given(st.integers(min_value=-(10**12), max_value=10**12))
def test_integers_read_back_plain_and_with_indonesian_grouping(n):
    assert parse.parse_int(str(n)).value == n
    if abs(n) >= 1_000_000:  # two or more dot groups: unambiguous thousands separators
        assert parse.parse_int(f"{n:,}".replace(",", ".")).value == n


@given(st.decimals(min_value=-(10**9), max_value=10**9, places=2, allow_nan=False))
def test_indonesian_decimal_comma_reads_back(d):
    text = f"{d:,.2f}".replace(",", "_").replace(".", ",").replace("_", ".")  # 1.234.567,89
    assert math.isclose(parse.parse_number(text).value, float(d), rel_tol=0, abs_tol=1e-6)


@given(st.dates(min_value=dt.date(1950, 1, 1), max_value=dt.date(2100, 12, 31)))
def test_iso_and_day_month_year_dates_read_back(d):
    assert parse.parse_date(d.isoformat()).value == d
    assert parse.parse_date(d.strftime("%d/%m/%Y")).value == d
    assert parse.parse_date(dt.datetime.combine(d, dt.time(13, 5))).value == d


@given(st.text(max_size=80))
def test_clean_text_is_idempotent_and_parse_text_stable(text):
    once = parse.clean_text(text)
    assert parse.clean_text(once) == once
    first = parse.parse_text(text).value
    if first is not None:
        assert parse.parse_text(first).value == first


@given(st.sampled_from(sorted(parse.TRUE_WORDS)), st.sampled_from(sorted(parse.FALSE_WORDS)))
def test_yes_and_no_words(yes, no):
    assert parse.parse_bool(yes.upper()).value is True
    assert parse.parse_bool(f"  {no} ").value is False


@given(st.sampled_from(WILAYAH), st.sampled_from(["", "Kel. ", "kelurahan ", "KELURAHAN "]))
def test_known_kelurahan_names_find_their_code(pair, prefix):
    code, name = pair
    assert parse.parse_kelurahan(prefix + name.upper(), WILAYAH).value == code
    assert parse.parse_kelurahan(code.replace(".", ""), WILAYAH).value == code
