"""Diff of two local renders (env vs env): objects matched by component, kind and name."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Sequence

from kfctl.app.app import App, Environment
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
        out = {"added": 0, "removed": 0, "changed": 0, "unchanged": self.unchanged}
        for e in self.entries:
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
    from kfctl.output.diffs import unified
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


def diff_envs(app: App, env1: Environment, env2: Environment, *, components: Sequence[str] | None = None,
              engine: str | None = None, show_secrets: bool = False) -> EnvDiff:
    from kfctl.render.pipeline import render_env

    a = render_env(app, env1, components=components, engine=engine)
    b = render_env(app, env2, components=components, engine=engine)
    return compare_renders(a, b, show_secrets=show_secrets)


def print_env_diff(result: EnvDiff, *, summary: bool, as_json: bool) -> None:
    from kfctl.output.console import write
    from kfctl.output.diffs import print_diff
    from kfctl.output.formats import dump_json

    if as_json:
        write(dump_json({"left": result.left, "right": result.right, "summary": result.counts(),
                         "objects": [{"status": e.status, "object": e.ref, "diff": e.text} for e in result.entries]}))
        return
    if not summary:
        for e in result.entries:
            print_diff(e.text)
    c = result.counts()
    line = (f"{result.left} → {result.right}: {c['added']} added, {c['removed']} removed, "
            f"{c['changed']} changed, {c['unchanged']} unchanged")
    if summary:
        write(line)
    else:
        from kfctl.output.console import info

        info(line)
