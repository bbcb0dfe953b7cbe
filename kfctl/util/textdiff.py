"""Unified diffs as text: of two texts (files), or of two objects shown as YAML."""

from __future__ import annotations

import difflib


def unified_text(old: str, new: str, fromfile: str, tofile: str) -> str:
    """``diff -u`` of two texts; a last line without a newline is marked as diff(1) does."""
    lines = difflib.unified_diff(old.splitlines(keepends=True), new.splitlines(keepends=True),
                                 fromfile=fromfile, tofile=tofile, n=3)
    return "".join(line if line.endswith("\n") else line + "\n\\ No newline at end of file\n" for line in lines)


def unified(left: dict | None, right: dict | None, left_name: str, right_name: str) -> str:
    """Unified diff of two objects as YAML (None: the object does not exist on that side)."""
    from kfctl.util.yamlio import dump_yaml

    return unified_text(dump_yaml(left) if left is not None else "", dump_yaml(right) if right is not None else "",
                        left_name, right_name)
