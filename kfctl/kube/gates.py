"""When an apply waits for its readiness gates (kfctl.kube.gategraph), and how a webhook refusal is retried.

Order: a webhook configuration of the render is applied once its backend (the ``endpoints`` and ``workload``
gates of its webhooks) is ready — never before, so it cannot make the API server refuse requests meanwhile.
An object its webhooks intercept waits for it (``applied``, backend, ``cabundle``) when it is a custom
resource or anything else of the last tiers; built-in objects of the earlier tiers (the controllers
themselves) are applied before any webhook configuration of the render exists, as before.  Webhooks already
on the cluster gate every object they intercept.  An object of an aggregated API waits for its APIService.

An object the server refuses because a webhook could not be called (``failed calling webhook``: no
endpoints, connection refused, x509 unknown authority) is not failed: it waits for that webhook's gates and
is retried alone, with backoff, until the deadline (``--timeout``).  Gates that do not open by then fail the
objects waiting for them, naming the gate and what it waited for.
"""

from __future__ import annotations

import re
import time
from dataclasses import dataclass, field
from typing import Callable, Iterable, Iterator

from kfctl.kube.client import Kube
from kfctl.kube.discovery import Discovery
from kfctl.kube.errors import Unreachable
from kfctl.kube.gategraph import Gate, GateGraph, Hook
from kfctl.kube.gatereads import read_round
from kfctl.kube.objects import owner_selector
from kfctl.render.model import Render, RenderedObject

CALL_FAILED = re.compile(r'failed calling webhook "([^"]+)"')  # could not call it (denials say "denied")
INTERVAL = 0.25  # seconds between two rounds of gate reads
ROOT_CAUSE = ("endpoints", "workload", "cabundle", "apiservice", "applied")  # which pending gate a timeout names


@dataclass
class GateState:
    open: bool = False
    why: str = ""  # why it is not open, from the last read
    failed: str | None = None  # it cannot open any more (the object it waits for failed)
    first: float | None = None  # when something first waited for it
    opened: float | None = None
    objects: list[str] = field(default_factory=list)  # what waited for it ("Kind ns/name")


@dataclass
class GateReport:
    """One gate of an apply, for the report: ``state`` is open | timed out | failed | would wait (dry run)."""

    gate: str
    state: str
    waited: float = 0.0  # seconds from the first object waiting for it until it opened (or the end)
    objects: list[str] = field(default_factory=list)
    why: str = ""  # the last reason it was not open


def _secs(s: float) -> str:
    return f"{s:.1f}s" if s < 10 else f"{s:.0f}s"


class GateKeeper(GateGraph):
    """The gate state of one apply, and the order it lets objects go in (:meth:`batches`)."""

    def __init__(self, kube: Kube, disco: Discovery, render: Render, *, live: dict | None = None,
                 dry_run: bool = False, deadline: float | None = None,
                 on_wait: Callable[[list[GateReport]], None] | None = None, interval: float = INTERVAL,
                 unsent: Callable[[RenderedObject], bool] = lambda ro: False, start: float | None = None):
        self.dry_run = dry_run
        self.unsent = unsent  # objects apply will not send (unchanged since kfctl applied them): never gated
        self.start = time.monotonic() if start is None else start
        self.deadline = deadline
        self.on_wait = on_wait
        self.interval = interval
        self.state: dict[Gate, GateState] = {}
        self.retry: dict[tuple, tuple[float, int, str, list]] = {}  # key -> (not before, attempts, error, gates)
        self.left: list[tuple[RenderedObject, str, str]] = []  # (object, action, message) never applied
        self.fatal: str | None = None
        self.owner = owner_selector(render.app, render.env)  # the render's workloads: one labelled list
        super().__init__(kube, disco, render, live=live)

    def _poll(self, gates: Iterable[Gate]) -> None:
        """Read every gate that is not open yet (in parallel); then sleep until the next round."""
        from kfctl.kube.objects import WORKERS
        from kfctl.kube.pool import run_parallel

        todo = [g for g in dict.fromkeys(gates) if g.kind != "applied" and not self.state[g].open
                and self.state[g].failed is None and not self._unapplied(g)]
        if todo:
            try:
                results = read_round(self.kube, todo, lambda fn, items: run_parallel(
                    fn, items, WORKERS, cancel=self.kube.cancelled), self.deadline, self.owner)
            except Unreachable as exc:
                self.fatal = exc.message
                return
            now = time.monotonic()
            refresh = False
            for g, (ok, why) in zip(todo, results):
                st = self.state[g]
                st.why = why if not ok else ""
                if ok:
                    st.open, st.opened = True, now
                    refresh |= g.kind == "apiservice"
            if refresh:
                self.disco.refresh()  # the group's resources are discovered once it is available
                self._matches.clear()
        if self.on_wait is not None:
            self.on_wait(self._pending())
        left = (self.deadline - time.monotonic()) if self.deadline is not None else self.interval
        if self.kube.cancelled.wait(max(min(self.interval, left), 0)):
            raise KeyboardInterrupt

    def gates_for(self, ro: RenderedObject, *, preview: bool = False) -> list[tuple[Gate, str]]:
        """The graph's gates, and those of the webhook that refused the object (when it did); none for an
        object that will not be sent."""
        if self.unsent(ro):
            return []
        out = super().gates_for(ro, preview=preview)
        if ro.key in self.retry:
            _, _, error, gates = self.retry[ro.key]
            seen = {g for g, _ in out}
            out += [(g, "the server refused it: " + error) for g in gates if g not in seen]
        return out

    def _unapplied(self, gate: Gate) -> bool:
        """A caBundle of a webhook configuration this apply has not applied yet: nothing to read."""
        cfg = self.configs.get((gate.what, gate.name)) if gate.kind == "cabundle" else None
        return cfg is not None and not cfg.live and (cfg.kind, cfg.name) not in self.applied

    def _pending(self) -> list[GateReport]:
        now = time.monotonic()
        return [GateReport(g.describe(), "waiting", now - (st.first or now), list(st.objects), st.why)
                for g, st in self.state.items() if not st.open and st.failed is None and st.objects]

    def _open(self, gates: Iterable[Gate]) -> bool:
        return all(self.state[g].open for g in gates)

    def _need(self, gate: Gate, ref: str) -> GateState:
        st = self.state.setdefault(gate, GateState())
        if st.first is None:
            st.first = time.monotonic()
        if ref not in st.objects:
            st.objects.append(ref)
        return st

    # ------------------------------------------------------------------ the order of an apply
    @staticmethod
    def _ref(ro: RenderedObject) -> str:
        return f"{ro.kind} {ro.namespace + '/' if ro.namespace else ''}{ro.name}"

    def _is_config(self, ro: RenderedObject) -> bool:
        return (ro.kind, ro.name) in self.configs and self.configs[(ro.kind, ro.name)].rendered is ro

    def batches(self, tiers: list[list[RenderedObject]]) -> Iterator[list[RenderedObject]]:
        """The objects to apply next, tier by tier; an object waits (in its tier) until its gates are open,
        and the render's webhook configurations go as soon as their backends are ready.  Report each applied
        object with :meth:`done` before asking for the next batch.  A dry run waits for nothing."""
        if self.dry_run:
            yield from tiers
            return
        configs = [o for tier in tiers for o in tier if self._is_config(o)]
        for i, tier in enumerate(tiers):
            queue = [o for o in tier if not self._is_config(o)]
            last = i == len(tiers) - 1
            while True:
                if self.fatal:
                    self._expire(queue + configs + self._retrying(), "skipped", "not attempted: " + self.fatal)
                    return
                now = time.monotonic()
                go, waiting, gates = [], [], []
                for ro in queue + self._retrying(queue):
                    need = self.gates_for(ro)
                    for g, _why in need:
                        self.state.setdefault(g, GateState())
                    failed = next(((g, why) for g, why in need if self.state[g].failed), None)
                    if failed:
                        g, why = failed
                        self._expire([ro], "failed", f"{self._ref(ro)}: not applied: {why}, but "
                                                     f"{self.state[g].failed}")
                        continue
                    not_before = self.retry[ro.key][0] if ro.key in self.retry else 0.0
                    if self._open(g for g, _ in need) and now >= not_before:
                        go.append(ro)
                    else:
                        waiting.append(ro)
                        gates += [g for g, _ in need]
                        for g, _why in need:
                            self._need(g, self._ref(ro))
                ready_configs = []
                for cfg_obj in list(configs):
                    need = [] if self.unsent(cfg_obj) else self.backend(self.configs[(cfg_obj.kind, cfg_obj.name)])
                    for g in need:
                        self.state.setdefault(g, GateState())
                    if self._open(need):
                        ready_configs.append(cfg_obj)
                        configs.remove(cfg_obj)
                    elif waiting or last:  # (polled only while something waits, or at the end)
                        gates += need
                        for g in need:
                            self._need(g, self._ref(cfg_obj))
                if go or ready_configs:
                    queue = [o for o in waiting if o.key not in self.retry]
                    yield ready_configs + go
                    continue
                if not waiting and (not last or not configs):
                    break
                if self.deadline is not None and time.monotonic() >= self.deadline:
                    self._time_out(waiting, configs if last else [])
                    if last:
                        configs = []
                    break
                self._poll(gates)
                queue = [o for o in waiting if o.key not in self.retry]

    def _retrying(self, exclude: list[RenderedObject] | None = None) -> list[RenderedObject]:
        keys = {o.key for o in exclude or []}
        return [o for o in self.render.objects if o.key in self.retry and o.key not in keys]

    def done(self, ro: RenderedObject, error: str | None) -> bool:
        """An object was applied (``error`` None) or refused.  False: refused because a webhook could not be
        called — it is retried after that webhook's gates (its result is not final).  A dry run changes
        nothing: every result is final and nothing counts as applied."""
        if self.dry_run:
            return True
        if error is None:
            self.retry.pop(ro.key, None)
            self.applied.add((ro.kind, ro.name))
            g = Gate("applied", ro.name, what=ro.kind)
            if g in self.state:
                self.state[g].open, self.state[g].opened = True, time.monotonic()
            return True
        g = Gate("applied", ro.name, what=ro.kind)
        m = CALL_FAILED.search(error)
        if m is None or self._is_config(ro):
            self.retry.pop(ro.key, None)
            if g in self.state or self._is_config(ro) or ro.kind == "APIService":
                self.state.setdefault(g, GateState()).failed = f"{ro.kind} {ro.name} failed to apply"
            return True
        hook = self._hook(m.group(1))
        gates = (self.backend(hook.config, [hook]) + self._ca(hook.config)) if hook is not None else []
        _, attempts, _, _ = self.retry.get(ro.key, (0.0, 0, "", []))
        delay = min(0.5 * 2 ** attempts, 5.0)
        self.retry[ro.key] = (time.monotonic() + delay, attempts + 1, error, gates)
        for gate in gates:
            st = self._need(gate, self._ref(ro))
            st.open = False  # the server says it is not (the last read may have been a moment too early)
        return False

    def _hook(self, name: str) -> Hook | None:
        for attempt in range(2):
            for cfg in self.configs.values():
                for h in cfg.hooks:
                    if h.name == name and (cfg.live or (cfg.kind, cfg.name) in self.applied):
                        return h
            if attempt == 0:
                self._load_live()  # a webhook this apply did not know: the cluster's configurations again
        return None

    def _expire(self, objs: list[RenderedObject], action: str, message: str | Callable) -> None:
        for ro in objs:
            self.retry.pop(ro.key, None)
            self.left.append((ro, action, message(ro) if callable(message) else message))
            g = Gate("applied", ro.name, what=ro.kind)
            if g in self.state or self._is_config(ro):
                self.state.setdefault(g, GateState()).failed = f"{ro.kind} {ro.name} was not applied"

    def _time_out(self, waiting: list[RenderedObject], configs: list[RenderedObject]) -> None:
        total = (self.deadline or time.monotonic()) - self.start

        def message(ro: RenderedObject) -> str:
            if self._is_config(ro):
                need = [(g, "its webhooks' backend") for g in self.backend(self.configs[(ro.kind, ro.name)])]
            else:
                need = self.gates_for(ro)
            pending = sorted(((g, why) for g, why in need if not self.state[g].open),
                             key=lambda gw: ROOT_CAUSE.index(gw[0].kind))
            if ro.key in self.retry and not pending:
                _, attempts, error, _ = self.retry[ro.key]
                return f"{error} (retried {attempts} times until the --timeout of {_secs(total)})"
            g, why = pending[0] if pending else (None, "")
            if g is None:
                return f"{self._ref(ro)}: not applied within {_secs(total)}"
            state = self.state[g].why or f"waiting for: {g.describe()}"
            behind = [self.state[x].why for x, _ in pending[1:] if x.kind == "workload" and self.state[x].why]
            if behind:
                state += f" ({'; '.join(behind)})"
            if self._is_config(ro):
                return (f"{self._ref(ro)}: not applied: its webhooks' backend was not ready within {_secs(total)} "
                        f"(applied now, the API server would refuse what they admit): {state}")
            return f"{self._ref(ro)}: not applied: {why}, and it was not ready within {_secs(total)}: {state}"

        self._expire(configs + waiting + self._retrying(waiting), "failed", message)

    def leftovers(self) -> list[tuple[RenderedObject, str, str]]:
        """(object, action, message) of the objects that were never applied: their gates did not open."""
        return list(self.left)

    # ------------------------------------------------------------------ for the report
    def report(self) -> list[GateReport]:
        out = []
        end = time.monotonic()
        for g, st in self.state.items():
            if not st.objects:
                continue
            if st.open:
                state, waited = "open", (st.opened or end) - (st.first or end)
            elif st.failed:
                state, waited = "failed", end - (st.first or end)
            else:
                state, waited = "timed out", end - (st.first or end)
            out.append(GateReport(g.describe(), state, max(waited, 0.0), list(st.objects), st.why if not st.open
                                  else ""))
        return out

    def preview(self) -> list[GateReport]:
        """What a real apply would wait for (a dry run reads no gate)."""
        held: dict[Gate, list[str]] = {}
        for ro in self.render.objects:
            if self._is_config(ro):
                need = self.backend(self.configs[(ro.kind, ro.name)])
            else:
                need = [g for g, _ in self.gates_for(ro, preview=True)]
            for g in need:
                held.setdefault(g, []).append(self._ref(ro))
        return [GateReport(g.describe(), "would wait", 0.0, refs) for g, refs in held.items()]
