"""Native functions every engine gets (the names and semantics Tanka/qbec use).

Call them from Jsonnet as ``std.native("parseYaml")(text)``.  Arguments are strings (go-jsonnet and C++
jsonnet only pass primitives to native functions); results are plain JSON values.
"""

from __future__ import annotations

import json
import re
from functools import lru_cache
from typing import Any, Callable

_GO_META = set("\\.+*?()|[]{}^$")


def _str_arg(fn: str, name: str, value: Any) -> str:
    if not isinstance(value, str):
        kind = {bool: "boolean", int: "number", float: "number", type(None): "null", list: "array",
                dict: "object"}.get(type(value), type(value).__name__)
        raise TypeError(f'std.native("{fn}"): argument {name} must be a string, got {kind}')
    return value


@lru_cache(maxsize=1)
def _yaml_loader():
    """SafeLoader (C-accelerated when available) that keeps timestamps as strings, like ghodss/yaml."""
    from kfctl.util.yamlio import StrictLoader as base  # a key given twice is an error (as yaml.v3 in Tanka)

    class Loader(base):  # type: ignore[misc, valid-type]
        pass

    Loader.yaml_implicit_resolvers = {
        ch: [(tag, rx) for tag, rx in resolvers if tag != "tag:yaml.org,2002:timestamp"]
        for ch, resolvers in base.yaml_implicit_resolvers.items()
    }
    return Loader


def _jsonable(value: Any) -> Any:
    if isinstance(value, dict):
        return {str(k) if not isinstance(k, str) else k: _jsonable(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_jsonable(v) for v in value]
    if isinstance(value, (str, int, float, bool)) or value is None:
        return value
    if isinstance(value, bytes):
        import base64

        return base64.b64encode(value).decode()
    return str(value)


def parse_yaml(text: str) -> list:
    """Multi-document YAML → array of documents (empty documents are skipped), as Tanka does."""
    import yaml

    text = _str_arg("parseYaml", "yaml", text)
    try:
        docs = list(yaml.load_all(text, Loader=_yaml_loader()))
    except yaml.YAMLError as exc:
        detail = " ".join(str(exc).replace(' in "<unicode string>",', " at").split())
        raise ValueError(f"parseYaml: {detail}") from None
    return [_jsonable(d) for d in docs if d is not None]


class LocatedError(ValueError):
    """A native's error that already says ``file:line:col: what``: shown as it is, in place of the
    location of the call (which is kfctl's generated code, not the user's)."""


def component_yaml(text: str, where: str) -> list:
    """A YAML component file → its documents, like ``parseYaml``; errors name the file and line."""
    import yaml

    text = _str_arg("__kfctlComponentYaml", "yaml", text)
    try:
        docs = list(yaml.load_all(text, Loader=_yaml_loader()))
    except yaml.YAMLError as exc:
        from kfctl.util.yamlio import yaml_problem

        raise LocatedError(yaml_problem(exc, where)) from None
    return [_jsonable(d) for d in docs if d is not None]


def parse_json(text: str) -> Any:
    text = _str_arg("parseJson", "json", text)
    try:
        return json.loads(text)
    except json.JSONDecodeError as exc:
        raise ValueError(f"parseJson: {exc}") from None


def manifest_yaml_from_json(text: str) -> str:
    """JSON text → YAML text (keys sorted, block style), like Tanka's ``yaml.Marshal`` of the decoded JSON."""
    import yaml

    text = _str_arg("manifestYamlFromJson", "json", text)
    try:
        value = json.loads(text)
    except json.JSONDecodeError as exc:
        raise ValueError(f"manifestYamlFromJson: {exc}") from None
    dumper = getattr(yaml, "CSafeDumper", yaml.SafeDumper)
    return yaml.dump(value, Dumper=dumper, default_flow_style=False, sort_keys=True, allow_unicode=True,
                     width=1 << 30)


def sha256(text: str) -> str:
    import hashlib

    return hashlib.sha256(_str_arg("sha256", "str", text).encode()).hexdigest()


@lru_cache(maxsize=256)
def _compile(pattern: str) -> re.Pattern:
    try:
        return re.compile(pattern)
    except re.error as exc:
        raise ValueError(f"invalid regular expression {pattern!r}: {exc}") from None


def regex_match(regex: str, string: str) -> bool:
    """Go ``regexp.MatchString``: true when the pattern matches anywhere in the string."""
    return _compile(_str_arg("regexMatch", "regex", regex)).search(_str_arg("regexMatch", "string", string)) \
        is not None


def _go_expand(template: str, m: re.Match) -> str:
    """Go ``Regexp.Expand`` semantics: ``$1``, ``${1}``, ``$name``, ``${name}``, ``$$``; unknown groups → ''."""
    out: list[str] = []
    i, n = 0, len(template)
    while i < n:
        ch = template[i]
        if ch != "$" or i + 1 >= n:
            out.append(ch)
            i += 1
            continue
        nxt = template[i + 1]
        if nxt == "$":
            out.append("$")
            i += 2
            continue
        if nxt == "{":
            end = template.find("}", i + 2)
            name = template[i + 2:end] if end != -1 else ""
            if end == -1 or not re.fullmatch(r"\w+", name):
                out.append(ch)
                i += 1
                continue
            i = end + 1
        else:
            mm = re.match(r"\w+", template[i + 1:])
            if not mm:
                out.append(ch)
                i += 1
                continue
            name = mm.group(0)
            i += 1 + len(name)
        try:
            group = m.group(int(name) if name.isdigit() else name)
        except IndexError:  # no such group
            group = None
        out.append(group or "")
    return "".join(out)


def regex_subst(regex: str, src: str, repl: str) -> str:
    """Go ``regexp.ReplaceAllString(src, repl)`` (``$1``/``${name}`` in ``repl`` expand to groups)."""
    pattern = _compile(_str_arg("regexSubst", "regex", regex))
    repl = _str_arg("regexSubst", "repl", repl)
    return pattern.sub(lambda m: _go_expand(repl, m), _str_arg("regexSubst", "src", src))


def escape_string_regex(text: str) -> str:
    """Go ``regexp.QuoteMeta``: backslash-escape exactly ``\\.+*?()|[]{}^$``."""
    return "".join("\\" + c if c in _GO_META else c for c in _str_arg("escapeStringRegex", "str", text))


NATIVES: dict[str, tuple[tuple[str, ...], Callable]] = {
    "parseYaml": (("yaml",), parse_yaml),
    "parseJson": (("json",), parse_json),
    "manifestYamlFromJson": (("json",), manifest_yaml_from_json),
    "sha256": (("str",), sha256),
    "regexMatch": (("regex", "string"), regex_match),
    "regexSubst": (("regex", "src", "repl"), regex_subst),
    "escapeStringRegex": (("str",), escape_string_regex),
    "__kfctlComponentYaml": (("yaml", "where"), component_yaml),  # kfctl's own, for YAML components
}
