"""ksonnet prototype files: ``// @directive`` lines and the template body.

Format and parsing are ksonnet 0.13's (``pkg/prototype/jsonnet_parser.go``)::

    // @apiVersion 0.1
    // @name io.ksonnet.pkg.deployed-service
    // @description A deployment exposed with a service
    // @shortDescription A deployment exposed with a service
    // @param name string Name of the service and deployment resources
    // @optionalParam replicas number 1 Number of replicas
    <jsonnet template>

* A line ``//<whitespace>TEXT`` whose TEXT starts with ``@`` is a directive, wherever it is in the
  file; the comment lines right after it that are not directives continue it (joined by newlines).
  Every other line — blank lines, plain ``//`` comments, code — is the template, in file order.
* A directive's fields are split on single spaces, as ks did: ``@param NAME TYPE DESCRIPTION``,
  ``@optionalParam NAME TYPE DEFAULT DESCRIPTION``, so two spaces after TYPE mean an empty default
  (Kubeflow 0.4 ``modeldb``'s ``mongoDbService string  The name ...``) and the description is
  everything after the default.
* kfctl adds ``@alias NAME OTHER...``: ``--OTHER`` is accepted for parameter NAME (the built-ins
  accept ks 0.13's names for renamed parameters this way).

Parse errors name the file and line.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, field
from pathlib import Path

from kfctl.errors import KfctlError

PARAM_TYPES = ("string", "number", "numberOrString", "object", "array")
_KNOWN = {"apiVersion", "name", "description", "shortDescription", "param", "optionalParam", "alias"}
# ks: reCommentText = `\s*//\s+(.*?)$` (Go's \s: tab, newline, form feed, carriage return, space)
_COMMENT_TEXT = re.compile(r"^[\t\n\f\r ]*//[\t\n\f\r ]+(.*)$")


class PrototypeError(KfctlError):
    pass


@dataclass
class Param:
    name: str
    type: str
    description: str
    default: str | None = None  # the raw default token; None = required
    aliases: tuple[str, ...] = ()  # other flag names accepted for it (``@alias``)

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
    installed: bool = True  # False: offered by a registry whose package is not installed

    @property
    def short_name(self) -> str:
        return self.name.rsplit(".", 1)[-1] if self.name.startswith("io.ksonnet.pkg.") else self.name

    def param(self, name: str) -> Param | None:
        for p in self.params:
            if p.name == name:
                return p
        return None

    def aliases(self) -> dict[str, str]:
        """alias -> parameter name."""
        return {a: p.name for p in self.params for a in p.aliases}


def _is_number(s: str) -> bool:
    return re.fullmatch(r"\s*[-+]?(\d+(\.\d*)?|\.\d+)([eE][-+]?\d+)?\s*", s) is not None


def _comment_text(line: str) -> str:
    m = _COMMENT_TEXT.match(line)
    return m.group(1) if m else ""


def split_lines(text: str) -> list[str]:
    """ks split on newlines only (Go's strings.Split); CRLF files read like LF files."""
    return re.split(r"\r?\n", text)


def parse_prototype_text(text: str, path: Path, source: str = "builtin") -> Prototype:
    lines = split_lines(text)
    directives: list[tuple[str, int]] = []  # (text after '@', 1-based line)
    body: list[str] = []
    first_body: int | None = None
    i = 0
    while i < len(lines):
        t = _comment_text(lines[i])
        if t.startswith("@"):
            start, parts = i, [t[1:]]
            while i + 1 < len(lines):
                nxt = _comment_text(lines[i + 1])
                if not nxt or nxt.startswith("@"):
                    break
                i += 1
                parts.append(nxt)
            directives.append(("\n".join(parts), start + 1))
        else:
            if first_body is None:
                first_body = i
            body.append(lines[i])
        i += 1
    proto = Prototype(name="", path=path, source=source)
    where = str(path)
    aliases: list[tuple[str, list[str], int]] = []
    for src, lineno in directives:
        name, sep, value = src.partition(" ")
        if not sep:
            if name in _KNOWN:
                raise PrototypeError(f"{where}:{lineno}: @{name} needs a value")
            raise PrototypeError(f"{where}:{lineno}: unknown prototype directive @{name}")
        if name not in _KNOWN:
            raise PrototypeError(f"{where}:{lineno}: unknown prototype directive @{name}")
        if name == "apiVersion":
            proto.api_version = value.strip()
        elif name == "name":
            proto.name = value.strip()
        elif name == "description":
            proto.description = value.strip()
        elif name == "shortDescription":
            proto.short_description = value.strip()
        elif name == "param":
            parts = value.split(" ", 2)
            if len(parts) < 2:
                raise PrototypeError(f"{where}:{lineno}: @param needs 'NAME TYPE DESCRIPTION', got {value!r}")
            proto.params.append(_mkparam(parts[0], parts[1], parts[2] if len(parts) > 2 else "", None, where, lineno))
        elif name == "optionalParam":
            parts = value.split(" ", 3)
            if len(parts) < 3:
                raise PrototypeError(
                    f"{where}:{lineno}: @optionalParam needs 'NAME TYPE DEFAULT DESCRIPTION', got {value!r}")
            proto.params.append(_mkparam(parts[0], parts[1], parts[3] if len(parts) > 3 else "", parts[2], where, lineno))
        else:  # alias
            names = value.split()
            if len(names) < 2:
                raise PrototypeError(f"{where}:{lineno}: @alias needs 'NAME OTHER...', got {value!r}")
            aliases.append((names[0], names[1:], lineno))
    if not proto.name:
        raise PrototypeError(f"{where}:1: prototype has no '// @name' directive")
    seen = set()
    for p in proto.params:
        if p.name in seen:
            raise PrototypeError(f"{where}: parameter {p.name!r} declared twice")
        seen.add(p.name)
    for target, others, lineno in aliases:
        p = proto.param(target)
        if p is None:
            raise PrototypeError(f"{where}:{lineno}: @alias names no parameter {target!r}")
        for a in others:
            if a in seen:
                raise PrototypeError(f"{where}:{lineno}: alias {a!r} is already a parameter or alias")
            if not re.fullmatch(r"[A-Za-z_][A-Za-z0-9_]*", a):
                raise PrototypeError(f"{where}:{lineno}: alias {a!r} is not a valid identifier")
            seen.add(a)
        p.aliases = (*p.aliases, *others)
    proto.template = "\n".join(body)
    proto.template_line = (first_body if first_body is not None else len(lines)) + 1
    if not proto.short_description:
        proto.short_description = proto.description.split("\n")[0]
    return proto


def _mkparam(name: str, type_: str, desc: str, default: str | None, where: str, lineno: int) -> Param:
    if type_ not in PARAM_TYPES:
        raise PrototypeError(
            f"{where}:{lineno}: parameter {name!r} has unknown type {type_!r} (use {' | '.join(PARAM_TYPES)})")
    if not re.fullmatch(r"[A-Za-z_][A-Za-z0-9_]*", name):
        raise PrototypeError(f"{where}:{lineno}: parameter name {name!r} is not a valid identifier")
    # ks kept the description as written; continuation lines are joined with a space for one-line display
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
