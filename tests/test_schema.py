"""Dataset declarations and the data dictionary generated from them."""

import pytest

from kkmp.dictionary import render_data_dictionary
from kkmp.schema import DATASETS, UnknownDatasetError, get_dataset, split_list
from tests.conftest import ROOT


def test_data_dictionary_matches_declarations():
    written = (ROOT / "docs" / "data-dictionary.md").read_text(encoding="utf-8")
    assert written == render_data_dictionary(), "run: python -m kkmp dictionary -o docs/data-dictionary.md"


@pytest.mark.parametrize("name", list(DATASETS))
def test_key_columns_are_declared_and_required(name):
    ds = get_dataset(name)
    for k in ds.key:
        assert ds.column(k).required


@pytest.mark.parametrize("name", list(DATASETS))
def test_references_point_at_declared_datasets(name):
    for column, target in get_dataset(name).references.items():
        assert column in get_dataset(name).column_names
        assert target in DATASETS


@pytest.mark.parametrize("name", list(DATASETS))
def test_every_column_is_in_the_glossary_or_dictionary(name):
    glossary = (ROOT / "docs" / "glossary.md").read_text(encoding="utf-8")
    assert f"`{name}`" in glossary


def test_unknown_dataset_raises_named_error():
    with pytest.raises(UnknownDatasetError, match="tidak dikenal"):
        get_dataset("tidak_ada")


@pytest.mark.parametrize(
    ("cell", "items"),
    [
        ("PT Bulog; PT Pertamina Patra Niaga", ["PT Bulog", "PT Pertamina Patra Niaga"]),
        ("", []),
        (None, []),
        (" a ;; b ", ["a", "b"]),
    ],
)
def test_split_list(cell, items):
    assert split_list(cell) == items
