"""Parameter values: decoding CLI text as ksonnet's ``param set`` did, and printing them."""

from __future__ import annotations

import json
import re
from typing import Any

from kfctl.errors import UsageError
from kfctl.util.numbers import Number, loads_json, problem

# ks 0.13 (pkg/util/jsonnet/object.go DecodeValue): reInt `^([+-]?[1-9]\d*|0{1})$` — no leading
# zeros, so '007' stays a string — and reFloat `^[-+]?(0|[1-9]\d+)(\.[0-9]+)*$`, which needs two
# digits before the point ('1.5' stayed a string, '10.5' became a number).  kfctl keeps ks's rule
# for integers and reads every decimal without leading zeros as a number (see ks_kind).
_INT = re.compile(r"^([-+]?[1-9]\d*|[-+]?0)$")
_FLOAT = re.compile(r"^[-+]?(0|[1-9]\d*)(\.\d+)?([eE][-+]?\d+)?$")
_KS_INT = re.compile(r"^([+-]?[1-9]\d*|0{1})$")
_KS_FLOAT = re.compile(r"^[-+]?(0|[1-9]\d+)(\.[0-9]+)*$")


def decode_value(text: str, *, as_string: bool = False) -> Any:
    """ints/floats → numbers, true/false (any case) → booleans, ``[..]``/``{..}`` → JSON (or flow YAML
    as users type it: ``{a: 1}``), else string.  Numbers with leading zeros ('007') stay strings, as in
    ks.  A number jsonnet cannot hold (``1e999``, NaN, Infinity, also inside arrays and objects) and
    JSON that does not parse are usage errors."""
    if as_string:
        return text
    s = text.strip()
    value: Any = text
    if _INT.match(s):
        value = int(s)
    elif _FLOAT.match(s):
        value = Number(s)
    elif s.lower() in ("true", "false"):
        return s.lower() == "true"
    elif (s.startswith("[") and s.endswith("]")) or (s.startswith("{") and s.endswith("}")):
        try:
            value = loads_json(s)
        except ValueError:
            value = _flow_yaml(s)
            if value is None:
                raise UsageError(f"value {text!r} looks like JSON but does not parse",
                                 hint="fix the JSON, or pass --as-string to store it as a string") from None
    bad = problem(value)
    if bad:
        raise UsageError(f"value {_short(text)!r}: {bad}")
    return float(value) if isinstance(value, Number) else value


def _short(text: str) -> str:
    return text if len(text) <= 60 else text[:57] + "..."


def _flow_yaml(s: str) -> Any:
    """``{a: 1}`` read as flow YAML; None unless it is a list or mapping in which every key and value was
    written out (YAML reads ``{"a": }`` as ``{"a": null}``: a typo, not a null)."""
    import yaml

    try:
        node = yaml.compose(s, Loader=yaml.SafeLoader)
    except yaml.YAMLError:
        return None
    if not isinstance(node, (yaml.MappingNode, yaml.SequenceNode)):
        return None

    def complete(n) -> bool:
        if isinstance(n, yaml.ScalarNode):
            return not (n.value == "" and n.style is None)
        if isinstance(n, yaml.SequenceNode):
            return all(complete(c) for c in n.value)
        return all(complete(k) and complete(v) for k, v in n.value)

    if not complete(node):
        return None
    try:
        return yaml.safe_load(s)
    except yaml.YAMLError:
        return None


def split_key(key: str) -> list[str]:
    parts = key.split(".")
    if not key or any(not p for p in parts):
        raise UsageError(f"invalid parameter name {key!r}")
    return parts


def display_value(v: Any) -> str:
    """ksonnet's param list style: strings single-quoted, everything else compact JSON."""
    if isinstance(v, str):
        return "'" + v.replace("\\", "\\\\").replace("'", "\\'") + "'"
    return json.dumps(v, separators=(",", ":"), sort_keys=True, ensure_ascii=False)


def value_type(v: Any) -> str:
    """The jsonnet type name of a decoded value."""
    if isinstance(v, bool):
        return "boolean"
    if isinstance(v, (int, float)):
        return "number"
    if isinstance(v, dict):
        return "object"
    if isinstance(v, list):
        return "array"
    return "null" if v is None else "string"


def ks_kind(text: str) -> str:
    """What ks 0.13's ``param set`` stored ``text`` as: number, boolean, array, object or string."""
    if _KS_INT.match(text):
        return "number"
    if _KS_FLOAT.match(text):
        try:
            float(text)
            return "number"
        except ValueError:  # '10.2.3' matched the pattern; ParseFloat failed; ks kept the string
            return "string"
    if text.lower() in ("true", "false"):
        return "boolean"
    if text.startswith("["):
        return "array"
    if text.startswith("{"):
        return "object"
    return "string"
