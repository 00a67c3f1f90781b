"""Fuzzing: mutated files, fed to the readers for a fixed time budget, end in a result or a clear
message (a named error with a text for the user) — never a traceback — and the store stays unchanged.

The budget is a bound on the run, not an assertion: the test checks what every mutated file did.
"""

from __future__ import annotations

import copy
import json
import random
import time
from collections import Counter

import pytest

from kkmp.batas import BoundaryFileError, load_boundary_file
from tests.conftest import ROOT, SHARED, assert_readable

BUDGET_S = 15.0
SEED = 20251121
GEOJSON_SEEDS = [ROOT / "tests" / "fixtures" / "batas-contoh.geojson", SHARED / "geo" / "balikpapan-kelurahan.geojson"]
ODD_VALUES = [None, True, 0, -1, 1e308, float("inf"), "", "x" * 1000, [], {}, [[[]]], [1, 2, 3], {"type": "Polygon"}]


def mutate_bytes(data: bytes, rng: random.Random) -> bytes:
    """One byte-level mutation: flip, delete, insert, duplicate a chunk, or truncate."""
    buf = bytearray(data)
    kind = rng.randrange(5)
    pos = rng.randrange(max(len(buf), 1))
    if kind == 0 and buf:
        buf[pos] ^= 1 << rng.randrange(8)
    elif kind == 1:
        del buf[pos : pos + rng.randint(1, 64)]
    elif kind == 2:
        buf[pos:pos] = bytes(rng.randrange(256) for _ in range(rng.randint(1, 16)))
    elif kind == 3:
        end = min(len(buf), pos + rng.randint(1, 256))
        buf[pos:pos] = buf[pos:end] * rng.randint(2, 8)
    else:
        del buf[pos:]
    return bytes(buf)


def _nodes(node, path=()):
    yield path, node
    if isinstance(node, dict):
        for k, v in node.items():
            yield from _nodes(v, (*path, k))
    elif isinstance(node, list):
        for i, v in enumerate(node):
            yield from _nodes(v, (*path, i))


def mutate_json(doc: object, rng: random.Random) -> object:
    """One structural mutation: a value replaced by an odd one, a key dropped, or a list emptied/nested."""
    doc = copy.deepcopy(doc)
    nodes = [(p, n) for p, n in _nodes(doc) if p]
    path, node = rng.choice(nodes)
    parent = doc
    for step in path[:-1]:
        parent = parent[step]
    last = path[-1]
    kind = rng.randrange(3)
    if kind == 0:
        parent[last] = rng.choice(ODD_VALUES)
    elif kind == 1 and isinstance(parent, dict):
        del parent[last]
    elif isinstance(node, list):
        parent[last] = [] if rng.random() < 0.5 else [node]
    else:
        parent[last] = [node]
    return doc


def _geojson_case(seed_docs, seed_bytes, rng: random.Random) -> bytes:
    if rng.random() < 0.5:
        doc = rng.choice(seed_docs)
        for _ in range(rng.randint(1, 4)):
            doc = mutate_json(doc, rng)
        return json.dumps(doc, allow_nan=True).encode()
    data = rng.choice(seed_bytes)
    for _ in range(rng.randint(1, 3)):
        data = mutate_bytes(data, rng)
    return data


def test_mutated_geojson_gives_a_match_or_a_clear_message(sample_store, request):
    seeds = [p for p in GEOJSON_SEEDS if p.exists()]
    if not seeds:
        pytest.skip("no GeoJSON seed files")
    seed_bytes = [p.read_bytes() for p in seeds]
    seed_docs = [json.loads(b) for b in seed_bytes]
    wilayah = sample_store.read("wilayah")
    before = sample_store.latest_revision()
    rng = random.Random(SEED)
    outcomes: Counter[str] = Counter()
    end = time.monotonic() + BUDGET_S
    while time.monotonic() < end:
        data = _geojson_case(seed_docs, seed_bytes, rng)
        try:
            match = load_boundary_file(data, wilayah)
        except BoundaryFileError as exc:
            assert_readable(exc.message, "batas.galat")
            outcomes[f"ditolak:{exc.code}"] += 1
        else:
            for issue in match.issues:
                assert issue.message("id")
            outcomes["terbaca"] += 1
    assert sample_store.latest_revision() == before
    total = sum(outcomes.values())
    print(f"\n[{request.node.name}] {total} mutated GeoJSON files: {dict(outcomes.most_common())}")
    assert total > 0


def _feature_collection(geometry: str, props: str = '{"kode": "64.71.01.1001"}') -> bytes:
    return (
        '{"type": "FeatureCollection", "features": [{"type": "Feature", "properties": '
        + props
        + ', "geometry": '
        + geometry
        + "}]}"
    ).encode()


HOSTILE_GEOJSON = {
    "nested-100k": b"[" * 100_000 + b"]" * 100_000,
    "geometry-nested-50k": _feature_collection(
        '{"type": "Polygon", "coordinates": ' + "[" * 50_000 + "]" * 50_000 + "}"
    ),
    "geometry-nested-900": _feature_collection('{"type": "Polygon", "coordinates": ' + "[" * 900 + "]" * 900 + "}"),
    "nan-coordinates": _feature_collection('{"type": "Polygon", "coordinates": [[[NaN, Infinity], [1, 2], [3, 4]]]}'),
    "huge-numbers": _feature_collection('{"type": "Point", "coordinates": [1e400, -1e400]}'),
    "name-20mb": _feature_collection(
        '{"type": "Point", "coordinates": [116.9, -1.2]}', '{"nama": "' + "A" * 20_000_000 + '"}'
    ),
    "not-utf8": b"\xff\xfe\x00{\x00",
    "empty": b"",
    "feature-list-of-strings": b'{"type": "FeatureCollection", "features": ["a", 1, null]}',
}


@pytest.mark.parametrize("name", sorted(HOSTILE_GEOJSON))
def test_hostile_geojson_gives_a_clear_message_or_nothing_matched(sample_store, name):
    before = sample_store.latest_revision()
    try:
        match = load_boundary_file(HOSTILE_GEOJSON[name], sample_store.read("wilayah"))
    except BoundaryFileError as exc:
        assert exc.message("id") and exc.message("en")
    else:
        assert match.matched == 0 or name == "geometry-nested-900"
        assert all(issue.message("id") for issue in match.issues)
    assert sample_store.latest_revision() == before
