"""Label and field selectors with the real API server's syntax and semantics."""

from __future__ import annotations

import re
from typing import Callable

from .errors import bad_request

_TOKEN = re.compile(r"\s*(!=|==|=|!|\(|\)|,|[A-Za-z0-9_./-]+)")


def _split_top(expr: str) -> list[str]:
    """Split on commas that are not inside parentheses."""
    parts, depth, cur = [], 0, ""
    for ch in expr:
        if ch == "(":
            depth += 1
        elif ch == ")":
            depth -= 1
        if ch == "," and depth == 0:
            parts.append(cur)
            cur = ""
        else:
            cur += ch
    parts.append(cur)
    return [p.strip() for p in parts if p.strip()]


_SET_RE = re.compile(r"^([A-Za-z0-9_./-]+)\s+(in|notin)\s+\(([^)]*)\)$")
_EQ_RE = re.compile(r"^([A-Za-z0-9_./-]+)\s*(==|=|!=)\s*([A-Za-z0-9_.-]*)$")
_KEY_RE = re.compile(r"^(!?)\s*([A-Za-z0-9_./-]+)$")


def parse_label_selector(expr: str | None) -> Callable[[dict], bool]:
    if not expr:
        return lambda labels: True
    tests = []
    for req in _split_top(expr):
        if m := _SET_RE.match(req):
            key, op, vals = m.group(1), m.group(2), {v.strip() for v in m.group(3).split(",") if v.strip()}
            if op == "in":
                tests.append(lambda l, k=key, vs=vals: k in l and l[k] in vs)
            else:
                tests.append(lambda l, k=key, vs=vals: k not in l or l[k] not in vs)
        elif m := _EQ_RE.match(req):
            key, op, val = m.groups()
            if op == "!=":
                tests.append(lambda l, k=key, v=val: l.get(k) != v)
            else:
                tests.append(lambda l, k=key, v=val: k in l and l[k] == v)
        elif m := _KEY_RE.match(req):
            neg, key = m.groups()
            tests.append((lambda l, k=key: k not in l) if neg else (lambda l, k=key: k in l))
        else:
            raise bad_request(f'unable to parse requirement: found \'{req}\', expected: in, notin, =, ==, !=, gt, lt')
    return lambda labels: all(t(labels or {}) for t in tests)


_FIELD_RE = re.compile(r"^([A-Za-z0-9_.]+)\s*(==|=|!=)\s*(.*)$")


def parse_field_selector(expr: str | None) -> Callable[[dict], bool]:
    if not expr:
        return lambda obj: True
    tests = []
    for req in _split_top(expr):
        m = _FIELD_RE.match(req)
        if not m:
            raise bad_request(f'invalid selector: \'{expr}\'; can\'t understand \'{req}\'')
        path, op, val = m.groups()
        if path not in ("metadata.name", "metadata.namespace", "status.phase", "spec.nodeName", "type",
                        "involvedObject.name", "involvedObject.kind", "involvedObject.namespace"):
            raise bad_request(f'"{path}" is not a known field selector: only "metadata.name", "metadata.namespace"')

        def get(obj: dict, p: str = path) -> str:
            cur = obj
            for part in p.split("."):
                cur = cur.get(part) if isinstance(cur, dict) else None
            return "" if cur is None else str(cur)
        if op == "!=":
            tests.append(lambda o, g=get, v=val: g(o) != v)
        else:
            tests.append(lambda o, g=get, v=val: g(o) == v)
    return lambda obj: all(t(obj) for t in tests)
