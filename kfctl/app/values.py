"""Parameter values: decoding CLI text as ksonnet's ``param set`` did, and printing them."""

from __future__ import annotations

import json
import re
from typing import Any

from kfctl.errors import UsageError

_INT = re.compile(r"^[-+]?\d+$")
_FLOAT = re.compile(r"^[-+]?(\d+\.\d*|\.\d+|\d+)([eE][-+]?\d+)?$")


def decode_value(text: str, *, as_string: bool = False) -> Any:
    """ints/floats → numbers, true/false (any case) → booleans, ``[..]``/``{..}`` → JSON, else string."""
    if as_string:
        return text
    s = text.strip()
    if _INT.match(s):
        return int(s)
    if _FLOAT.match(s):
        f = float(s)
        return f
    if s.lower() in ("true", "false"):
        return s.lower() == "true"
    if (s.startswith("[") and s.endswith("]")) or (s.startswith("{") and s.endswith("}")):
        try:
            return json.loads(s)
        except ValueError:
            try:
                import yaml

                v = yaml.safe_load(s)  # accept {a: 1} as users type it (flow YAML)
                if isinstance(v, (dict, list)):
                    return v
            except Exception:
                pass
            raise UsageError(f"value {text!r} looks like JSON but does not parse",
                             hint="fix the JSON, or pass --as-string to store it as a string") from None
    return text


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
