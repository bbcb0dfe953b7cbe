"""What a use case shows while it runs, supplied by the caller (the CLI's console; nothing by default)."""

from __future__ import annotations

import contextlib
from dataclasses import dataclass
from typing import Any, Callable, ContextManager


def _no_confirm(target: Any, verb: str, preview: list[str]) -> None:
    return None


def _no_progress(total: int, what: str) -> ContextManager[Callable[..., None]]:
    return contextlib.nullcontext(lambda _result=None: None)


def _no_review(report: Any) -> None:
    return None


def _no_waiting() -> ContextManager[Callable[[list], None] | None]:
    return contextlib.nullcontext(None)


def _no_gates(pending: list) -> None:
    return None


@dataclass
class Hooks:
    # before a cluster is changed: (kube target, "Applying to" | ..., lines to show first); raise to stop
    confirm: Callable[[Any, str, list[str]], None] = _no_confirm
    # around a batch of object operations: (count, "applying") -> a context giving a per-result callback
    progress: Callable[[int, str], ContextManager[Callable[..., None]]] = _no_progress
    # around waiting for readiness: a context giving an on_update(items) callback (or None)
    waiting: Callable[[], ContextManager[Callable[[list], None] | None]] = _no_waiting
    # while apply waits for readiness gates (inside ``progress``): the gates still closed, every round
    # (kfctl.kube.gates.GateReport: gate, why it is not open, seconds waited, the objects waiting)
    gates: Callable[[list], None] = _no_gates
    # before confirm, a report to show the user first (rollback: the diff it will apply)
    review: Callable[[Any], None] = _no_review
