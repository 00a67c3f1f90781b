"""Row-level diffs by key."""

import pandas as pd

from kkmp.diff import diff_frames
from kkmp.frames import coerce_frame
from kkmp.schema import get_dataset

RAT = get_dataset("rat")


def _rat(rows):
    return coerce_frame(RAT, pd.DataFrame(rows))


OLD = _rat(
    [{"id_koperasi": "A", "tahun_buku": 2024, "tanggal_rat": "2025-03-01"}, {"id_koperasi": "B", "tahun_buku": 2024}]
)


def test_added_changed_unchanged():
    new = _rat(
        [
            {"id_koperasi": "A", "tahun_buku": 2024, "tanggal_rat": "2025-03-02"},
            {"id_koperasi": "C", "tahun_buku": 2024},
        ]
    )
    d = diff_frames(RAT, OLD, new)
    assert (len(d.added), len(d.changed), d.unchanged, len(d.removed)) == (1, 1, 0, 0)
    assert d.cells["kolom"].tolist() == ["tanggal_rat"]


def test_replace_removes_missing_keys():
    d = diff_frames(RAT, OLD, OLD.head(1), replace=True)
    assert d.removed["id_koperasi"].tolist() == ["B"]


def test_missing_equals_missing():
    assert diff_frames(RAT, OLD, OLD).is_empty
