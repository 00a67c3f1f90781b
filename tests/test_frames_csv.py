"""kkmp.frames.read_dataset_csv: Arrow reads a canonical CSV file exactly as the cell-by-cell path does."""

from pathlib import Path

import pandas as pd
import pytest

from kkmp import frames
from kkmp.frames import CoercionError, coerce_frame, read_dataset_csv
from kkmp.schema import get_dataset

SAMPLE = Path(__file__).resolve().parent.parent / "data" / "sample"


def _cell_by_cell(dataset_name: str, path: Path) -> pd.DataFrame:
    raw = pd.read_csv(path, dtype="str", keep_default_na=False, na_values=[""])
    return coerce_frame(get_dataset(dataset_name), raw).reset_index(drop=True)


@pytest.mark.parametrize("name", ["koperasi", "pembangunan", "progres", "rat", "penyaluran"])
def test_each_sample_file_reads_the_same_through_arrow_as_cell_by_cell(name: str) -> None:
    path = SAMPLE / f"{name}.csv"
    pd.testing.assert_frame_equal(read_dataset_csv(get_dataset(name), path), _cell_by_cell(name, path))


def test_padded_cells_a_bom_and_yes_no_words_are_read_by_arrow_as_declared(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    text = Path(SAMPLE / "koperasi.csv").read_text(encoding="utf-8").splitlines()
    header, first = text[0], text[1].split(",")
    first[first.index("ya")] = "  YA "
    path = tmp_path / "koperasi.csv"
    path.write_text("\ufeff" + header + "\n" + ",".join(first) + "\n", encoding="utf-8")
    expected = _cell_by_cell("koperasi", path)
    monkeypatch.setattr(frames, "coerce_frame", None)  # the cell-by-cell path would fail now
    frame = read_dataset_csv(get_dataset("koperasi"), path)
    assert next(iter(frame.columns)) == "id_koperasi"
    assert bool(frame.loc[0, "kkmp"]) is True
    pd.testing.assert_frame_equal(frame, expected)


def test_a_bad_number_is_still_named_by_row_and_column(tmp_path: Path) -> None:
    lines = Path(SAMPLE / "koperasi.csv").read_text(encoding="utf-8").splitlines()[:4]
    cells = lines[3].split(",")
    header = lines[0].split(",")
    cells[header.index("jumlah_anggota")] = "delapan belas"
    path = tmp_path / "koperasi.csv"
    path.write_text("\n".join([*lines[:3], ",".join(cells)]) + "\n", encoding="utf-8")
    with pytest.raises(CoercionError) as caught:
        read_dataset_csv(get_dataset("koperasi"), path)
    assert "jumlah_anggota" in str(caught.value) and "delapan belas" in str(caught.value)
