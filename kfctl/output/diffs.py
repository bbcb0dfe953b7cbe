"""Unified diffs of objects, coloured on a TTY."""

from __future__ import annotations

import difflib

from kfctl.output.formats import dump_yaml


def unified(left: dict | None, right: dict | None, left_name: str, right_name: str) -> str:
    a = dump_yaml(left).splitlines(keepends=True) if left is not None else []
    b = dump_yaml(right).splitlines(keepends=True) if right is not None else []
    return "".join(difflib.unified_diff(a, b, fromfile=left_name, tofile=right_name, n=3))


def print_diff(text: str) -> None:
    from kfctl.output.console import color_enabled, stdout, write

    if not color_enabled():
        write(text)
        return
    from rich.text import Text

    con = stdout()
    for line in text.splitlines():
        style = ("bold" if line.startswith(("---", "+++")) else "green" if line.startswith("+")
                 else "red" if line.startswith("-") else "cyan" if line.startswith("@@") else "")
        con.print(Text(line, style=style))
