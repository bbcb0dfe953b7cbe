"""Fast JSON: orjson where its output is byte-identical to the standard library's, ``json`` otherwise.

``dumps_indented(data)`` returns exactly ``json.dumps(data, indent=2, sort_keys=True,
ensure_ascii=False)`` (what kfctl has always printed), 5-10x faster.  orjson differs from ``json``
in a few places, each handled here:

* floats: orjson writes ``1e-05`` as ``0.00001`` and ``1e+16`` as ``1e16``; both write the shortest
  round-trip digits, so every float token of orjson's output is rewritten with ``repr(float)``
  (what ``json`` uses) — only when the output has a float at all (a scan at memchr speed tells);
* NaN/Infinity: orjson writes ``null``, ``json`` writes ``NaN``/``Infinity``: if the output has a
  ``null`` the data is searched for non-finite floats and, if there is one, ``json`` prints it;
* integers beyond 64 bits, non-string keys, lone surrogates, nesting deeper than 255, subclasses of
  dict/list/str/int/float (ruamel's commented maps, scalar floats...) and types ``json`` refuses
  (datetime, dataclasses): orjson refuses them too (``OPT_PASSTHROUGH_*``) and ``json`` takes over,
  so a ``TypeError`` is ``json``'s own.

``loads(raw)`` and ``dumps_bytes(data)`` are the wire formats of the cluster client: ``json.loads``'s
result and compact JSON (what the server reads).  ``loads`` leaves to ``json`` any text with a run
of 19 or more digits (orjson reads integers beyond 64 bits as floats) and any text orjson refuses
(lone surrogates), so its result is always ``json.loads``'s; ``dumps_bytes`` leaves to ``json``
what orjson refuses.
tests/test_jsonfast.py compares both encoders on generated data.
"""

from __future__ import annotations

import json
import math
import re
from typing import Any

try:
    import orjson
except ImportError:  # pragma: no cover - a dependency; kept working without it
    orjson = None

_OPTIONS = 0
if orjson is not None:
    _OPTIONS = (orjson.OPT_INDENT_2 | orjson.OPT_SORT_KEYS | orjson.OPT_PASSTHROUGH_SUBCLASS
                | orjson.OPT_PASSTHROUGH_DATACLASS | orjson.OPT_PASSTHROUGH_DATETIME)

# In orjson's indented output every scalar ends its line (strings never hold a raw newline), a
# string token ends with '"', so a line ending in '.<digits>' or 'e<digits>' ends with a float token
# and every float token ends so.  Both patterns start with a literal: the scan runs at memchr speed.
_FLOAT_ENDS = (re.compile(rb"\.[0-9]+,?\n"), re.compile(rb"e[-+]?[0-9]+,?\n"))
_NULL_END = re.compile(rb"null,?\n")
_LONG_DIGITS = re.compile(rb"[0-9]{19}")


def _stdlib(data: Any) -> str:
    return json.dumps(data, indent=2, sort_keys=True, ensure_ascii=False)


def _has_nonfinite(data: Any) -> bool:
    stack = [data]
    while stack:
        v = stack.pop()
        if type(v) is dict:
            stack.extend(v.values())
        elif type(v) is list or type(v) is tuple:
            stack.extend(v)
        elif type(v) is float and not math.isfinite(v):
            return True
    return False


def _python_floats(out: bytes) -> bytes:
    """Rewrite every float token (see _FLOAT_ENDS) of ``out`` (ending in a newline) as ``repr(float)``."""
    spans = []
    for pattern in _FLOAT_ENDS:
        for m in pattern.finditer(out):
            end = m.end() - 1 - (out[m.end() - 2] == 0x2C)  # before ',' and '\n'
            start = max(out.rfind(b" ", 0, m.start()), out.rfind(b"\n", 0, m.start())) + 1
            spans.append((start, end))
    parts, pos = [], 0
    for start, end in sorted(spans):
        parts += [out[pos:start], repr(float(out[start:end])).encode()]
        pos = end
    parts.append(out[pos:])
    return b"".join(parts)


def dumps_indented(data: Any) -> str:
    """``json.dumps(data, indent=2, sort_keys=True, ensure_ascii=False)``, byte for byte, faster."""
    if orjson is None:
        return _stdlib(data)
    try:
        out = orjson.dumps(data, option=_OPTIONS)
    except TypeError:  # orjson.JSONEncodeError is a TypeError: what orjson refuses, json decides
        return _stdlib(data)
    out += b"\n"  # the top-level value ends its line too
    if _NULL_END.search(out) and _has_nonfinite(data):
        return _stdlib(data)
    if _FLOAT_ENDS[0].search(out) or _FLOAT_ENDS[1].search(out):
        out = _python_floats(out)
    return out[:-1].decode("utf-8")


def loads(raw: bytes) -> Any:
    """``json.loads(raw)``, faster: orjson unless the text could hold an integer beyond 64 bits."""
    if orjson is None or _LONG_DIGITS.search(raw):
        return json.loads(raw)
    try:
        return orjson.loads(raw)
    except ValueError:  # orjson.JSONDecodeError: json reads it or raises its own error
        return json.loads(raw)


def dumps_bytes(data: Any, *, sort_keys: bool = False) -> bytes:
    """Compact JSON of ``data`` as UTF-8 bytes (a request body, a stored record)."""
    if orjson is not None:
        option = orjson.OPT_PASSTHROUGH_SUBCLASS | orjson.OPT_PASSTHROUGH_DATACLASS | orjson.OPT_PASSTHROUGH_DATETIME
        try:
            return orjson.dumps(data, option=option | orjson.OPT_SORT_KEYS if sort_keys else option)
        except TypeError:
            pass
    return json.dumps(data, separators=(",", ":"), ensure_ascii=False, sort_keys=sort_keys).encode()
