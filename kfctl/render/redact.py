"""Secret redaction for diffs, show and logs (design.md).

``stringData`` is folded into ``data`` (base64) first, so a value written either way compares
equal; then each value becomes ``<redacted:HMAC>``, keyed per process, so equal values still
compare equal within one run but nothing about them can be recovered from the output.
"""

from __future__ import annotations

import base64
import copy
import os

_KEY = os.urandom(32)


def _mark(value: str) -> str:
    import hashlib  # (here: an env without Secrets never needs it)
    import hmac

    digest = hmac.new(_KEY, value.encode("utf-8"), hashlib.sha256).hexdigest()[:12]
    return f"<redacted:{digest}>"


def is_secret(obj: dict) -> bool:
    return obj.get("kind") == "Secret" and str(obj.get("apiVersion", "")) == "v1"


def normalize_secret(obj: dict) -> dict:
    """Fold stringData into data (what the API server does)."""
    if not is_secret(obj) or not obj.get("stringData"):
        return obj
    out = copy.deepcopy(obj)
    data = dict(out.get("data") or {})
    for k, v in (out.pop("stringData") or {}).items():
        data[k] = base64.b64encode(str(v).encode("utf-8")).decode("ascii")
    out["data"] = data
    return out


def redact(obj: dict) -> dict:
    if not is_secret(obj):
        return obj
    out = normalize_secret(obj)
    if out is obj:
        out = copy.deepcopy(obj)
    if isinstance(out.get("data"), dict):
        out["data"] = {k: _mark(str(v)) for k, v in out["data"].items()}
    ann = (out.get("metadata") or {}).get("annotations") or {}
    if "kubectl.kubernetes.io/last-applied-configuration" in ann:
        ann["kubectl.kubernetes.io/last-applied-configuration"] = _mark(
            ann["kubectl.kubernetes.io/last-applied-configuration"])
    return out
