"""YAML reading (fast, C loader), dumping (sorted keys, block style) and round-trip editing (comments and
layout survive)."""

from __future__ import annotations

from pathlib import Path
from typing import Any, Callable

from kfctl.util.fsutil import read_text, write_edit
from kfctl.errors import AppError

# PyYAML is imported on first use (~30 ms of regex compilation): `kfctl --help` never needs it


def __getattr__(name: str):
    if name in ("StrictLoader", "DuplicateKeyError"):
        return _strict()[name]
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


_STRICT: dict = {}


def _strict() -> dict:
    """The strict loader and its error class, built on first use."""
    if _STRICT:
        return _STRICT
    import yaml

    base = getattr(yaml, "CSafeLoader", yaml.SafeLoader)  # the C loader is ~10x faster

    class DuplicateKeyError(yaml.MarkedYAMLError):
        pass

    class StrictLoader(base):  # type: ignore[misc, valid-type]
        """The safe loader, except that a key given twice in one mapping is an error (PyYAML keeps the
        last one silently: a duplicated env in app.yaml would be read wrong without a word).  Keys merged
        in with ``<<`` may be overridden, as YAML intends."""

        def construct_mapping(self, node, deep=False):
            if isinstance(node, yaml.MappingNode):
                seen: dict = {}
                for key_node, _ in node.value:
                    if key_node.tag == "tag:yaml.org,2002:merge":
                        continue
                    key = self.construct_object(key_node, deep=True)
                    try:
                        first = seen.get(key)
                    except TypeError:  # an unhashable key: the base constructor says so
                        continue
                    if first is not None:
                        raise DuplicateKeyError(
                            problem=f"duplicate key {key!r} (first on line {first.start_mark.line + 1})",
                            problem_mark=key_node.start_mark)
                    seen[key] = key_node
            return super().construct_mapping(node, deep=deep)

    StrictLoader.add_constructor("tag:yaml.org,2002:map", StrictLoader.construct_yaml_map)
    _STRICT.update(StrictLoader=StrictLoader, DuplicateKeyError=DuplicateKeyError)
    return _STRICT


def yaml_problem(exc: yaml.YAMLError, source: str) -> str:
    """``source:line:col: what is wrong`` for a PyYAML error."""
    mark = getattr(exc, "problem_mark", None)
    where = f"{source}:{mark.line + 1}:{mark.column + 1}" if mark else source
    problem = getattr(exc, "problem", None) or str(exc).splitlines()[0]
    if isinstance(exc, _strict()["DuplicateKeyError"]):
        return f"{where}: {problem}"
    return f"{where}: malformed YAML: {problem}"


def load_yaml_text(text: str, source: str) -> Any:
    """One YAML document; malformed YAML and duplicate keys are one :class:`AppError` with file:line."""
    import yaml

    try:
        return yaml.load(text, Loader=_strict()["StrictLoader"])
    except yaml.YAMLError as exc:
        raise AppError(yaml_problem(exc, source)) from None


def load_yaml_all(text: str, source: str) -> list:
    """Every document of a multi-document stream (empty documents skipped), read like :func:`load_yaml_text`."""
    import yaml

    try:
        return [d for d in yaml.load_all(text, Loader=_strict()["StrictLoader"]) if d is not None]
    except yaml.YAMLError as exc:
        raise AppError(yaml_problem(exc, source)) from None


def load_json_text(text: str, source: str) -> Any:
    """JSON, with duplicate keys an error too (``json`` keeps the last one): its line comes from
    reading the text again as YAML, of which JSON is a subset."""
    import json

    def no_duplicates(pairs):
        keys = [k for k, _ in pairs]
        if len(set(keys)) != len(keys):
            raise _DuplicateJsonKey(next(k for k in keys if keys.count(k) > 1))
        return dict(pairs)

    try:
        return json.loads(text, object_pairs_hook=no_duplicates)
    except _DuplicateJsonKey as exc:
        try:
            load_yaml_text(text, source)
        except AppError as err:
            if "duplicate key" in err.message:
                raise
        raise AppError(f"{source}: duplicate key {exc.args[0]!r}") from None


class _DuplicateJsonKey(ValueError):
    pass


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
        load_yaml_text(original, str(path))  # malformed YAML and duplicate keys, said with file:line
        try:
            doc = rt.load(original)
        except Exception as exc:  # ruamel raises many types
            mark = getattr(exc, "problem_mark", None)
            where = f"{path}:{mark.line + 1}:{mark.column + 1}" if mark else str(path)
            raise AppError(f"{where}: malformed YAML: {getattr(exc, 'problem', None) or str(exc).splitlines()[0]}") \
                from None
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
        write_edit(path, original or "", text)


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
