"""The one printer of diffs: unified diffs (coloured on a TTY) and the summary line."""

from __future__ import annotations

from typing import Iterable


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


def print_diff_report(texts: Iterable[str], line: str, *, summary: bool) -> None:
    """Every diff on stdout, then ``line`` on stderr; with ``summary`` only ``line``, on stdout."""
    from kfctl.output.console import info, write

    if summary:
        write(line)
        return
    for text in texts:
        print_diff(text)
    info(line)
