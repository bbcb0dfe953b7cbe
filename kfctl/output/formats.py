"""Printers for listings (table | json | yaml) and for Kubernetes objects (yaml | json).

Tables use ksonnet's plain layout (upper-case header, a row of '=', columns padded with one
space, lines right-trimmed) so scripts written for ``ks ... -o table`` keep working; JSON is
``{"kind": <listing>, "data": [{<column>: <cell>}]}`` as ksonnet printed it.
"""

from __future__ import annotations

from enum import Enum
from typing import Any, Iterable, Sequence

from kfctl.errors import UsageError


class ListFormat(str, Enum):
    table = "table"
    json = "json"
    yaml = "yaml"


class ObjectFormat(str, Enum):
    yaml = "yaml"
    json = "json"


def dump_yaml(data: Any) -> str:
    """:func:`kfctl.util.yamlio.dump_yaml`, imported on first use (PyYAML stays out of ``--help``)."""
    from kfctl.util.yamlio import dump_yaml as dump

    return dump(data)


def dump_json(data: Any) -> str:
    from kfctl.util.yamlio import dump_json as dump

    return dump(data)


def format_table(columns: Sequence[str], rows: Iterable[Sequence[Any]]) -> str:
    header = [c.upper() for c in columns]
    body = [["" if c is None else str(c) for c in r] for r in rows]
    widths = [len(h) for h in header]
    for r in body:
        for i, c in enumerate(r):
            widths[i] = max(widths[i], len(c))
    lines = []
    for r in [header, ["=" * len(h) for h in header], *body]:
        lines.append(" ".join(c.ljust(widths[i]) for i, c in enumerate(r)).rstrip())
    return "\n".join(lines) + "\n"


def emit_listing(kind: str, columns: Sequence[str], rows: Sequence[Sequence[Any]], fmt: ListFormat | str,
                 *, records: list[dict] | None = None) -> None:
    """Print a listing.  ``records`` (richer, typed values) replace the cells in json/yaml output."""
    from kfctl.output.console import write

    fmt = ListFormat(fmt) if not isinstance(fmt, ListFormat) else fmt
    if fmt is ListFormat.table:
        write(format_table(columns, rows))
        return
    if records is None:
        records = [{c.lower(): v for c, v in zip(columns, r)} for r in rows]
    doc = {"kind": kind, "data": records}
    write(dump_json(doc) if fmt is ListFormat.json else dump_yaml(doc))


def emit_objects(objects: list[dict], fmt: ObjectFormat | str) -> None:
    """Kubernetes objects: YAML documents separated by '---', or a JSON v1 List."""
    from kfctl.output.console import write

    fmt = fmt.value if isinstance(fmt, Enum) else fmt
    if fmt == "json":
        write(dump_json({"apiVersion": "v1", "kind": "List", "items": objects}))
    elif fmt == "yaml":
        write("".join("---\n" + dump_yaml(o) for o in objects))
    else:
        raise UsageError(f"unknown output format {fmt!r}: use yaml or json")
