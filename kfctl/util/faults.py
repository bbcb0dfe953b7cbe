"""Fault points for the kill -9 tests.

``KFCTL_TEST_KILL_AT=N`` makes the process SIGKILL itself at its N-th fault point: just before a
temp file is renamed into place (:func:`kfctl.util.fsutil.atomic_write`) and before each step of
a multi-file change (:mod:`kfctl.util.journal`).  Tests run a command with N = 1, 2, ... to kill
it at every point in turn.  Unset (always, outside tests) a fault point costs one comparison.
"""

from __future__ import annotations

import os

_at = int(os.environ.get("KFCTL_TEST_KILL_AT") or 0)
_count = 0


def fault_point() -> None:
    global _count
    if not _at:
        return
    _count += 1
    if _count == _at:
        import signal

        os.kill(os.getpid(), signal.SIGKILL)
