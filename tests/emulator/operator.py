"""The operator knob: a stand-in for the operators that write status on custom resources.

    Emulator(operator={"InferenceService": 3,                       # Ready=True on the 3rd read
                       "Experiment": {"after": "0.5s", "conditions": ["Succeeded"]},
                       "Notebook": {"after": 2, "status": "False", "reason": "ImagePullBackOff",
                                    "message": "Back-off pulling image"}})

For each listed kind (custom resources only, any group) the operator writes, once `after` (an After spec,
counted per generation: a spec change starts the wait again) is due, `status.observedGeneration` and one
condition per type in `conditions` (default ["Ready"]) with `status`, `reason`, `message`, `observedGeneration`
and `lastTransitionTime` - through /status when the CRD has that subresource, under the manager
`<kind>-operator`. Before that the object has no status at all (or the previous generation's), which is what a
client's grace period for a slow operator must cope with.
"""

from __future__ import annotations

import time
from typing import TYPE_CHECKING, Any

from .jcopy import clone
from .controllers import After, Controller, set_condition
from .knobs import now

if TYPE_CHECKING:
    from .resources import ResourceType
    from .store import Store


class Operator(Controller):
    name = "operator"

    def __init__(self, kinds: dict[str, Any]):
        self.specs: dict[str, dict] = {}
        for kind, spec in kinds.items():
            spec = dict(spec) if isinstance(spec, dict) else {"after": spec}
            unknown = set(spec) - {"after", "conditions", "status", "reason", "message"}
            if unknown:
                raise ValueError(f"operator[{kind!r}]: unknown keys {sorted(unknown)}")
            spec["after"] = After.parse(spec.get("after", "immediate"), f"operator[{kind!r}]")
            spec.setdefault("conditions", ["Ready"])
            spec.setdefault("status", "True")
            self.specs[kind] = spec
        self.watches = frozenset({*self.specs, "CustomResourceDefinition"})
        self.reads = frozenset(k for k, s in self.specs.items() if s["after"].how == "reads")
        self.timed = any(s["after"].timed for s in self.specs.values())
        self.since: dict[str, float] = {}     # uid/generation -> when that generation was first seen
        self.read_counts: dict[str, int] = {}
        self.done: set[str] = set()
        self.kind_of: dict[str, str] = {}

    @staticmethod
    def _key(obj: dict) -> str:
        return f'{obj["metadata"]["uid"]}/{obj["metadata"].get("generation", 1)}'

    def _types(self, store: "Store") -> list["ResourceType"]:
        seen, out = set(), []
        for t in store.table.all():
            if t.crd and t.kind in self.specs and (t.group, t.plural) not in seen:
                seen.add((t.group, t.plural))
                out.append(t)
        return out

    def reconcile(self, store: "Store") -> None:
        for rt in self._types(store):
            spec = self.specs[rt.kind]
            for obj in list(store.stored(rt.group, rt.plural)):
                key = self._key(obj)
                self.since.setdefault(key, time.monotonic())
                self.kind_of[key] = rt.kind
                if key in self.done or not spec["after"].due(self.read_counts.get(key, 0), self.since[key]):
                    continue
                self.done.add(key)
                gen = obj["metadata"].get("generation", 1)
                new = clone(obj)
                status = dict(new.get("status") or {})
                conds = status.get("conditions") or []
                for ctype in spec["conditions"]:
                    cond = {"type": ctype, "status": spec["status"],
                            "reason": spec.get("reason") or ("Reconciled" if spec["status"] == "True" else "Failed"),
                            "message": spec.get("message") or f"{rt.kind} is {ctype.lower()}",
                            "observedGeneration": gen, "lastTransitionTime": now()}
                    conds = set_condition(conds, cond)
                status.update({"observedGeneration": gen, "conditions": conds})
                new["status"] = status
                store.system_write(rt, new, f"{rt.kind.lower()}-operator",
                                   subresource="status" if rt.status_subresource else "")

    def on_read(self, store: "Store", rt: "ResourceType", obj: dict) -> None:
        if not rt.crd:
            return
        key = self._key(obj)
        self.since.setdefault(key, time.monotonic())
        self.read_counts[key] = self.read_counts.get(key, 0) + 1
        store.mark_dirty(rt.kind)

    def due(self) -> bool:
        t = time.monotonic()
        for key, since in self.since.items():
            after = self.specs[self.kind_of[key]]["after"] if key in self.kind_of else None
            if after is not None and after.timed and key not in self.done and t - since >= after.seconds:
                return True
        return False
