"""ksonnet prototype files: the ``// @directive`` header and the template body.

Format (ksonnet ``pkg/prototype/jsonnet_parser.go``)::

    // @apiVersion 0.1
    // @name io.ksonnet.pkg.deployed-service
    // @description A deployment exposed with a service
    // @shortDescription A deployment exposed with a service
    // @param name string Name of the service and deployment resources
    // @optionalParam replicas number 1 Number of replicas
    <jsonnet template>

A directive continues onto following comment lines that are not directives.  Every other line
is the template.  Parse errors name the file and line.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, field
from pathlib import Path

from kfctl.errors import KfctlError

PARAM_TYPES = ("string", "number", "numberOrString", "object", "array")
_KNOWN = {"apiVersion", "name", "description", "shortDescription", "param", "optionalParam"}
_DIRECTIVE = re.compile(r"^\s*//\s*@(\w+)\s*(.*?)\s*$")
_COMMENT = re.compile(r"^\s*//\s*(.*?)\s*$")


class PrototypeError(KfctlError):
    pass


@dataclass
class Param:
    name: str
    type: str
    description: str
    default: str | None = None  # the raw default token; None = required

    @property
    def required(self) -> bool:
        return self.default is None

    def quote(self, value: str, *, source: str = "") -> str:
        """Jsonnet text for ``value`` by the declared type, as ksonnet's ParamSchema.Quote did —
        except that strings are escaped properly (ksonnet wrote them raw, breaking on quotes)."""
        from kfctl.util.numbers import text_problem

        if self.type == "number":
            if not _is_number(value):
                raise PrototypeError(f"{source}--{self.name}={value!r}: not a number (the prototype declares it as number)")
            if text_problem(value):
                raise PrototypeError(f"{source}--{self.name}={value!r}: {text_problem(value)}")
            return value.strip()
        if self.type == "numberOrString":
            if _is_number(value) and text_problem(value):
                raise PrototypeError(f"{source}--{self.name}={value!r}: {text_problem(value)}")
            return value.strip() if _is_number(value) else json.dumps(value)
        if self.type in ("object", "array"):
            return value.strip()
        return json.dumps(value)


@dataclass
class Prototype:
    name: str
    path: Path
    api_version: str = "0.1"
    description: str = ""
    short_description: str = ""
    params: list[Param] = field(default_factory=list)
    template: str = ""
    template_line: int = 1  # 1-based line of the template's first line in the file
    source: str = "builtin"  # builtin | <registry>/<package> | app

    @property
    def short_name(self) -> str:
        return self.name.rsplit(".", 1)[-1] if self.name.startswith("io.ksonnet.pkg.") else self.name

    def param(self, name: str) -> Param | None:
        for p in self.params:
            if p.name == name:
                return p
        return None


def _is_number(s: str) -> bool:
    return re.fullmatch(r"\s*[-+]?(\d+(\.\d*)?|\.\d+)([eE][-+]?\d+)?\s*", s) is not None


def parse_prototype_text(text: str, path: Path, source: str = "builtin") -> Prototype:
    lines = text.splitlines()
    directives: list[tuple[str, str, int]] = []
    body_start = None
    for i, line in enumerate(lines):
        m = _DIRECTIVE.match(line)
        if m:
            directives.append((m.group(1), m.group(2), i + 1))
            continue
        c = _COMMENT.match(line)
        if c and directives and body_start is None:
            # continuation of the previous directive
            name, value, lineno = directives[-1]
            directives[-1] = (name, (value + "\n" + c.group(1)).strip(), lineno)
            continue
        if not line.strip() and body_start is None and directives:
            continue
        body_start = i
        break
    if body_start is None:
        body_start = len(lines)
    proto = Prototype(name="", path=path, source=source)
    where = str(path)
    for name, value, lineno in directives:
        if name not in _KNOWN:
            raise PrototypeError(f"{where}:{lineno}: unknown prototype directive @{name}")
        if name == "apiVersion":
            proto.api_version = value
        elif name == "name":
            proto.name = value.strip()
        elif name == "description":
            proto.description = value
        elif name == "shortDescription":
            proto.short_description = value
        elif name == "param":
            parts = value.split(None, 2)
            if len(parts) < 2:
                raise PrototypeError(f"{where}:{lineno}: @param needs 'NAME TYPE DESCRIPTION', got {value!r}")
            proto.params.append(_mkparam(parts[0], parts[1], parts[2] if len(parts) > 2 else "", None, where, lineno))
        elif name == "optionalParam":
            parts = value.split(None, 3)
            if len(parts) < 3:
                raise PrototypeError(
                    f"{where}:{lineno}: @optionalParam needs 'NAME TYPE DEFAULT DESCRIPTION', got {value!r}")
            proto.params.append(_mkparam(parts[0], parts[1], parts[3] if len(parts) > 3 else "", parts[2], where, lineno))
    if not proto.name:
        raise PrototypeError(f"{where}:1: prototype has no '// @name' directive")
    seen = set()
    for p in proto.params:
        if p.name in seen:
            raise PrototypeError(f"{where}: parameter {p.name!r} declared twice")
        seen.add(p.name)
    proto.template = "\n".join(lines[body_start:]) + ("\n" if text.endswith("\n") else "")
    proto.template_line = body_start + 1
    if not proto.short_description:
        proto.short_description = proto.description.split("\n")[0]
    return proto


def _mkparam(name: str, type_: str, desc: str, default: str | None, where: str, lineno: int) -> Param:
    if type_ not in PARAM_TYPES:
        raise PrototypeError(
            f"{where}:{lineno}: parameter {name!r} has unknown type {type_!r} (use {' | '.join(PARAM_TYPES)})")
    if not re.fullmatch(r"[A-Za-z_][A-Za-z0-9_]*", name):
        raise PrototypeError(f"{where}:{lineno}: parameter name {name!r} is not a valid identifier")
    return Param(name=name, type=type_, description=desc.replace("\n", " ").strip(), default=default)


def parse_prototype(path: Path, source: str = "builtin") -> Prototype:
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise PrototypeError(f"{path}: cannot read prototype: {exc}") from None
    return parse_prototype_text(text, path, source)


# --------------------------------------------------------------------------- expansion
_PARAM_IMPORT = re.compile(r"""import\s+(//.*?\n\s*)?['"]param://(\w+)['"]""", re.S)
_ENV_IMPORT = re.compile(r"""import\s+(//.*?\n\s*)?['"]env://(\w+)['"]""", re.S)
_IDENT = re.compile(r"^[A-Za-z_][A-Za-z0-9_]*$")


def component_key(name: str) -> str:
    return f".{name}" if _IDENT.match(name) else f"[{json.dumps(name)}]"


def rewrite_param_imports(text: str) -> str:
    """``import 'param://x'`` → ``params.x``; ``import 'env://x'`` → ``env.x`` (ksonnet's regexes)."""
    text = _PARAM_IMPORT.sub(lambda m: f"params.{m.group(2)}", text)
    return _ENV_IMPORT.sub(lambda m: f"env.{m.group(2)}", text)


def expand(proto: Prototype, component: str) -> str:
    """The component file ksonnet's ``generate`` wrote: header lines + rewritten template."""
    header = (
        'local env = std.extVar("__ksonnet/environments");\n'
        f'local params = std.extVar("__ksonnet/params").components{component_key(component)};\n'
    )
    return header + rewrite_param_imports(proto.template)
