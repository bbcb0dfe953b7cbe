"""Server-side apply of a render, tier by tier (design.md), with a truthful per-object report."""

from __future__ import annotations

import hashlib
import json
import threading
import time
from dataclasses import dataclass, field
from typing import Callable

from kfctl.errors import ClusterError
from kfctl.kube.client import Kube
from kfctl.kube.crdwait import refresh_until_served, wait_established
from kfctl.kube.discovery import Discovery, Resource
from kfctl.kube.errors import ApiError, Cancelled, Unreachable, explain
from kfctl.kube.objects import (WORKERS, identity, listed_live, obj_path, owner_selector, strip_server_fields,
                                unnamed_error)
from kfctl.kube.pool import Interrupted, run_parallel
from kfctl.kube.readiness import readiness
from kfctl.kube.state import EnvState, load_state, save_state, state_name
from kfctl.render import order
from kfctl.render.model import Render, RenderedObject
from kfctl.util.k8s import group_of

FIELD_MANAGER = "kfctl"
SSA = "application/apply-patch+yaml"


@dataclass
class ObjectResult:
    component: str
    kind: str
    namespace: str | None
    name: str
    action: str  # created | configured | unchanged | pruned | deleted | failed | skipped | interrupted
    error: str | None = None
    api_version: str = ""
    live: dict | None = None

    @property
    def ref(self) -> str:
        return f"{self.kind} {self.namespace + '/' if self.namespace else ''}{self.name}"


@dataclass
class Report:
    results: list[ObjectResult] = field(default_factory=list)
    namespace_created: str | None = None
    dry_run: bool = False
    fatal: str | None = None
    state_error: str | None = None  # the state record (the kinds prune lists) could not be written
    interrupted: bool = False  # Ctrl-C: results holds what was done; ``not_attempted`` were never sent
    not_attempted: int = 0
    gates: list = field(default_factory=list)  # kfctl.kube.gates.GateReport: waited for (dry run: would be)

    @property
    def failed(self) -> list[ObjectResult]:
        return [r for r in self.results if r.action == "failed"]

    @property
    def ok(self) -> bool:
        return not self.failed and self.fatal is None and self.state_error is None and not self.interrupted

    def counts(self) -> dict[str, int]:
        out: dict[str, int] = {}
        for r in self.results:
            out[r.action] = out.get(r.action, 0) + 1
        return out


class Fatal(Exception):
    pass


def object_key(obj: dict) -> str:
    """The state record's key of an object: a short hash of (group, kind, namespace, name)."""
    return hashlib.sha256("\0".join(identity(obj)).encode()).hexdigest()[:16]


def config_hash(obj: dict) -> str:
    """A fingerprint of the configuration kfctl applies for ``obj`` (what it sends)."""
    return hashlib.sha256(json.dumps(obj, sort_keys=True, separators=(",", ":")).encode()).hexdigest()[:16]


def owned_fields_hash(live: dict | None) -> str:
    """A fingerprint of the fields kfctl's apply owns on a live object (its managedFields entry):
    another manager taking one of them over, or the object being recreated, changes it."""
    for entry in ((live or {}).get("metadata") or {}).get("managedFields") or []:
        if entry.get("manager") == FIELD_MANAGER and entry.get("operation") == "Apply" and not entry.get("subresource"):
            text = json.dumps([entry.get("apiVersion"), entry.get("fieldsV1")], sort_keys=True, separators=(",", ":"))
            return hashlib.sha256(text.encode()).hexdigest()[:16]
    return "-"


def _ssa(kube: Kube, res: Resource, obj: dict, *, force: bool, dry_run: bool) -> tuple[int, dict]:
    q = {"fieldManager": FIELD_MANAGER, "force": "true" if force else "false"}
    if dry_run:
        q["dryRun"] = "All"
    return kube.request("PATCH", obj_path(res, obj), query=q, body=json.dumps(obj), content_type=SSA)


def _live(kube: Kube, res: Resource, obj: dict) -> dict | None:
    try:
        return kube.get(obj_path(res, obj))
    except ApiError as exc:
        if exc.status == 404:
            return None
        raise


def same_content(before: dict | None, after: dict | None) -> bool:
    """Would ``after`` (a server's answer to an apply, dry run or not) change ``before`` (the live
    object)?  Compared as ``kfctl diff`` does, without server-managed noise: a dry-run answer keeps
    the old resourceVersion even when the object would change, so resourceVersions prove nothing."""
    if before is None or after is None:
        return False
    return strip_server_fields(before) == strip_server_fields(after)


def ensure_namespace(kube: Kube, namespace: str, render: Render, *, dry_run: bool, app: str, env: str) -> bool:
    """Create the env namespace if missing (unless the render has it). True if kfctl created it."""
    if any(o.kind == "Namespace" and o.name == namespace for o in render.objects):
        return False
    try:
        kube.get(f"/api/v1/namespaces/{namespace}")
        return False
    except ApiError as exc:
        if exc.status == 403:
            return False  # a namespace-scoped user may not read Namespaces; its objects say if it is missing
        if exc.status != 404:
            raise
    body = {"apiVersion": "v1", "kind": "Namespace",
            "metadata": {"name": namespace, "annotations": {"kfctl.dev/created-for": f"{app}/{env}"}}}
    q = {"fieldManager": FIELD_MANAGER}
    if dry_run:
        q["dryRun"] = "All"
    try:
        kube.request("PATCH", f"/api/v1/namespaces/{namespace}", query={**q, "force": "false"},
                     body=json.dumps(body), content_type=SSA)
    except ApiError as exc:
        if exc.status != 403:
            raise
        raise ClusterError(f"namespace {namespace!r} of environment {env!r} does not exist, and "
                           + explain(exc, kube.target, resource="namespaces", verb="create"),
                           hint="ask a cluster admin to create it, or use a namespace you may write to "
                                f"('kfctl env set {env} --namespace NS')") from None
    return True


def _never_applied(render: Render, state: EnvState, kinds: set[tuple[str, str]],
                   created_namespace: str | None) -> set[tuple[str, str]]:
    """Kinds with nothing of this app/env's to list: none was ever applied (no state record, or one that
    never had the kind), or all their objects are in the namespace this apply just created.  Their
    objects are sent without a list (the answer's 201/200 still says created/configured; one that was
    there after all — a state record lost — is called configured, not unchanged)."""
    known = {(group_of(av), k) for av, k in state.kinds} if state.stored is not None else set()
    skip = {gk for gk in kinds if gk not in known}
    if created_namespace:
        ns_of: dict[tuple[str, str], set] = {}
        for o in render.objects:
            ns_of.setdefault((o.group, o.kind), set()).add(o.namespace)
        skip |= {gk for gk, nss in ns_of.items() if nss == {created_namespace}}
    return skip


def apply_render(kube: Kube, render: Render, *, dry_run: bool = False, force_conflicts: bool = False,
                 on_result: Callable[[ObjectResult], None] | None = None,
                 disco: Discovery | None = None, deadline: float | None = None, force_apply: bool = False,
                 partial: bool = False, on_gate: Callable[[list], None] | None = None,
                 on_start: Callable[[], None] | None = None) -> tuple[Report, Discovery]:
    """Apply every rendered object; ``deadline`` (time.monotonic()) bounds the waits between tiers
    (CRDs becoming Established) and for readiness gates (kfctl.kube.gates: webhook backends, CA bundles,
    APIServices; ``on_gate`` gets the gates still waited for, every round) as ``--timeout`` asks.  Ctrl-C
    returns the report so far with ``interrupted`` set (requests not yet sent are dropped).  ``on_start``
    is called once, just before the first object is sent (the reads are done, the env namespace exists;
    the revision record is written there); an apply that sends nothing never calls it.

    An object is not sent at all ("unchanged") when the state record says kfctl applied this very
    configuration last and the live object (from the one labelled list per kind) still has the fields
    kfctl's apply owned after that: the same managedFields entry.  Deleted, edited by another manager,
    changed in the render: sent.  ``force_apply`` sends everything.  ``partial`` (a component
    subset) keeps the records of objects outside the render."""
    t0 = time.monotonic()  # (what a gate that never opens had: from here to the deadline)
    report = Report(dry_run=dry_run)
    disco = disco or Discovery(kube)
    if not render.objects:
        return report, disco  # nothing is created, not even the namespace
    app, env, ns = render.app, render.env, render.namespace
    state = load_state(kube, app, env, ns) if not dry_run else EnvState()
    if ensure_namespace(kube, ns, render, dry_run=dry_run, app=app, env=env):
        report.namespace_created = ns
        state.created_namespace = ns
    # what is already there (one labelled list per kind) tells created/configured/unchanged apart
    kinds = {(o.group, o.kind) for o in render.objects}
    listed_kinds = kinds if dry_run else kinds - _never_applied(render, state, kinds, report.namespace_created)
    # (unlisted: kinds whose list failed: read those objects one by one)
    live_now, unlisted = listed_live(kube, disco, listed_kinds, {o.namespace for o in render.objects if o.namespace},
                                     app, env)
    crd_kinds = {k for k in render.crd_scopes}
    new_namespaces: set[str] = set()  # dry run: Namespaces of the render that do not exist yet
    stopped: list[str] = []  # 401 or an unreachable server: nothing more is attempted
    recorded: dict[str, str] = {}  # object key -> fingerprints, for the state record
    start_lock, started = threading.Lock(), []

    def begin() -> None:  # on_start before the first request that writes (the other workers wait for it)
        if on_start is None or started:
            return
        with start_lock:
            if not started:
                try:
                    on_start()
                finally:
                    started.append(True)

    noop: dict[tuple, tuple[bool, str]] = {}  # rendered key -> (not to be sent, its config hash)

    def unsent(ro: RenderedObject) -> bool:
        """Applied by kfctl as it is now and untouched since: not sent (nor waited for by a gate)."""
        if ro.key not in noop:
            listed, cfg = live_now.get(identity(ro.obj)), config_hash(ro.obj)
            noop[ro.key] = (not force_apply and not dry_run and listed is not None
                            and listed.get("apiVersion") == ro.api_version
                            and state.applied.get(object_key(ro.obj)) == f"{cfg}:{owned_fields_hash(listed)}"), cfg
        return noop[ro.key][0]

    def one(ro: RenderedObject) -> ObjectResult:
        r = ObjectResult(ro.component, ro.kind, ro.namespace, ro.name, "failed", api_version=ro.api_version)
        if stopped:
            r.action, r.error = "skipped", "not attempted: " + stopped[0]
            return r
        if unnamed_error(ro):
            r.error = unnamed_error(ro)
            return r
        res = disco.lookup(ro.api_version, ro.kind)
        if res is None:
            if (ro.group, ro.kind) in crd_kinds and dry_run:
                r.action = "created"  # its CRD is in this render and would be created first
                return r
            known = [x for x in disco.by_gvk.values() if x.kind == ro.kind and x.group == ro.group]
            if known:
                r.error = (f"{ro.ref()}: version {ro.api_version} of {ro.kind} is not served by the cluster "
                           f"(served: {', '.join(sorted(x.api_version for x in known))})")
            else:
                r.error = (f"{ro.ref()}: unknown kind {ro.kind} ({ro.api_version}): the cluster has no CRD for it "
                           "and none is in this render; install the CRD or the package that provides it")
            return r
        key, listed = object_key(ro.obj), live_now.get(identity(ro.obj))
        if unsent(ro):
            r.action, r.live = "unchanged", listed  # nothing to send: see the docstring
            recorded[key] = state.applied[key]
            return r
        cfg = noop[ro.key][1]
        try:
            before = listed
            if before is not None and before.get("apiVersion") != ro.api_version:
                before = _live(kube, res, ro.obj)  # listed at another version: compare like with like
            elif before is None and (dry_run or (ro.group, ro.kind) in unlisted):
                before = _live(kube, res, ro.obj)  # unlabelled, or its kind could not be listed
            if not dry_run:
                begin()
            status, answer = _ssa(kube, res, ro.obj, force=force_conflicts, dry_run=dry_run)
        except Cancelled:
            r.action, r.error = "skipped", "not attempted: interrupted"
            return r
        except Unreachable as exc:
            stopped.append(exc.message)
            r.error = f"{ro.ref()}: {exc.message}"
            return r
        except ApiError as exc:
            if exc.status == 401:
                stopped.append(explain(exc, kube.target))
            if exc.status == 404 and dry_run and ro.namespace and (
                    (ro.namespace == ns and report.namespace_created) or ro.namespace in new_namespaces):
                r.action = "created"  # its namespace would be created first (by apply, or by this render)
                return r
            r.error = explain(exc, kube.target, kind=ro.kind, name=ro.name, namespace=ro.namespace,
                              resource=res.name)
            return r
        except ClusterError as exc:  # e.g. a proxy answering an HTML page for this one request
            r.error = f"{ro.ref()}: {exc.message}"
            return r
        r.live = answer
        if not dry_run:
            recorded[key] = f"{cfg}:{owned_fields_hash(answer)}"
        if status == 201 or before is None and dry_run:
            r.action = "created"  # (some servers answer a dry-run create with 200)
            if dry_run and ro.kind == "Namespace" and not ro.group:
                new_namespaces.add(ro.name)
        elif same_content(before, answer):
            r.action = "unchanged"
        else:
            r.action = "configured"
        return r

    from kfctl.kube.gates import GateKeeper

    keeper = GateKeeper(kube, disco, render, live=live_now, dry_run=dry_run, deadline=deadline, on_wait=on_gate,
                        unsent=unsent, start=t0)
    tiers = order.tiers(render.objects, get=lambda o: o.obj)
    attempted = 0
    try:
        for tier in keeper.batches(tiers):  # tier by tier; gated objects once their gates are open
            try:
                results = run_parallel(one, tier, WORKERS, cancel=kube.cancelled)
            except Interrupted as intr:
                results = [intr.done[i] for i in sorted(intr.done)]
                for i in sorted(intr.running):
                    ro = tier[i]
                    results.append(ObjectResult(ro.component, ro.kind, ro.namespace, ro.name, "interrupted",
                                                "in flight when interrupted: it may or may not have been applied",
                                                ro.api_version))
                results = [r for r in results if r.error != "not attempted: interrupted"]
                report.interrupted = True
            else:  # refused because a webhook could not be called: retried after its gates, not reported yet
                results = [r for ro, r in zip(tier, results)
                           if keeper.done(ro, r.error if r.action == "failed" else None)]
            attempted += len(results)
            for r in results:
                report.results.append(r)
                if on_result:
                    on_result(r)
            if report.interrupted:
                break
            crds = [r.name for r in results if r.kind == "CustomResourceDefinition" and r.action != "failed"
                    and not (r.action == "unchanged" and readiness(r.live or {})[0])]  # listed Established: no wait
            if crds and not dry_run and not stopped:
                late = wait_established(kube, crds, deadline=deadline, selector=owner_selector(app, env))
                for r in results:
                    if r.name in late and r.kind == "CustomResourceDefinition":
                        r.action, r.error = "failed", f"{r.ref}: {late[r.name]}"
                refresh_until_served(disco, [o for o in render.objects if (o.group, o.kind) in crd_kinds],
                                      deadline=deadline)
            if stopped:
                report.fatal = keeper.fatal = stopped[0]
        for ro, action, message in keeper.leftovers():  # their gates did not open (or the server went away)
            r = ObjectResult(ro.component, ro.kind, ro.namespace, ro.name, action, message, ro.api_version)
            attempted += 1
            report.results.append(r)
            if on_result:
                on_result(r)
        if keeper.fatal and not report.fatal:
            report.fatal = keeper.fatal
    except (KeyboardInterrupt, Cancelled):
        kube.cancelled.set()
        report.interrupted = True
    report.gates = keeper.preview() if dry_run else keeper.report()
    if report.interrupted:
        report.not_attempted = len(render.objects) - attempted
        return report, disco  # the state record is left as it was: prune lists every kind anyway
    if not dry_run:
        applied = {(r.api_version, r.kind) for r in report.results if r.action in ("created", "configured", "unchanged")}
        state.kinds |= {tuple(k) for k in applied}
        state.applied = {**state.applied, **recorded} if partial else recorded
        try:
            if state.stored != state.data():  # an apply that changed nothing writes nothing
                save_state(kube, app, env, ns, state)
        except (ApiError, Unreachable) as exc:
            why = explain(exc, kube.target) if isinstance(exc, ApiError) else exc.message
            report.state_error = (f"the state record ConfigMap {ns}/{state_name(app, env)} could not be written: "
                                  f"{why}")
    return report, disco


def kinds_for_prune(render: Render, state: EnvState) -> set[tuple[str, str]]:
    kinds = {(o.group, o.kind) for o in render.objects}
    kinds |= {(group_of(av), k) for av, k in state.kinds}
    return kinds
