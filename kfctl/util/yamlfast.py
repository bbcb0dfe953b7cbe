"""Block YAML, byte-identical to PyYAML's ``yaml.dump(data, Dumper=CSafeDumper, default_flow_style=False,
sort_keys=True, allow_unicode=True, width=1 << 20)``, ~10x faster for Kubernetes objects.

PyYAML spends its time in the Python representer (one node object per value) before libyaml writes
the text.  :func:`dump` writes the text directly for the data kfctl prints — dicts with string keys,
lists, None, bools, ints, floats and strings of printable ASCII — making libyaml's own choices:

* block collections, sequences inside mappings not indented, empty collections as ``{}``/``[]``;
* a string is plain when libyaml's scalar analysis (``yaml_emitter_analyze_scalar``, ported below
  for printable ASCII without line breaks) allows a plain block scalar *and* PyYAML's resolver reads
  the plain text back as a string (not ``true``, ``80``, ``1.5``, ``null``, a date...); otherwise it
  is single-quoted (quotes doubled); an empty key is ``''``;
* floats as PyYAML represents them (``repr`` lower-cased, ``.0`` before an exponent, ``.inf``...).

Anything else — another type, a non-ASCII or multi-line string, a key longer than 128 characters
(libyaml writes it as a complex key), a container that appears twice (PyYAML writes an anchor and
an alias) — makes :func:`dump` return None and the caller uses PyYAML.  Decisions per string are
memoised.  tests/test_yamlfast.py compares the two on generated data.
"""

from __future__ import annotations

from typing import Any

_STR_TAG = "tag:yaml.org,2002:str"
_FLOAT_TAG = "tag:yaml.org,2002:float"
_MAX_SCALAR = 4096  # longer strings go to PyYAML (its line width is 2**20; nothing near it here)
_MAX_SIMPLE_KEY = 128
_FLOW_OR_BLOCK_FIRST = set("#,[]{}&*!|>'\"%@`")


class _Fallback(Exception):
    pass


_resolver = None
_values: dict[str, str] = {}
_keys: dict[str, str] = {}


def _resolve(text: str, plain: bool) -> str:
    global _resolver
    if _resolver is None:
        import yaml

        _resolver = yaml.resolver.Resolver()
        _resolver.node_kind = yaml.ScalarNode
    return _resolver.resolve(_resolver.node_kind, text, (plain, not plain))


def _block_plain_allowed(s: str) -> bool:
    """libyaml's analysis for a non-empty string of printable ASCII without line breaks."""
    if s[0] == " " or s[-1] == " ":
        return False
    if s.startswith("---") or s.startswith("..."):
        return False
    n = len(s)
    first = s[0]
    if first in _FLOW_OR_BLOCK_FIRST:
        return False
    if first in "?:-" and (n == 1 or s[1] == " "):
        return False
    # ':' followed by a space (or the end) anywhere, '#' after a space
    if ": " in s or s[-1] == ":" or " #" in s:
        return False
    return True


def _quoted(s: str) -> str:
    return "'" + s.replace("'", "''") + "'"


def _value_text(s: str) -> str:
    text = _values.get(s)
    if text is None:
        if len(s) > _MAX_SCALAR or not (s.isascii() and s.isprintable()):
            raise _Fallback
        if s and _block_plain_allowed(s) and _resolve(s, True) == _STR_TAG:
            text = s
        else:
            text = _quoted(s)
        _values[s] = text
    return text


def _key_text(k: Any) -> str:
    if type(k) is not str:
        raise _Fallback
    text = _keys.get(k)
    if text is None:
        if len(k) > _MAX_SIMPLE_KEY:
            raise _Fallback
        text = _value_text(k) if k else "''"
        if len(text) > _MAX_SIMPLE_KEY:  # quotes count towards libyaml's simple-key limit? stay safe
            raise _Fallback
        _keys[k] = text
    return text


def _float_text(v: float) -> str:
    if v != v:
        text = ".nan"
    elif v == float("inf"):
        text = ".inf"
    elif v == -float("inf"):
        text = "-.inf"
    else:
        text = repr(v).lower()
        if "." not in text and "e" in text:
            text = text.replace("e", ".0e", 1)
    if _resolve(text, True) != _FLOAT_TAG:
        raise _Fallback
    return text


def _scalar(v: Any) -> str:
    t = type(v)
    if t is str:
        return _value_text(v)
    if v is None:
        return "null"
    if t is bool:
        return "true" if v else "false"
    if t is int:
        return str(v)
    if t is float:
        return _float_text(v)
    raise _Fallback


def _map(d: dict, indent: int, out: list, inline: bool, seen: set) -> None:
    if id(d) in seen:
        raise _Fallback
    seen.add(id(d))
    pad = " " * indent
    try:
        keys = sorted(d)
    except TypeError:
        raise _Fallback from None
    for i, k in enumerate(keys):
        prefix = "" if (inline and i == 0) else pad
        v = d[k]
        t = type(v)
        if t is dict:
            if v:
                out.append(f"{prefix}{_key_text(k)}:\n")
                _map(v, indent + 2, out, False, seen)
            else:
                if id(v) in seen:
                    raise _Fallback
                seen.add(id(v))
                out.append(f"{prefix}{_key_text(k)}: {{}}\n")
        elif t is list:
            if v:
                out.append(f"{prefix}{_key_text(k)}:\n")
                _seq(v, indent, out, False, seen)  # a sequence in a mapping is not indented
            else:
                if id(v) in seen:
                    raise _Fallback
                seen.add(id(v))
                out.append(f"{prefix}{_key_text(k)}: []\n")
        else:
            out.append(f"{prefix}{_key_text(k)}: {_scalar(v)}\n")


def _seq(items: list, indent: int, out: list, inline: bool, seen: set) -> None:
    if id(items) in seen:
        raise _Fallback
    seen.add(id(items))
    pad = " " * indent
    for i, v in enumerate(items):
        prefix = "" if (inline and i == 0) else pad
        t = type(v)
        if t is dict:
            if v:
                out.append(prefix + "- ")
                _map(v, indent + 2, out, True, seen)
            else:
                if id(v) in seen:
                    raise _Fallback
                seen.add(id(v))
                out.append(prefix + "- {}\n")
        elif t is list:
            if v:
                out.append(prefix + "- ")
                _seq(v, indent + 2, out, True, seen)
            else:
                if id(v) in seen:
                    raise _Fallback
                seen.add(id(v))
                out.append(prefix + "- []\n")
        else:
            out.append(prefix + "- " + _scalar(v) + "\n")


def dump(data: Any) -> str | None:
    """The YAML text of ``data``, or None when PyYAML must write it (see the module docstring)."""
    out: list[str] = []
    try:
        if type(data) is dict and data:
            _map(data, 0, out, False, set())
        elif type(data) is list and data:
            _seq(data, 0, out, False, set())
        else:
            return None
    except (_Fallback, RecursionError):
        return None
    return "".join(out)
