"""Normalise engine error text into one shape.

One error shape for three engines.

Each engine words its failures differently:

* go-jsonnet: ``RUNTIME ERROR: msg`` then ``\\tpath:L:C-E\\tdescription`` frames; syntax errors are
  ``path:L:C-E msg`` followed by a source excerpt (or ``RUNTIME ERROR: path:L:C-E msg`` inside an import).
* C++ jsonnet: ``RUNTIME ERROR: msg`` / ``STATIC ERROR: path:L:C: msg.`` with the same tab frames.
* rjsonnet: ``runtime error: msg`` / ``syntax error: msg`` then ``    path:L:C-E: description`` frames (a
  stack overflow lists every frame).

:func:`normalize` turns all of them into ``path:line:col: message`` plus a short, relativised stack
trace, keeping the original text in :attr:`JsonnetError.raw`.
"""

from __future__ import annotations

import os
import re

from kfctl.jsonnet.errors import JsonnetError

_LOC = (r"(?P<path>\S.*?):(?:(?P<line>\d+):(?P<col>\d+)(?:-(?P<end>\d+))?"
        r"|\((?P<line2>\d+):(?P<col2>\d+)\)-\((?P<eline>\d+):(?P<ecol>\d+)\))")
_LOC_RE = re.compile(_LOC)
_HEAD_LOC_RE = re.compile(rf"^{_LOC}(?::\s+|\s+)(?P<msg>.*)$", re.S)
_PREFIXES = ("RUNTIME ERROR: ", "STATIC ERROR: ", "runtime error: ", "syntax error: ",
             "import_callback error: RuntimeError: ", "import_callback error: ")
_STDLIB_PATHS = {"std.jsonnet", "<std>", "<stdlib>", "<builtin>", "<extvar>"}
MAX_TRACE_LINES = 20


class _Frame:
    __slots__ = ("path", "line", "col", "span", "desc")

    def __init__(self, path: str | None, line: int | None, col: int | None, span: str, desc: str):
        self.path, self.line, self.col = path, line, col
        self.span = span  # the location text as printed, without the path
        self.desc = desc


def _strip_prefix(text: str) -> str:
    changed = True
    while changed:
        changed = False
        for p in _PREFIXES:
            if text.startswith(p):
                text, changed = text[len(p):], True
    return text


def _loc_parts(m: re.Match) -> tuple[str, int, int, str]:
    path = m.group("path")
    if m.group("line") is not None:
        line, col = int(m.group("line")), int(m.group("col"))
        span = f"{line}:{col}" + (f"-{m.group('end')}" if m.group("end") else "")
    else:
        line, col = int(m.group("line2")), int(m.group("col2"))
        span = f"({line}:{col})-({m.group('eline')}:{m.group('ecol')})"
    return path, line, col, span


def _parse_frame(text: str) -> _Frame:
    """A frame body (without indentation): ``loc<TAB>desc``, ``loc: desc``, ``loc`` or just ``desc``."""
    text = text.strip()
    m = _LOC_RE.match(text)
    if m:
        rest = text[m.end():]
        if rest == "" or rest[0] in "\t :":
            path, line, col, span = _loc_parts(m)
            desc = rest.lstrip("\t :").strip()
            return _Frame(path, line, col, span, desc)
    return _Frame(None, None, None, "", text.replace("\t", " ").strip())


def parse(raw: str) -> tuple[str, tuple[str, int, int] | None, list[_Frame]]:
    """Split engine error text into (message, static location or None, frames)."""
    lines = raw.replace("\r\n", "\n").rstrip("\n").split("\n")
    if _HEAD_LOC_RE.match(lines[0]):
        # go-jsonnet static error in the entry: "path:L:C-E msg", then a source excerpt (no frames)
        lines = lines[:1]
    head: list[str] = []
    frames: list[_Frame] = []
    i = 0
    while i < len(lines) and not (lines[i].startswith("\t") or lines[i].startswith("    ")):
        head.append(lines[i])
        i += 1
    for line in lines[i:]:
        if line.strip():
            frames.append(_parse_frame(line))
    message = _strip_prefix("\n".join(head).strip())
    loc = None
    m = _HEAD_LOC_RE.match(message)
    if m:
        path, line, col, _span = _loc_parts(m)
        loc = (path, line, col)
        # go-jsonnet prints a source excerpt after a static error; keep the first line only
        message = m.group("msg").split("\n", 1)[0].strip()
    elif frames and frames[0].path and not frames[0].desc and raw.lstrip().startswith("syntax error"):
        # rjsonnet: "syntax error: msg\n    path:L:C"
        f = frames.pop(0)
        loc = (f.path, f.line, f.col)
    return message, loc, frames


def _compress(lines: list[str]) -> list[str]:
    out: list[str] = []
    i = 0
    while i < len(lines):
        j = i
        while j + 1 < len(lines) and lines[j + 1] == lines[i]:
            j += 1
        out.append(lines[i])
        if j > i:
            out.append(f"  ... (previous frame repeated {j - i} more times)")
        i = j + 1
    if len(out) > MAX_TRACE_LINES:
        keep_tail = 5
        hidden = len(out) - MAX_TRACE_LINES
        out = out[: MAX_TRACE_LINES - keep_tail] + [f"  ... {hidden} more frames"] + out[-keep_tail:]
    return out


def normalize(raw: str, *, engine: str, display, entry_display: str, callback_error: str | None = None,
              hidden_paths: frozenset[str] = frozenset()) -> JsonnetError:
    """Build the JsonnetError for ``raw`` engine text.

    ``display(path) -> str`` relativises paths; ``callback_error`` is the message of an exception our own
    import/native callback raised during the evaluation (engines mangle those, so we use ours);
    frames in ``hidden_paths`` (the rjsonnet entry wrapper) are dropped.
    """
    message, loc, frames = parse(raw)
    frames = [f for f in frames if f.path not in hidden_paths]
    if callback_error:
        message = callback_error
    if loc is None:
        for f in frames:
            if f.path and os.path.basename(f.path) not in _STDLIB_PATHS and f.path not in _STDLIB_PATHS:
                loc = (f.path, f.line, f.col)
                break
    trace_lines = []
    for f in frames:
        if f.path:
            trace_lines.append(f"  {display(f.path)}:{f.span}" + (f"  {f.desc}" if f.desc else ""))
        elif f.desc:
            trace_lines.append(f"  {f.desc}")
    trace = _compress(trace_lines)
    if loc is not None:
        path, line, col = loc
        shown = display(path)
        first = f"{shown}:{line}:{col}: {message}"
    else:
        shown, line, col = entry_display, None, None
        first = f"{shown}: {message}"
    text = first + ("\n" + "\n".join(trace) if trace else "")
    return JsonnetError(text, raw=raw, engine=engine, path=shown, line=line, column=col, reason=message,
                        trace=tuple(trace))
