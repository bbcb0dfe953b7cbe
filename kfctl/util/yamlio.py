"""YAML reading (fast, C loader), dumping (sorted keys, block style) and round-trip editing (comments and
layout survive)."""

from __future__ import annotations

from pathlib import Path
from typing import Any, Callable

from kfctl.util.fsutil import atomic_write, read_text
from kfctl.errors import AppError

# PyYAML is imported on first use (~30 ms of regex compilation): `kfctl --help` never needs it


def load_yaml_text(text: str, source: str) -> Any:
    import yaml

    loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)  # the C loader is ~10x faster
    try:
        return yaml.load(text, Loader=loader)
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        where = f"{source}:{mark.line + 1}:{mark.column + 1}" if mark else source
        problem = getattr(exc, "problem", None) or str(exc).splitlines()[0]
        raise AppError(f"{where}: malformed YAML: {problem}") from None


def load_yaml_file(path: Path) -> Any:
    return load_yaml_text(read_text(path), str(path))


def _roundtrip():
    from ruamel.yaml import YAML

    rt = YAML(typ="rt")
    rt.preserve_quotes = True
    rt.width = 4096
    rt.indent(mapping=2, sequence=2, offset=0)
    return rt


def edit_yaml_file(path: Path, edit: Callable[[Any], None], *, create: Any = None) -> None:
    """Load ``path`` with a round-trip loader, let ``edit`` mutate it, write it back atomically.

    Keys, comments and formatting that ``edit`` does not touch survive.  If the edit changes
    nothing, the file is not rewritten at all.
    """
    import io

    rt = _roundtrip()
    if path.exists():
        original = read_text(path)
        try:
            doc = rt.load(original)
        except Exception as exc:  # ruamel raises many types
            raise AppError(f"{path}: malformed YAML: {str(exc).splitlines()[0]}") from None
    else:
        original = None
        doc = create
    if doc is None:
        doc = rt.load("{}")
    edit(doc)
    buf = io.StringIO()
    rt.dump(doc, buf)
    text = buf.getvalue()
    if text != original:
        atomic_write(path, text)


def new_map(items: dict | None = None):
    """A ruamel CommentedMap (keeps insertion order, dumps in block style)."""
    from ruamel.yaml.comments import CommentedMap

    m = CommentedMap()
    for k, v in (items or {}).items():
        m[k] = new_map(v) if isinstance(v, dict) else v
    return m


def dump_yaml(data: Any) -> str:
    """Block-style YAML with sorted keys (what ``show`` prints and ``export`` writes).

    :mod:`kfctl.util.yamlfast` writes the same bytes as PyYAML's C dumper for plain data, faster."""
    from kfctl.util.yamlfast import dump

    text = dump(data)
    if text is not None:
        return text
    import yaml

    dumper = getattr(yaml, "CSafeDumper", yaml.SafeDumper)
    return yaml.dump(data, Dumper=dumper, default_flow_style=False, sort_keys=True, allow_unicode=True, width=1 << 20)


def dump_json(data: Any) -> str:
    """Indented JSON with sorted keys and a trailing newline (orjson, byte-identical to ``json``)."""
    from kfctl.util.jsonfast import dumps_indented

    return dumps_indented(data) + "\n"
