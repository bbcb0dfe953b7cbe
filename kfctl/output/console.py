"""stdout for results, stderr for logs; colour only on a TTY and never with NO_COLOR/--no-color."""

from __future__ import annotations

import os
import sys
from functools import cache

_settings = {"color": None, "verbose": 0}


def configure(*, color: bool | None = None, verbose: int = 0) -> None:
    _settings["color"] = color
    _settings["verbose"] = verbose
    stdout.cache_clear()
    stderr.cache_clear()


def color_enabled(stream=None) -> bool:
    if _settings["color"] is False or os.environ.get("NO_COLOR"):
        return False
    if _settings["color"] is True:
        return True
    stream = stream or sys.stdout
    return bool(getattr(stream, "isatty", lambda: False)())


def verbosity() -> int:
    return int(_settings["verbose"] or 0)


@cache
def stdout():
    from rich.console import Console

    # no file= : rich then writes to whatever sys.stdout is at the time (tests swap it)
    return Console(no_color=not color_enabled(sys.stdout), highlight=False,
                   force_terminal=color_enabled(sys.stdout) or None, soft_wrap=True)


@cache
def stderr():
    from rich.console import Console

    return Console(stderr=True, no_color=not color_enabled(sys.stderr), highlight=False,
                   force_terminal=color_enabled(sys.stderr) or None, soft_wrap=True)


def write(text: str) -> None:
    """Raw text to stdout (no markup processing), e.g. YAML documents."""
    sys.stdout.write(text)
    if text and not text.endswith("\n"):
        sys.stdout.write("\n")
    sys.stdout.flush()


def _log(prefix: str, style: str, message: str) -> None:
    from rich.markup import escape

    stderr().print(f"[{style}]{prefix}[/{style}] {escape(message)}" if prefix else escape(message))


def info(message: str) -> None:
    _log("", "", message)


def success(message: str) -> None:
    _log("✓", "green", message)


_warned: set[str] = set()


def warn(message: str) -> None:
    """``warning: message`` on stderr — once per process: the same warning reached by two paths
    (a library generated for two evaluations) is said once."""
    if message in _warned:
        return
    _warned.add(message)
    _log("warning:", "yellow", message)


def note(message: str) -> None:
    _log("note:", "bold", message)


def debug(message: str) -> None:
    if verbosity() > 0:
        _log("debug:", "dim", message)


def error(message: str) -> None:
    _log("error:", "bold red", message)


def log_handler():
    """A :mod:`logging` handler that shows records of the ``kfctl`` loggers (lower layers) like every
    other message: warnings as ``warning: ...``, debug only with ``-v``."""
    import logging

    class _Console(logging.Handler):
        def emit(self, record: logging.LogRecord) -> None:
            message = record.getMessage()
            if record.levelno >= logging.ERROR:
                error(message)
            elif record.levelno >= logging.WARNING:
                warn(message)
            elif record.levelno >= logging.INFO:
                info(message)
            else:
                debug(message)

    return _Console()


def status_display(message: str):
    """A spinner on stderr while a long step runs, on a terminal only (see kfctl.util.progress)."""
    import contextlib

    if sys.stderr.isatty():
        return stderr().status(message)
    return contextlib.nullcontext()
