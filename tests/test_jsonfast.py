"""kfctl.util.jsonfast.dumps_indented is json.dumps(indent=2, sort_keys=True, ensure_ascii=False), byte for byte."""

from __future__ import annotations

import dataclasses
import datetime
import json
import math

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from kfctl.util import jsonfast


def reference(data) -> str:
    return json.dumps(data, indent=2, sort_keys=True, ensure_ascii=False)


def json_of(finite: bool):
    """JSON-like data: nested lists and objects of scalars, integers beyond 64 bits included."""
    scalars = (st.none() | st.booleans() | st.integers(min_value=-(2**70), max_value=2**70)
               | st.floats(allow_nan=not finite, allow_infinity=not finite) | st.text())
    return st.recursive(scalars, lambda inner: st.lists(inner, max_size=5)
                        | st.dictionaries(st.text(), inner, max_size=5), max_leaves=40)


json_like = json_of(finite=False)


@settings(max_examples=200, deadline=None)
@given(json_like)
def test_same_bytes_as_json_on_generated_data(data):
    assert jsonfast.dumps_indented(data) == reference(data)


@pytest.mark.parametrize("value", [
    1e-05, 1.234567e-09, 1e16, 1.5e16, 1e15, 123456789012345680.0, -0.0, 0.1, 5e-324, 1.7976931348623157e308,
    float("nan"), float("inf"), -float("inf"),
    2**63 - 1, 2**63, 2**64 - 1, 2**64, -(2**63), -(2**63) - 1, 10**30,
    "", "é ✓ \U0001f600", "\x00\x1f\x7f\u2028\ufeff", 'quote " backslash \\ slash /', "\ud800",
    {"b": 1, "a": [1, {"z": None, "y": True}]}, {}, [], [[]], {"a": {}}, (1, 2),
    {"x": "line\n  0.5,"}, {"k\\": 0.5}, {'a": 1.5': 2},
])
def test_edge_values(value):
    for data in (value, [value], {"k": value}, {"apiVersion": "v1", "items": [{"v": value}, {"w": [value, 1]}]}):
        assert jsonfast.dumps_indented(data) == reference(data)


def test_what_orjson_refuses_is_decided_by_json():
    """Non-string keys, subclasses, deep nesting: json's output; types json refuses: json's TypeError."""
    class Sub(dict):
        pass

    class Flt(float):
        def __repr__(self):
            return "1.50"

    deep: list = []
    cur = deep
    for _ in range(300):
        cur.append([])
        cur = cur[0]
    for data in ({1: "a", 2: "b"}, Sub(b=1, a=2), [Flt(1.5)], deep, {"t": (1, 2)}):
        assert jsonfast.dumps_indented(data) == reference(data)

    @dataclasses.dataclass
    class D:
        x: int = 1

    for bad in (datetime.datetime(2026, 1, 1), D(), {1, 2}):
        with pytest.raises(TypeError) as ours:
            jsonfast.dumps_indented({"v": bad})
        with pytest.raises(TypeError) as theirs:
            reference({"v": bad})
        assert str(ours.value) == str(theirs.value)


def test_floats_are_rewritten_only_where_they_are():
    data = {"a": [1e-05, "1e-05", 2, "x.5"], "b": {"c": 1e16, "d": "e5"}, "n": math.pi}
    out = jsonfast.dumps_indented(data)
    assert out == reference(data)
    assert '"1e-05"' in out and "1e-05," in out and "1e+16" in out


@settings(max_examples=200, deadline=None)
@given(json_of(finite=True))
def test_wire_format_round_trips_as_json_reads_it(data):
    """What the cluster client sends and reads: json.loads(dumps_bytes(x)) == x, and loads is json.loads
    (integers beyond 64 bits included: orjson alone would read them as floats)."""
    for sort_keys in (False, True):
        raw = jsonfast.dumps_bytes(data, sort_keys=sort_keys)
        assert json.loads(raw) == data
        assert jsonfast.loads(raw) == json.loads(raw)
        assert type(jsonfast.loads(raw)) is type(json.loads(raw))
    if isinstance(data, dict):  # sorted: the same text for the same data, whatever order it was built in
        rebuilt = dict(reversed(list(data.items())))
        assert jsonfast.dumps_bytes(rebuilt, sort_keys=True) == jsonfast.dumps_bytes(data, sort_keys=True)


@pytest.mark.parametrize("raw", [b'{"n": 123456789012345678901234567890}', b'[18446744073709551616]',
                                 b'{"s": "\\ud800"}', b'{"a": 1.0, "b": 1e5, "c": -0}', b'"\\u00e9"'])
def test_loads_is_json_loads_where_orjson_differs(raw):
    out = jsonfast.loads(raw)
    assert out == json.loads(raw) and json.dumps(out) == json.dumps(json.loads(raw))


def test_loads_errors_are_value_errors():
    with pytest.raises(ValueError):
        jsonfast.loads(b"<html>")
