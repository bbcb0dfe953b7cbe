"""Simulated controllers: the base class, and `After`, the "when does it happen" spec their knobs take.

A controller reacts to committed changes of the kinds it watches (`reconcile`), to reads of objects
(`on_read`: a GET, or a LIST that returns the object), and to time (`due` → reconcile on the next request or
watch wake-up). It writes through `Store.system_write`/`system_create`/`system_delete`, which skip admission
webhooks and record managedFields under the controller's own manager, as a real controller's writes do.
All methods run with the store lock held.
"""

from __future__ import annotations

import re
import time
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from .resources import ResourceType
    from .store import Store


@dataclass(frozen=True)
class After:
    """When a simulated controller acts: "immediate", "never", N (the Nth read of the object - a GET, or a
    LIST that returns it), or "<seconds>s" (e.g. "0.5s", after that long)."""
    how: str               # "immediate" | "never" | "reads" | "seconds"
    reads: int = 0
    seconds: float = 0.0

    @classmethod
    def parse(cls, value: Any, knob: str = "knob") -> "After":
        if isinstance(value, After):
            return value
        if value in ("immediate", "never"):
            return cls(value)
        if isinstance(value, int) and not isinstance(value, bool) and value >= 0:
            return cls("immediate") if value == 0 else cls("reads", reads=value)
        if isinstance(value, str):
            m = re.fullmatch(r"(\d+(?:\.\d+)?)(ms|s)", value.strip())
            if m:
                secs = float(m.group(1)) / (1000 if m.group(2) == "ms" else 1)
                return cls("seconds", seconds=secs)
        raise ValueError(f"{knob}: {value!r} is not \"immediate\", \"never\", a number of reads (int) or a "
                         f"delay like \"0.5s\"")

    def due(self, reads: int, since: float | None) -> bool:
        """Has it happened, given the reads counted and the time the wait started (None = not started)?"""
        if since is None or self.how == "never":
            return False
        if self.how == "immediate":
            return True
        if self.how == "reads":
            return reads >= self.reads
        return time.monotonic() - since >= self.seconds

    @property
    def timed(self) -> bool:
        return self.how == "seconds"


class Controller:
    """Base class; see the module docstring."""

    name = "controller"
    watches: frozenset[str] = frozenset()      # kinds whose changes trigger reconcile
    reads: frozenset[str] = frozenset()        # kinds whose reads are reported to on_read
    timed = False                              # has time-based triggers (watches then wake up more often)

    def reconcile(self, store: "Store") -> None:
        pass

    def on_read(self, store: "Store", rt: "ResourceType", obj: dict) -> None:
        pass

    def due(self) -> bool:
        """True when a timer has expired and reconcile should run."""
        return False


def label_selector_matches(selector: dict | None, labels: dict | None) -> bool:
    """A metav1.LabelSelector (matchLabels + matchExpressions); None or {} selects everything."""
    if not selector:
        return True
    labels = labels or {}
    for k, v in (selector.get("matchLabels") or {}).items():
        if labels.get(k) != v:
            return False
    for e in selector.get("matchExpressions") or []:
        key, op, values = e.get("key"), e.get("operator"), e.get("values") or []
        if op == "In" and labels.get(key) not in values:
            return False
        if op == "NotIn" and key in labels and labels[key] in values:
            return False
        if op == "Exists" and key not in labels:
            return False
        if op == "DoesNotExist" and key in labels:
            return False
    return True


def set_condition(conditions: list[dict], new: dict) -> list[dict]:
    """Replace the condition of new["type"]; keep lastTransitionTime when the status did not change."""
    out, found = [], False
    for c in conditions or []:
        if c.get("type") == new["type"]:
            found = True
            if c.get("status") == new.get("status") and "lastTransitionTime" in c:
                new = {**new, "lastTransitionTime": c["lastTransitionTime"]}
            out.append(new)
        else:
            out.append(c)
    if not found:
        out.append(new)
    return out
