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


MAX_CELL = 120  # characters of one table cell; -o json/yaml print values whole
_CONTROL = {"\n": "\\n", "\r": "\\r", "\t": "\\t"}


def table_cell(value: Any) -> tuple[str, bool]:
    """A cell on one line: control characters escaped (a newline cannot break the row), cut to
    :data:`MAX_CELL` characters with '…'.  Returns (text, whether it was cut)."""
    text = "" if value is None else str(value)
    if any(ord(c) < 32 or c == "\x7f" for c in text):
        text = "".join(_CONTROL.get(c, f"\\x{ord(c):02x}") if ord(c) < 32 or c == "\x7f" else c for c in text)
    if len(text) > MAX_CELL:
        return text[:MAX_CELL - 10] + "…", True
    return text, False


def format_table(columns: Sequence[str], rows: Iterable[Sequence[Any]]) -> str:
    return _table(columns, rows)[0]


def _table(columns: Sequence[str], rows: Iterable[Sequence[Any]]) -> tuple[str, int]:
    header = [c.upper() for c in columns]
    body = []
    cut = 0
    for r in rows:
        cells = []
        for c in r:
            text, was_cut = table_cell(c)
            cut += was_cut
            cells.append(text)
        body.append(cells)
    widths = [len(h) for h in header]
    for r in body:
        for i, c in enumerate(r):
            widths[i] = max(widths[i], len(c))
    lines = []
    for r in [header, ["=" * len(h) for h in header], *body]:
        lines.append(" ".join(c.ljust(widths[i]) for i, c in enumerate(r)).rstrip())
    return "\n".join(lines) + "\n", cut


def emit_listing(kind: str, columns: Sequence[str], rows: Sequence[Sequence[Any]], fmt: ListFormat | str,
                 *, records: list[dict] | None = None) -> None:
    """Print a listing.  ``records`` (richer, typed values) replace the cells in json/yaml output."""
    from kfctl.output.console import write

    fmt = ListFormat(fmt) if not isinstance(fmt, ListFormat) else fmt
    if fmt is ListFormat.table:
        text, cut = _table(columns, rows)
        write(text)
        if cut:
            from kfctl.output.console import note

            note(f"{cut} value{'s' if cut > 1 else ''} cut to {MAX_CELL} characters; -o json or -o yaml prints "
                 f"{'them' if cut > 1 else 'it'} whole")
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
