"""Status of a long step below the use cases (a git fetch, a package copy), shown by whoever asked.

Lower layers wrap the step in ``with status("Fetching …"):``; the CLI installs how that is shown
(a spinner on a terminal) with :func:`set_status_display`.  Without a display nothing is shown.
Messages (warnings, notes) go through :mod:`logging` instead (loggers under ``kfctl``).
"""

from __future__ import annotations

import contextlib
from typing import Callable, ContextManager, Iterator

_display: Callable[[str], ContextManager] | None = None


def set_status_display(display: Callable[[str], ContextManager] | None) -> None:
    global _display
    _display = display


@contextlib.contextmanager
def status(message: str) -> Iterator[None]:
    if _display is None:
        yield
        return
    with _display(message):
        yield
