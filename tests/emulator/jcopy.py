"""A deep copy of JSON data (what the emulator stores and serves), ~10x faster than ``copy.deepcopy``:
dicts and lists are rebuilt, immutable scalars shared; anything else goes to ``copy.deepcopy``.  JSON has
no shared or cyclic containers, so the memo ``deepcopy`` keeps buys nothing here."""

from __future__ import annotations

import copy
from typing import Any

_SCALARS = (str, int, float, bool, type(None))


def clone(value: Any) -> Any:
    t = type(value)
    if t is dict:
        return {k: v if type(v) in _SCALARS else clone(v) for k, v in value.items()}
    if t is list:
        return [v if type(v) in _SCALARS else clone(v) for v in value]
    if t in _SCALARS:
        return value
    return copy.deepcopy(value)
