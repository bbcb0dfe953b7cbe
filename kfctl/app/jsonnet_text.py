"""A small, exact scanner for jsonnet source text, for in-place edits of params files.

kfctl never reprints a params file (ksonnet did, and lost comments).  Instead it locates the
byte span of one field's value and splices new text there, so everything else — comments,
ordering, hand-written code — survives byte for byte.  This module knows just enough jsonnet
for that: tokens (strings of every kind, comments, text blocks), bracket matching, and the
fields of an object literal.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass

from kfctl.errors import AppError

_IDENT = re.compile(r"[A-Za-z_][A-Za-z0-9_]*")


class EditError(AppError):
    """The file cannot be edited safely; it is left untouched."""


def skip_trivia(s: str, i: int) -> int:
    """Skip whitespace and comments starting at i."""
    n = len(s)
    while i < n:
        c = s[i]
        if c in " \t\r\n":
            i += 1
        elif c == "#" or s.startswith("//", i):
            j = s.find("\n", i)
            i = n if j < 0 else j + 1
        elif s.startswith("/*", i):
            j = s.find("*/", i + 2)
            if j < 0:
                raise EditError("unterminated /* comment")
            i = j + 2
        else:
            break
    return i


def skip_string(s: str, i: int) -> int:
    """i at an opening quote (', ", @', @", |||); return index after the string."""
    if s.startswith("|||", i):
        # text block: ends at a line whose content is ||| (after indentation)
        m = re.compile(r"\n[ \t]*\|\|\|").search(s, i + 3)
        if not m:
            raise EditError("unterminated ||| text block")
        return m.end()
    verbatim = s[i] == "@"
    if verbatim:
        i += 1
    q = s[i]
    i += 1
    n = len(s)
    while i < n:
        c = s[i]
        if verbatim:
            if c == q:
                if i + 1 < n and s[i + 1] == q:
                    i += 2
                    continue
                return i + 1
        else:
            if c == "\\":
                i += 2
                continue
            if c == q:
                return i + 1
        i += 1
    raise EditError("unterminated string")


def is_string_start(s: str, i: int) -> bool:
    c = s[i]
    return c in "'\"" or (c == "@" and i + 1 < len(s) and s[i + 1] in "'\"") or s.startswith("|||", i)


def skip_non_code(s: str, i: int) -> int:
    """Past the whitespace, comments or string starting at i (i itself when code starts there)."""
    j = skip_trivia(s, i)
    if j == i and i < len(s) and is_string_start(s, i):
        return skip_string(s, i)
    return j


def code_positions(s: str, i: int = 0):
    """The indices, from i on, of characters that are code (not whitespace, a comment or in a string)."""
    n = len(s)
    while i < n:
        j = skip_non_code(s, i)
        if j != i:
            i = j
            continue
        yield i
        i += 1


def scan_expr_end(s: str, i: int, stops: str = ",}") -> int:
    """From i, find the end of an expression: the first char in ``stops`` at bracket depth 0
    (or the closing bracket of an enclosing level).  Strings and comments are skipped."""
    depth = 0
    for i in code_positions(s, i):
        c = s[i]
        if c in "([{":
            depth += 1
        elif c in ")]}":
            if depth == 0:
                return i
            depth -= 1
        elif depth == 0 and c in stops:
            return i
    return len(s)


def match_close(s: str, i: int) -> int:
    """i at an opening bracket; return the index of its matching close bracket."""
    end = scan_expr_end(s, i + 1, stops="")
    if end >= len(s):
        raise EditError("unbalanced brackets")
    return end


@dataclass
class Field:
    key: str
    key_start: int
    key_end: int
    op: str  # ':', '::', ':::', '+:', '+::', '+:::'
    value_start: int
    value_end: int  # exclusive, trailing whitespace trimmed
    comma_end: int | None  # index just after the field's comma, if any

    def is_object_value(self, s: str) -> bool:
        return s[self.value_start] == "{"


@dataclass
class ObjectLiteral:
    open: int   # index of '{'
    close: int  # index of '}'
    fields: list[Field]
    other: list[str]  # constructs that are not plain fields (local, assert, comprehension)

    def get(self, key: str) -> Field | None:
        found = [f for f in self.fields if f.key == key]
        return found[-1] if found else None


def keyword_at(s: str, i: int, kw: str) -> bool:
    end = i + len(kw)
    return s.startswith(kw, i) and (end >= len(s) or not (s[end].isalnum() or s[end] == "_"))


def parse_key(s: str, i: int) -> tuple[str, int] | None:
    if is_string_start(s, i) and not s.startswith("|||", i):
        end = skip_string(s, i)
        raw = s[i:end]
        if raw.startswith("@"):
            q = raw[1]
            return raw[2:-1].replace(q + q, q), end
        if raw[0] == "'":
            body = raw[1:-1].replace('\\"', '"').replace("\\'", "'")
            try:
                return json.loads('"' + body.replace('"', '\\"') + '"'), end
            except ValueError:
                return body, end
        try:
            return json.loads(raw), end
        except ValueError:
            return raw[1:-1], end
    m = _IDENT.match(s, i)
    if m:
        return m.group(0), m.end()
    return None


def parse_object(s: str, open_idx: int) -> ObjectLiteral:
    if s[open_idx] != "{":
        raise EditError("expected an object literal")
    close = match_close(s, open_idx)
    fields: list[Field] = []
    other: list[str] = []
    i = open_idx + 1
    while True:
        i = skip_trivia(s, i)
        if i >= close:
            break
        if keyword_at(s, i, "local"):
            other.append("local")
            end = scan_expr_end(s, i, stops=",")
            i = end + 1 if end < close and s[end] == "," else end
            continue
        if keyword_at(s, i, "assert"):
            other.append("assert")
            end = scan_expr_end(s, i, stops=",")
            i = end + 1 if end < close and s[end] == "," else end
            continue
        if s[i] == "[":
            other.append("computed field")
            end = match_close(s, i)
            i = end + 1
            # skip to the separating comma (or comprehension 'for' ... up to close)
            end = scan_expr_end(s, i, stops=",")
            i = end + 1 if end < close and s[end] == "," else end
            continue
        parsed = parse_key(s, i)
        if parsed is None:
            raise EditError(f"unexpected text {s[i:i + 20]!r} in an object")
        key, kend = parsed
        j = skip_trivia(s, kend)
        # method field: name(args): ...
        if j < close and s[j] == "(":
            j = skip_trivia(s, match_close(s, j) + 1)
        m = re.compile(r"\+?:{1,3}").match(s, j)
        if not m:
            raise EditError(f"expected ':' after field {key!r}")
        op = m.group(0)
        vstart = skip_trivia(s, m.end())
        vend = scan_expr_end(s, vstart)
        comma_end = None
        trimmed = vend
        while trimmed > vstart and s[trimmed - 1] in " \t\r\n":
            trimmed -= 1
        # trailing comments before the comma belong to the value's span only if inside; trim them
        fields.append(Field(key, i, kend, op, vstart, trimmed, None))
        if vend < close and s[vend] == ",":
            comma_end = vend + 1
            fields[-1].comma_end = comma_end
            i = vend + 1
        else:
            i = vend
            if i < close:
                raise EditError(f"cannot parse the value of field {key!r}")
    return ObjectLiteral(open_idx, close, fields, other)


def value_text_end(s: str, f: Field) -> int:
    """End of the value without trailing comments (for replacement)."""
    # value_end already trims whitespace; trim a trailing line comment run too
    return f.value_end


def format_key(key: str) -> str:
    if _IDENT.fullmatch(key) and key not in _KEYWORDS:
        return key
    return json.dumps(key)


_KEYWORDS = {"assert", "else", "error", "false", "for", "function", "if", "import", "importstr", "importbin", "in",
             "local", "null", "tailstrict", "then", "self", "super", "true"}


def to_jsonnet(value) -> str:
    """Exact jsonnet text for a JSON value (strings double-quoted and escaped).  A number jsonnet cannot
    hold (NaN, Infinity, beyond ±1.8e308) is refused: written, it would break every later render."""
    from kfctl.errors import UsageError
    from kfctl.util.numbers import problem

    bad = problem(value)
    if bad:
        raise UsageError(bad)
    return json.dumps(value, ensure_ascii=False, sort_keys=False)


def line_start(s: str, i: int) -> int:
    return s.rfind("\n", 0, i) + 1


def indent_of_line(s: str, i: int) -> str:
    ls = line_start(s, i)
    j = ls
    while j < len(s) and s[j] in " \t":
        j += 1
    return s[ls:j]


def insert_fields(s: str, obj: ObjectLiteral, lines: list[str], *, child_indent: str | None = None) -> str:
    """Insert ``lines`` (each a complete ``key: value,`` text, may be multi-line) as the last fields
    of ``obj``.  Keeps the file's layout: one field per line, indented like its siblings."""
    close = obj.close
    close_indent = indent_of_line(s, close)
    if child_indent is None:
        if obj.fields:
            child_indent = indent_of_line(s, obj.fields[-1].key_start)
            if line_start(s, obj.fields[-1].key_start) <= obj.open:  # fields on the same line as '{'
                child_indent = close_indent + "  "
        else:
            child_indent = close_indent + "  "
    block = "".join(child_indent + ln.replace("\n", "\n" + child_indent) + "\n" for ln in lines)
    # add a comma after the last field if it has none
    prefix_fix = None
    if obj.fields and obj.fields[-1].comma_end is None:
        prefix_fix = obj.fields[-1].value_end
    only_ws_before_close = s[line_start(s, close):close].strip() == ""
    if only_ws_before_close and line_start(s, close) > obj.open:
        pos = line_start(s, close)
        out = s[:pos] + block + s[pos:]
    else:
        out = s[:close] + "\n" + block + close_indent + s[close:]
    if prefix_fix is not None:
        out = out[:prefix_fix] + "," + out[prefix_fix:]
    return out


def remove_field(s: str, obj: ObjectLiteral, f: Field) -> str:
    """Remove a field and its comma; if it sits on its own line(s), remove those lines."""
    start = f.key_start
    end = f.comma_end if f.comma_end is not None else f.value_end
    ls = line_start(s, start)
    if s[ls:start].strip() == "":
        # swallow trailing spaces and the newline after the field
        j = end
        while j < len(s) and s[j] in " \t":
            j += 1
        if j < len(s) and s[j] == "\n":
            return s[:ls] + s[j + 1:]
        return s[:ls] + s[j:]
    return s[:start] + s[end:].lstrip(" ")


def find_top_object(s: str, what: str) -> int:
    """Index of the '{' of the top-level object literal, skipping leading ``local ...;`` bindings."""
    i = skip_trivia(s, 0)
    while keyword_at(s, i, "local"):
        end = scan_expr_end(s, i, stops=";")
        if end >= len(s):
            raise EditError(f"{what}: cannot find the end of a top-level 'local' binding")
        i = skip_trivia(s, end + 1)
    if i >= len(s) or s[i] != "{":
        raise EditError(f"{what}: the top-level expression is not an object literal")
    end = match_close(s, i)
    rest = skip_trivia(s, end + 1)
    if rest < len(s):
        raise EditError(f"{what}: the top-level object is followed by more code ({s[rest:rest + 20].strip()!r}...)")
    return i


def find_pattern_outside_strings(s: str, pattern: re.Pattern) -> re.Match | None:
    """First match of ``pattern`` that does not start inside a comment or string."""
    for i in code_positions(s):
        m = pattern.match(s, i)
        if m:
            return m
    return None


_NUMBER = re.compile(r"\d+(\.\d+)?([eE][-+]?\d+)?|(NaN|Infinity)(?![A-Za-z0-9_])")


def number_literals(s: str) -> list[str]:
    """The number literals of jsonnet text ``s`` (outside strings and comments), as written — and the
    words ``NaN`` and ``Infinity``, which JSON tools write for numbers jsonnet has no literal for."""
    out: list[str] = []
    i, n = 0, len(s)
    while i < n:
        j = skip_trivia(s, i)
        if j != i:
            i = j
            continue
        if is_string_start(s, i):
            i = skip_string(s, i)
            continue
        m = _NUMBER.match(s, i)
        if m and (i == 0 or not (s[i - 1].isalnum() or s[i - 1] in "_.")):
            out.append(m.group(0))
            i = m.end()
            continue
        i += 1
    return out
