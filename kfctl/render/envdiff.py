"""Diff of two local renders (env vs env): objects matched by component, kind and name."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Sequence

from kfctl.render.model import LABEL_ENV, Render, RenderedObject


@dataclass
class DiffEntry:
    status: str  # added | removed | changed
    ref: str
    text: str = ""


@dataclass
class EnvDiff:
    left: str
    right: str
    entries: list[DiffEntry] = field(default_factory=list)
    unchanged: int = 0

    def counts(self) -> dict[str, int]:
        return count_entries(self.entries, self.unchanged)


def count_entries(entries: Sequence[DiffEntry], unchanged: int) -> dict[str, int]:
    """{added, removed, changed, unchanged} of a diff (local or against a cluster)."""
    out = {"added": 0, "removed": 0, "changed": 0, "unchanged": unchanged}
    for e in entries:
        out[e.status] += 1
    return out


def _key(o: RenderedObject, default_ns: str) -> tuple:
    ns = o.namespace or ""
    return (o.group, o.kind, "" if ns == default_ns else ns, o.name)


def _comparable(o: RenderedObject, show_secrets: bool) -> dict:
    import copy

    from kfctl.render.redact import normalize_secret, redact

    obj = copy.deepcopy(o.obj)
    (obj.get("metadata") or {}).get("labels", {}).pop(LABEL_ENV, None)
    return normalize_secret(obj) if show_secrets else redact(obj)


def compare_renders(a: Render, b: Render, *, show_secrets: bool = False) -> EnvDiff:
    from kfctl.util.textdiff import unified
    from kfctl.render.order import sort_key

    left = {_key(o, a.namespace): o for o in a.objects}
    right = {_key(o, b.namespace): o for o in b.objects}
    result = EnvDiff(a.env, b.env)
    keys = sorted(set(left) | set(right),
                  key=lambda k: sort_key((left.get(k) or right.get(k)).obj))
    for k in keys:
        lo, ro = left.get(k), right.get(k)
        ref = (lo or ro).ref()
        lobj = _comparable(lo, show_secrets) if lo else None
        robj = _comparable(ro, show_secrets) if ro else None
        if lobj == robj:
            result.unchanged += 1
            continue
        status = "added" if lo is None else "removed" if ro is None else "changed"
        ln = f"{a.env}/{lo.ref()}" if lo else "/dev/null"
        rn = f"{b.env}/{ro.ref()}" if ro else "/dev/null"
        result.entries.append(DiffEntry(status, ref, unified(lobj, robj, ln, rn)))
    return result
