"""Turn a component's evaluated value into Kubernetes objects.

Accepted shapes (any nesting): a Kubernetes object; a ``List`` (``kind: *List`` with ``items``);
an array; an object of objects (Tanka style).  ``null`` and ``{}`` contribute nothing.  A value
that looks like an object (has ``kind`` or ``apiVersion``) but lacks apiVersion, kind or
metadata.name is an error naming the component and where in its value it sits.

A prototype tells the user something (a param that no longer has an effect, and what replaced it)
with a ``kfctl.dev/warnings`` field on a List it renders: an array of strings, collected by
:func:`extract_warnings` into ``Render.warnings`` and shown once by the command.  Other tools that
flatten Lists (kubectl, ks) ignore the field.
"""

from __future__ import annotations

from typing import Any, Iterator

from kfctl.errors import RenderError

WARNINGS_FIELD = "kfctl.dev/warnings"


def extract_objects(component: str, value: Any, path: str = "") -> Iterator[dict]:
    if value is None:
        return
    if isinstance(value, list):
        for i, item in enumerate(value):
            yield from extract_objects(component, item, f"{path}[{i}]")
        return
    if not isinstance(value, dict):
        where = f" at {path}" if path else ""
        raise RenderError(
            f"component {component!r} yields a {type(value).__name__} ({str(value)[:40]!r}){where}, "
            "not a Kubernetes object")
    if "kind" in value or "apiVersion" in value:
        kind = value.get("kind")
        if isinstance(kind, str) and kind.endswith("List") and isinstance(value.get("items"), list):
            for i, item in enumerate(value["items"]):
                yield from extract_objects(component, item, f"{path}.items[{i}]")
            return
        problems = []
        if not isinstance(value.get("apiVersion"), str) or not value.get("apiVersion"):
            problems.append("apiVersion")
        if not isinstance(kind, str) or not kind:
            problems.append("kind")
        meta = value.get("metadata")
        if not isinstance(meta, dict) or not (meta.get("name") or meta.get("generateName")):
            problems.append("metadata.name")
        if problems:
            what = f"{kind or '?'} {((meta or {}) if isinstance(meta, dict) else {}).get('name', '')}".strip()
            where = f" at {path}" if path else ""
            raise RenderError(
                f"component {component!r} yields an invalid object ({what}){where}: missing {', '.join(problems)}")
        yield value
        return
    for key in sorted(value):
        yield from extract_objects(component, value[key], f"{path}.{key}" if path else key)


def extract_warnings(component: str, value: Any, path: str = "") -> list[str]:
    """The ``kfctl.dev/warnings`` strings of the Lists in a component's value, in order, each once.
    Walks the shapes :func:`extract_objects` accepts and stops at objects (never into them)."""
    out: list[str] = []

    def walk(v: Any, where: str) -> None:
        if isinstance(v, list):
            for i, item in enumerate(v):
                walk(item, f"{where}[{i}]")
        elif isinstance(v, dict):
            if "kind" in v or "apiVersion" in v:
                kind = v.get("kind")
                if not (isinstance(kind, str) and kind.endswith("List") and isinstance(v.get("items"), list)):
                    return
                if WARNINGS_FIELD in v:
                    ws = v[WARNINGS_FIELD]
                    if not isinstance(ws, list) or not all(isinstance(w, str) for w in ws):
                        at = f" at {where}" if where else ""
                        raise RenderError(f"component {component!r}: {WARNINGS_FIELD}{at} must be an array of strings")
                    out.extend(w for w in ws if w not in out)
                for i, item in enumerate(v["items"]):
                    walk(item, f"{where}.items[{i}]")
            else:
                for key in sorted(v):
                    walk(v[key], f"{where}.{key}" if where else key)

    walk(value, path)
    return out
