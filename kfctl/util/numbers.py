"""Numbers jsonnet can hold: finite doubles.  ``1e999``, ``NaN``, ``Infinity`` (and integers beyond
±1.8e308) are valid Python or JSON-ish input but no jsonnet literal: written into a params file they
break every later render, so every writer refuses them first, naming the offending number."""

from __future__ import annotations

import json
import math
from typing import Any

RULE = "is not a finite number; jsonnet numbers must be finite (at most ±1.8e308)"
_MAX = 1.7976931348623157e308


class Number(float):
    """A float that remembers how it was written (``1e999``), for the message."""

    text: str

    def __new__(cls, text: str):
        self = super().__new__(cls, float(text))
        self.text = text
        return self


def _short(text: str) -> str:
    return text if len(text) <= 60 else text[:57] + "..."


def non_finite(value: Any) -> str | None:
    """The first number in ``value`` (nested lists/dicts too) jsonnet cannot hold, as written; else None."""
    if isinstance(value, bool):
        return None
    if isinstance(value, float):
        if math.isfinite(value):
            return None
        if isinstance(value, Number):
            return value.text
        return "NaN" if math.isnan(value) else ("Infinity" if value > 0 else "-Infinity")
    if isinstance(value, int):
        return str(value) if abs(value) > _MAX else None
    if isinstance(value, dict):
        for v in value.values():
            bad = non_finite(v)
            if bad is not None:
                return bad
    if isinstance(value, (list, tuple)):
        for v in value:
            bad = non_finite(v)
            if bad is not None:
                return bad
    return None


def problem(value: Any) -> str | None:
    """``"<number> is not a finite number; ..."`` for ``value``, or None when it is fine."""
    bad = non_finite(value)
    return None if bad is None else f"{_short(bad)} {RULE}"


def text_problem(text: str) -> str | None:
    """The same for a number literal as typed (``--replicas 1e999``)."""
    try:
        f = float(text)
    except ValueError:
        return None
    return None if math.isfinite(f) else f"{_short(text.strip())} {RULE}"


def loads_json(text: str, **kwargs) -> Any:
    """``json.loads`` whose non-finite numbers remember their text (see :class:`Number`)."""
    return json.loads(text, parse_float=Number, parse_constant=Number, **kwargs)
