"""``kfctl rollback ENV [REV]``: apply a recorded revision's objects again (server-side apply), prune
what it did not have (if asked), wait, and record the result as a new revision.

Without REV: the newest successful revision before the latest one.  Refused when a CRD would go
backwards: a revision after REV served a version (or used a storage version) REV's CRD lacks —
custom resources stored in it would become unreadable — or, with ``--prune``, REV lacks a CRD a later
revision installed (pruning it deletes every custom resource of it).  The refusal names the CRD.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from kfctl.app.app import App, Environment
from kfctl.errors import KfctlError
from kfctl.ops.hooks import Hooks


class RollbackRefused(KfctlError):
    """A rollback that would take a CRD backwards."""


@dataclass
class RollbackOutcome:
    env: str
    target: int  # the revision rolled back to
    diff: object  # kfctl.kube.diff.ClusterDiff: live → target
    dry_run: bool = False
    report: object | None = None  # kfctl.kube.apply.Report
    pruned: list[str] | None = None
    waited: list | None = None
    revision: int | None = None  # the revision recorded for the rollback
    warnings: list[str] = field(default_factory=list)

    @property
    def not_ready(self) -> list:
        return [w for w in self.waited or [] if not w.ready]


def default_target(stored: list) -> object:
    """The newest succeeded revision before the latest one."""
    if len(stored) < 2:
        raise KfctlError("nothing to roll back to: the env has " + (
            "one revision" if stored else "no revisions") + " on its cluster",
            hint="name a revision: kfctl rollback ENV REV (see 'kfctl history ENV')")
    for s in reversed(stored[:-1]):
        if s.revision.outcome == "succeeded":
            return s
    raise KfctlError("no succeeded revision before the latest one",
                     hint="name a revision: kfctl rollback ENV REV (see 'kfctl history ENV')")


def _crds(objects: list[dict]) -> dict[str, tuple[tuple[str, ...], str | None]]:
    from kfctl.registry.builtin_crds import versions_of

    out = {}
    for o in objects:
        obj = o["object"]
        if obj.get("kind") == "CustomResourceDefinition" and str(obj.get("apiVersion", "")).startswith(
                "apiextensions.k8s.io/"):
            out[obj["metadata"]["name"]] = versions_of(obj)
    return out


def crd_problems(target_number: int, target_objects: list[dict], later: list[tuple[int, list[dict]]], *,
                 prune: bool) -> list[str]:
    """What rolling back to ``target`` would do to CRDs installed by the revisions after it."""
    mine = _crds(target_objects)
    problems: list[str] = []
    seen: set[str] = set()
    for number, objects in later:
        for name, (served, storage) in sorted(_crds(objects).items()):
            if name in seen:
                continue
            if name not in mine:
                if prune:
                    seen.add(name)
                    problems.append(f"CRD {name} (installed by revision {number}) would be removed: revision "
                                    f"{target_number} does not have it")
                continue
            old_served, old_storage = mine[name]
            lost = [v for v in served if v not in old_served]
            if lost or (storage and old_storage and storage != old_storage):
                seen.add(name)
                what = (f"version {', '.join(lost)} no longer served" if lost else
                        f"storage version {storage} → {old_storage}")
                problems.append(f"CRD {name} would be downgraded ({what}): revision {number} has served "
                                f"{', '.join(served)} (storage {storage}), revision {target_number} serves "
                                f"{', '.join(old_served)} (storage {old_storage})")
    return problems


def rollback(app: App, env: Environment, number: int | None = None, *, dry_run: bool = False, prune: bool = False,
             wait: bool = False, timeout: float = 300.0, force_conflicts: bool = False, context: str | None = None,
             kubeconfig: str | None = None, hooks: Hooks = Hooks(), request_timeout: float | None = None) -> RollbackOutcome:
    from kfctl.kube.apply import apply_render
    from kfctl.kube.diff import diff_render
    from kfctl.kube.revisions import list_revisions, load_payload
    from kfctl.ops.deploy import _prune
    from kfctl.ops.history import (_connect, _gitops_refusal, finish_revision, history_limit, pick, render_of,
                                   start_revision)

    _gitops_refusal(env, "its history")
    kube = _connect(env, context, kubeconfig, request_timeout)
    stored = list_revisions(kube, app.name, env.name, env.namespace)
    target = pick(stored, number) if number is not None else default_target(stored)
    n = target.revision.number
    objects, params = load_payload(kube, target, env.namespace)
    if not objects:
        raise KfctlError(f"revision {n} holds no objects; rolling back to it would apply nothing")
    later = [(s.revision.number, load_payload(kube, s, env.namespace)[0]) for s in stored if s.revision.number > n]
    problems = crd_problems(n, objects, later, prune=prune)
    if problems:
        raise RollbackRefused(f"refusing to roll back to revision {n}: {problems[0]}"
                              + (f" (and {len(problems) - 1} more)" if len(problems) > 1 else ""),
                              hint="roll forward instead: change the params or components and apply")
    rendered = render_of(app.name, env, objects)
    diff = diff_render(kube, rendered, prune=prune)
    outcome = RollbackOutcome(env.name, n, diff, dry_run=dry_run)
    hooks.review(outcome)
    hooks.confirm(kube.target, "Dry run of rolling back" if dry_run else f"Rolling back to revision {n} in", [])
    recorded: list = []  # the new revision, written before the first object is sent (every rollback has one)

    def start() -> None:
        rev = start_revision(app, env, kube, rendered, params=params, rollback_of=n, kubeconfig=kubeconfig)
        recorded.append(rev)
        outcome.revision = rev.number

    try:
        with hooks.progress(len(rendered.objects), "rolling back") as advance:
            report, disco = apply_render(kube, rendered, dry_run=dry_run, force_conflicts=force_conflicts,
                                         on_result=advance, on_start=None if dry_run else start)
        outcome.report = report
        if not dry_run and not recorded and not report.interrupted:
            start()  # nothing needed sending: a rollback is still recorded (before its prune)
        if prune and report.ok:
            outcome.pruned = _prune(kube, disco, rendered, dry_run=dry_run, report=report)
        if wait and not dry_run and report.ok:
            from kfctl.kube.wait import wait_ready

            with hooks.waiting() as on_update:
                outcome.waited = wait_ready(kube, disco, report.results, timeout=timeout, on_update=on_update)
    except BaseException as exc:
        if recorded:
            _finish_quietly(kube, rendered, recorded[0], outcome, error=f"rollback stopped: {exc}" if str(exc) else
                            "rollback interrupted", limit=history_limit(env))
        raise
    if recorded:
        _finish_quietly(kube, rendered, recorded[0], outcome, limit=history_limit(env))
    return outcome


def _finish_quietly(kube, rendered, rev, outcome: RollbackOutcome, *, error: str | None = None, limit: int) -> None:
    from kfctl.kube.errors import ApiError
    from kfctl.kube.revisions import after_interrupt
    from kfctl.ops.history import finish_revision

    if error or getattr(outcome.report, "interrupted", False):
        kube = after_interrupt(kube)
    try:
        finish_revision(kube, rendered, rev, report=outcome.report, not_ready=len(outcome.not_ready), error=error,
                        limit=limit)
    except (ApiError, KfctlError) as exc:
        outcome.warnings.append(f"revision {rev.number} could not be updated ({exc}); it stays marked failed")
