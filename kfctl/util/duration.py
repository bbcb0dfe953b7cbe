"""Durations as kubectl takes them: ``30s``, ``5m``, ``1h30m``, ``250ms``, or plain seconds."""

from __future__ import annotations

import re

from kfctl.errors import UsageError


def parse_duration(text: str) -> float:
    total, pos = 0.0, 0
    for m in re.finditer(r"(\d+(?:\.\d+)?)(ms|h|m|s)", text):
        if m.start() != pos:
            break
        total += float(m.group(1)) * {"ms": 0.001, "s": 1, "m": 60, "h": 3600}[m.group(2)]
        pos = m.end()
    if pos != len(text) or not text:
        if re.fullmatch(r"\d+(\.\d+)?", text or ""):
            return float(text)
        raise UsageError(f"invalid duration {text!r}: use e.g. 30s, 5m, 1h30m")
    return total


def parse_request_timeout(text: str, command: str) -> float:
    """``--request-timeout`` as kubectl takes it: ``0`` (no limit), ``30s``, ``2m``, or plain seconds."""
    try:
        seconds = parse_duration(text.strip())
    except UsageError:
        seconds = -1.0
    if seconds < 0:
        raise UsageError(f"invalid --request-timeout {text!r}: use e.g. 0 (no limit), 30s, 2m",
                         hint=f"see 'kfctl {command} --help'")
    return seconds
