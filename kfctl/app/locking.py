"""The app lock, and what taking it first in a process does: roll back a change a killed kfctl left
half done (:func:`kfctl.util.journal.recover`) and clean its leftovers (:mod:`kfctl.util.leftovers`)
— under the lock, so no other kfctl process is writing them."""

from __future__ import annotations

from contextlib import contextmanager
from pathlib import Path
from typing import Iterator

from kfctl.errors import AppError
from kfctl.util.fsutil import app_lock
from kfctl.util.journal import journal_path
from kfctl.util.logs import lazy

_CLEANED: set[Path] = set()  # apps whose leftovers this process has cleaned
log = lazy(__name__)


@contextmanager
def locked(app) -> Iterator[None]:
    with _locked_root(app.root) as rolled_back:
        if rolled_back and hasattr(app, "raw"):
            app.reload()
        yield


@contextmanager
def _locked_root(root: Path) -> Iterator[bool]:
    """Hold the lock of the app at ``root``; yields whether a half-done change was just rolled back."""
    with app_lock(root):
        rolled_back = False
        if root not in _CLEANED:
            _CLEANED.add(root)
            from kfctl.util.journal import recover
            from kfctl.util.leftovers import clean_app

            rolled_back = recover(root) is not None
            clean_app(root)
        yield rolled_back


@contextmanager
def transaction(app, what: str) -> Iterator[None]:
    from kfctl.util.journal import transaction as journal_transaction

    with locked(app):
        try:
            with journal_transaction(app.root, what):
                yield
        except BaseException:
            try:
                app.reload()
            except Exception:
                pass
            raise


def recover_on_load(root: Path) -> None:
    """Before an app is read: a journal means a kfctl command was killed mid-change (or is running);
    take the lock, which rolls the change back.  Leftovers of a killed command (temp files, staging
    folders) are cleaned the same way, so even a command that only reads finds none."""
    from kfctl.util import leftovers

    if root in _CLEANED:
        return
    journal = journal_path(root).exists()
    if not journal and not any(leftovers.find(root)):
        return
    try:
        with _locked_root(root):
            pass
    except AppError as exc:  # a read-only app: read it as it is; a half-done change is said
        if journal:
            log.warning(f"an interrupted kfctl command left a half-done change in this app ({journal_path(root)}); "
                        f"it cannot be rolled back now ({exc.message})")
