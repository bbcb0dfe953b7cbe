"""Is a live object already what a server-side apply of the rendered one would make it — decided
locally, without a dry-run request per object (``kfctl status`` of thousands of objects)?

Yes when both hold:

1. the rendered object is contained in the live one (every field it sets has that value live;
   lists element by element and of the same length, as an apply would leave them);
2. every field kfctl's field manager owns on the live object is still set by the render (an apply
   would remove the others).

Anything this cannot decide (a quantity the server normalised, ``stringData``, a list another
manager added to) answers "not sure" and the caller asks the server with a dry-run apply, so the
shortcut can only save requests, never change an answer.
"""

from __future__ import annotations

import json
from typing import Any

FIELD_MANAGER = "kfctl"


def contained(rendered: Any, live: Any) -> bool:
    if isinstance(rendered, dict):
        if not isinstance(live, dict):
            return False
        return all(k in live and contained(v, live[k]) for k, v in rendered.items())
    if isinstance(rendered, list):
        if not isinstance(live, list) or len(live) != len(rendered):
            return False
        return all(contained(a, b) for a, b in zip(rendered, live))
    if isinstance(rendered, bool) or isinstance(live, bool):
        return rendered is live
    if isinstance(rendered, (int, float)) and isinstance(live, (int, float)):
        return rendered == live
    return type(rendered) is type(live) and rendered == live


# list-map key fields the server defaults before merging (an applied port without a protocol is TCP)
KEY_DEFAULTS = {"protocol": "TCP"}


def _key_matches(element: Any, want: dict) -> bool:
    if not isinstance(element, dict):
        return False
    return all(element.get(k, KEY_DEFAULTS.get(k)) == v for k, v in want.items())


def _owned_by_render(fields: dict, rendered: Any) -> bool:
    """Every path in a managedFields ``fieldsV1`` tree is present in ``rendered``."""
    for key, sub in fields.items():
        if key == ".":
            continue
        if key.startswith("f:"):
            if not isinstance(rendered, dict) or key[2:] not in rendered:
                return False
            if sub and not _owned_by_render(sub, rendered[key[2:]]):
                return False
        elif key.startswith("k:"):
            if not isinstance(rendered, list):
                return False
            try:
                want = json.loads(key[2:])
            except ValueError:
                return False
            match = [e for e in rendered if _key_matches(e, want)]
            if len(match) != 1 or (sub and not _owned_by_render(sub, match[0])):
                return False
        elif key.startswith("v:"):
            if not isinstance(rendered, list):
                return False
            try:
                value = json.loads(key[2:])
            except ValueError:
                return False
            if value not in rendered:
                return False
        elif key.startswith("i:"):
            try:
                idx = int(key[2:])
            except ValueError:
                return False
            if not isinstance(rendered, list) or idx >= len(rendered):
                return False
            if sub and not _owned_by_render(sub, rendered[idx]):
                return False
        else:
            return False
    return True


def in_sync(rendered: dict, live: dict) -> bool:
    """True only when an apply of ``rendered`` certainly leaves ``live`` as it is."""
    if not contained(rendered, live):
        return False
    for entry in (live.get("metadata") or {}).get("managedFields") or []:
        if entry.get("manager") != FIELD_MANAGER or entry.get("subresource"):
            continue
        if entry.get("fieldsType", "FieldsV1") != "FieldsV1":
            return False
        if not _owned_by_render(entry.get("fieldsV1") or {}, rendered):
            return False
    return True
