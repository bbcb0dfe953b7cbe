"""kfctl's loggers (``kfctl.*``), with :mod:`logging` imported only when something is logged.

Every kfctl module gets its loggers here — ``logger(name)`` when it logs, or ``lazy(name)`` for a module
level one — not from ``logging.getLogger``: the command line says where messages go with
:func:`when_used`, which runs just before the first kfctl logger is handed out, so a command that logs
nothing never imports logging (~4 ms of start-up with traceback and string).  (A test holds every module
to it.)
"""

from __future__ import annotations

from typing import Any, Callable

_pending: list[Callable[[Any], None]] = []


def when_used(configure: Callable[[Any], None]) -> None:
    """``configure(logging)`` before the next kfctl logger is handed out."""
    _pending.append(configure)


def logger(name: str):
    """``logging.getLogger(name)``, once what :func:`when_used` registered has run."""
    import logging

    while _pending:
        _pending.pop(0)(logging)
    return logging.getLogger(name)


class _Lazy:
    """A module's logger, looked up (and logging imported) on first use."""

    def __init__(self, name: str):
        self._name = name

    def __getattr__(self, attr: str) -> Any:
        return getattr(logger(self._name), attr)


def lazy(name: str) -> Any:
    return _Lazy(name)
