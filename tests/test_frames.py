"""kkmp.frames.isin: the same answer as pandas' isin, text through Arrow, a missing value never found."""

import numpy as np
import pandas as pd

from kkmp.frames import isin


def test_text_is_found_as_pandas_finds_it_and_missing_values_are_not() -> None:
    values = pd.Series(["KKMP-1", None, "KKMP-3", "kkmp-1", "KKMP-1"], dtype="str")
    known = pd.Series(["KKMP-1", "KKMP-3", "KKMP-3", None], dtype="str")
    assert isin(values, known).tolist() == [True, False, True, False, True]
    assert (isin(values, known) == values.isin(known.dropna()).to_numpy()).all()


def test_known_values_may_be_an_index_or_a_list_and_other_types_use_pandas() -> None:
    codes = pd.Series(["64.71.01.1001", "64.71.02.1001"], dtype="str")
    assert isin(codes, pd.Index(["64.71.02.1001"], dtype="str")).tolist() == [False, True]
    assert isin(codes, ["64.71.01.1001"]).tolist() == [True, False]
    numbers = pd.Series([1, 2, 3], dtype="Int64")
    assert isin(numbers, [2, 3]).dtype == np.bool_ and isin(numbers, [2, 3]).tolist() == [False, True, True]


def test_rows_where_keeps_the_frame_itself_when_every_row_passes():
    from kkmp.frames import rows_where

    frame = pd.DataFrame({"a": [1, 2, 3]})
    assert rows_where(frame, frame["a"] > 0) is frame
    assert rows_where(frame, frame["a"] > 1)["a"].tolist() == [2, 3]
