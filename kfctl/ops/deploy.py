"""Deploying an environment: apply (→ prune → wait), delete, prune, status, and diff against what is
deployed.  An env deploys to its cluster, or — with a GitOps directory and no server — to that
directory; this module is the one place that tells the two apart.
"""

from __future__ import annotations

import time
from dataclasses import dataclass, field
from typing import Sequence

from kfctl.app.app import App, Environment
from kfctl.errors import KfctlError
from kfctl.ops.hooks import Hooks
from kfctl.ops.render import render


def is_gitops_env(env: Environment) -> bool:
    """Deployed by export to its GitOps directory (``env.gitops_dir`` without a server)."""
    return bool(env.gitops_dir) and not env.server


def _connect(env: Environment, context: str | None, kubeconfig: str | None, request_timeout: float | None = None,
             qps: float | None = None, burst: int | None = None):
    from kfctl.kube.client import connect

    return connect(env, context=context, kubeconfig=kubeconfig, request_timeout=request_timeout, qps=qps,
                   burst=burst)


def _not_for_gitops(env: Environment, command: str) -> None:
    """prune/status/delete talk to a cluster; a GitOps env has a directory instead: say what that means."""
    if not is_gitops_env(env):
        return
    name, where = env.name, env.gitops_dir
    if command == "prune":
        raise KfctlError(f"prune does not apply to GitOps environment {name!r}: 'kfctl apply {name}' rewrites {where}, "
                         "removing the files of objects it no longer renders, and your GitOps controller prunes "
                         "them from the cluster")
    if command == "status":
        raise KfctlError(f"status needs a cluster: GitOps environment {name!r} deploys to {where}; 'kfctl diff {name}' "
                         f"compares the render with it; to see live state too, run 'kfctl env set {name} --context "
                         "NAME'")
    raise KfctlError(f"delete does not apply to GitOps environment {name!r}: remove its objects from {where} (or the "
                     "directory from your GitOps controller) and the controller deletes them; to delete from a "
                     f"cluster directly, run 'kfctl env set {name} --context NAME'")


def _nothing_to_apply(env: Environment, components: Sequence[str]) -> KfctlError:
    if components:
        which = ", ".join(components)
        return KfctlError(f"nothing to apply: component{'s' if len(components) > 1 else ''} {which} of environment "
                          f"{env.name!r} render{'' if len(components) > 1 else 's'} no objects")
    return KfctlError(f"nothing to apply: environment {env.name!r} renders no objects",
                      hint="add one with 'kfctl generate', or see 'kfctl component list'")


def _check_live_crds(kube, rendered) -> None:
    """Refuse (before diff/apply) a rendered CRD that clashes with the cluster's (versions, owner,
    whose definition it is)."""
    from kfctl.kube.crds import live_crds
    from kfctl.validate.crds import CrdConflictError, live_clashes

    objects = rendered.objects
    names = [o.name for o in objects if o.kind == "CustomResourceDefinition" and o.name]
    if not names:
        return
    lines = live_clashes(objects, live_crds(kube, names), rendered.package_of)
    if lines:
        raise CrdConflictError("\n".join(lines))


def _check_kueue(rendered, kube=None) -> None:
    """Refuse (before diff/apply) a queued workload whose Kueue integration is off in the render's
    Kueue Configuration; with ``kube`` and no Kueue in the render, in the cluster's."""
    from kfctl.render.kueue import KueueConfig, check_render, configuration_of, has_queued, kueue_configs

    objects = [(o.component, o.obj) for o in rendered.objects]
    configs = kueue_configs(objects)
    if configs:
        if kube is None:
            check_render(rendered, configs).raise_errors()
        return
    if kube is None or not has_queued(objects):
        return
    from kfctl.kube.kueue import live_kueue_configmaps
    from kfctl.validate.crds import owner_of

    for cm in live_kueue_configmaps(kube):
        found = configuration_of(cm)
        if found is not None:
            meta = cm.get("metadata") or {}
            where = f"{meta.get('namespace', '')}/{meta.get('name', '')}"
            owner = owner_of(cm).text
            configs.append(KueueConfig(f"ConfigMap {where}{f' ({owner})' if owner else ''}", None, where, *found))
    check_render(rendered, configs).raise_errors()


# ------------------------------------------------------------------------------------ apply
@dataclass
class ApplyOutcome:
    env: str
    report: object | None = None  # kfctl.kube.apply.Report (cluster env)
    export: object | None = None  # kfctl.gitops.export.ExportResult (GitOps env)
    pruned: list[str] | None = None  # objects pruned (or to prune, dry run); None: prune did not run
    waited: list | None = None  # kfctl.kube.wait.WaitItem, with --wait
    revision: int | None = None  # the revision this apply recorded on the cluster
    total: int = 0  # objects rendered
    interrupted_wait: bool = False  # Ctrl-C while waiting for readiness (everything was applied)
    warnings: list[str] = field(default_factory=list)  # e.g. kinds prune could not list

    @property
    def not_ready(self) -> list:
        return [w for w in self.waited or [] if not w.ready]


def apply(app: App, env: Environment, *, components: Sequence[str] = (), dry_run: bool = False,
          force_conflicts: bool = False, prune: bool = False, wait: bool = False, timeout: float = 300.0,
          context: str | None = None, kubeconfig: str | None = None, engine: str | None = None,
          hooks: Hooks = Hooks(), request_timeout: float | None = None, force_apply: bool = False,
          qps: float | None = None, burst: int | None = None, status_grace: float = 15.0) -> ApplyOutcome:
    """Server-side apply; then, if everything applied, prune and wait.  A GitOps env is exported.
    Objects whose applied configuration and kfctl-owned fields are as kfctl left them are not sent
    (``force_apply`` sends them all; see kfctl.kube.apply.apply_render).

    ``status_grace``: how long ``wait`` gives an operator to write a custom resource's status.

    ``timeout`` counts from the start: it bounds the waits for CRDs between tiers, for readiness
    gates (webhook backends, CA bundles, APIServices) and, with ``wait``, for readiness (applying
    itself is never cut off halfway).  An empty render touches nothing.
    Ctrl-C while applying returns the report so far (``report.interrupted``)."""
    start = time.monotonic()
    if is_gitops_env(env):
        from kfctl.ops.export import export_env

        return ApplyOutcome(env.name, export=export_env(app, env, components=components or None, engine=engine,
                                                        merge_strategy="replace-env", require_unique="apply"))
    from kfctl.kube.apply import apply_render

    rendered = render(app, env, components=components, engine=engine)
    rendered.unique_or_raise("apply")
    if not rendered.objects and not prune:
        raise _nothing_to_apply(env, components)
    _check_kueue(rendered)
    deadline = start + timeout if not dry_run else None  # gates (and --wait) wait at most this long
    kube = _connect(env, context, kubeconfig, request_timeout, qps, burst)
    _check_live_crds(kube, rendered)
    _check_kueue(rendered, kube)
    hooks.confirm(kube.target, "Dry run against" if dry_run else "Applying to", [])
    outcome = ApplyOutcome(env.name, total=len(rendered.objects))
    from kfctl.ops.history import ApplyRecorder

    recorder = None if dry_run else ApplyRecorder(app, env, kube, rendered, components, kubeconfig, engine, outcome)
    try:
        with hooks.progress(len(rendered.objects), "applying") as advance:
            report, disco = apply_render(kube, rendered, dry_run=dry_run, force_conflicts=force_conflicts,
                                         on_result=advance, deadline=deadline, force_apply=force_apply,
                                         partial=bool(components), on_gate=hooks.gates,
                                         on_start=recorder.start if recorder is not None else None)
        outcome.report = report
        if prune and report.ok:
            # prune compares with the whole env's render (a -c subset would make every other component's
            # objects look orphaned) and, with -c, deletes only orphans of those components (as qbec's --gc)
            full = render(app, env, engine=engine, warn=False) if components else rendered
            from kfctl.kube.prune import prune_candidates

            cands = [c for c in prune_candidates(kube, disco, full, warnings=outcome.warnings)
                     if not components or c.component in components]
            if cands and recorder is not None and not recorder.started:
                recorder.start()  # nothing was sent, but removing objects is a change: a revision
            outcome.pruned = _prune(kube, disco, full, dry_run=dry_run, report=report, components=components,
                                    warnings=outcome.warnings, cands=cands)
        if wait and not dry_run and report.ok:
            from kfctl.kube.wait import wait_ready

            try:
                with hooks.waiting() as on_update:
                    outcome.waited = wait_ready(kube, disco, report.results, timeout=timeout, on_update=on_update,
                                                deadline=deadline, crds=_crds(rendered), grace=status_grace)
            except KeyboardInterrupt:
                outcome.interrupted_wait = True
    except KeyboardInterrupt:
        if recorder is not None:
            recorder.finish(interrupted=True)
        raise
    except Exception as exc:
        if recorder is not None:
            recorder.finish(error=f"apply stopped: {exc}")
        raise
    if recorder is not None:
        recorder.finish()
    return outcome


def _crds(rendered) -> dict[tuple[str, str], dict]:
    """(group, kind) -> the render's CRD of it: what --wait knows about a custom resource's status."""
    out = {}
    for o in rendered.objects:
        if o.kind == "CustomResourceDefinition" and o.group == "apiextensions.k8s.io":
            spec = o.obj.get("spec") or {}
            out[(str(spec.get("group", "")), str((spec.get("names") or {}).get("kind", "")))] = o.obj
    return out


# ------------------------------------------------------------------------------------ prune
def _prune(kube, disco, rendered, *, dry_run: bool, report, components: Sequence[str] = (),
           warnings: list[str] | None = None, cands=None) -> list[str]:
    """Delete this app/env's orphans (of ``components``, when given); results go into ``report``."""
    from kfctl.kube.apply import ObjectResult
    from kfctl.kube.prune import delete_object, prune_candidates

    if cands is None:
        cands = prune_candidates(kube, disco, rendered, warnings=warnings)
    if components:
        cands = [c for c in cands if c.component in components]
    for c in cands:
        m = c.obj.get("metadata") or {}
        err = delete_object(kube, c.resource, c.obj, dry_run=dry_run)
        report.results.append(ObjectResult(c.component, c.obj.get("kind", ""), m.get("namespace"), m.get("name", ""),
                                           "failed" if err else "pruned", err, c.resource.api_version))
    return [f"{c.component}/{c.ref}" for c in cands]


@dataclass
class PruneOutcome:
    env: str
    report: object  # kfctl.kube.apply.Report
    pruned: list[str]
    confirmed: bool = True  # False: nothing to prune, nothing asked
    warnings: list[str] = field(default_factory=list)  # kinds that could not be listed


def prune(app: App, env: Environment, *, dry_run: bool = False, context: str | None = None,
          kubeconfig: str | None = None, engine: str | None = None, hooks: Hooks = Hooks(),
          request_timeout: float | None = None) -> PruneOutcome:
    """Delete objects this app/env created before and no longer renders (never anything else)."""
    from kfctl.kube.apply import Report
    from kfctl.kube.discovery import Discovery
    from kfctl.kube.prune import prune_candidates

    _not_for_gitops(env, "prune")
    rendered = render(app, env, engine=engine).first_copies()
    kube = _connect(env, context, kubeconfig, request_timeout)
    disco = Discovery(kube)
    warnings: list[str] = []
    cands = prune_candidates(kube, disco, rendered, warnings=warnings)
    if not dry_run:
        if not cands:
            return PruneOutcome(env.name, Report(), [], confirmed=False, warnings=warnings)
        hooks.confirm(kube.target, "Pruning in", [f"{c.component}/{c.ref}" for c in cands])
    report = Report(dry_run=dry_run)
    return PruneOutcome(env.name, report, _prune(kube, disco, rendered, dry_run=dry_run, report=report, cands=cands),
                        warnings=warnings)


# ------------------------------------------------------------------------------------ delete
def delete(app: App, env: Environment, *, components: Sequence[str] = (), dry_run: bool = False,
           wait: bool = False, timeout: float = 300.0, context: str | None = None, kubeconfig: str | None = None,
           engine: str | None = None, hooks: Hooks = Hooks(), request_timeout: float | None = None):
    """Delete the env's objects that this app/env owns, in reverse apply order; returns the Report.
    Deleting the whole env also forgets its state on the cluster."""
    from kfctl.kube.delete import delete_render

    _not_for_gitops(env, "delete")
    rendered = render(app, env, components=components, engine=engine).first_copies()
    kube = _connect(env, context, kubeconfig, request_timeout)
    hooks.confirm(kube.target, "Dry run of deleting from" if dry_run else "Deleting from", [])
    with hooks.progress(len(rendered.objects), "deleting") as advance:
        report = delete_render(kube, rendered, dry_run=dry_run, wait=wait, timeout=timeout, on_result=advance)
    if not components and not dry_run and report.ok:
        from kfctl.kube.state import delete_state

        delete_state(kube, rendered.app, rendered.env, rendered.namespace)  # nothing of this env is left to track
        from kfctl.kube.revisions import delete_all

        delete_all(kube, rendered.app, rendered.env, rendered.namespace)
    return report


# ------------------------------------------------------------------------------------ status
@dataclass
class StatusReport:
    app: str
    env: str
    namespace: str
    server: str
    objects: list  # kfctl.kube.status.ObjectStatus

    @property
    def all_ready(self) -> bool:
        return all(s.state == "ready" for s in self.objects)


def status(app: App, env: Environment, *, components: Sequence[str] = (), context: str | None = None,
           kubeconfig: str | None = None, engine: str | None = None,
           request_timeout: float | None = None) -> StatusReport:
    from kfctl.kube.status import status_of

    _not_for_gitops(env, "status")
    rendered = render(app, env, components=components, engine=engine).first_copies()
    kube = _connect(env, context, kubeconfig, request_timeout)
    return StatusReport(app.name, env.name, env.namespace, kube.target.server, status_of(kube, rendered))


# ------------------------------------------------------------------------------------ diff
@dataclass
class DeployDiff:
    """``kfctl diff ENV``: against the env's GitOps directory (``directory``) or its cluster (``cluster``)."""

    env: str
    directory: object | None = None  # kfctl.gitops.dirdiff.DirDiffResult
    cluster: object | None = None  # kfctl.kube.diff.ClusterDiff
    server: str | None = None

    @property
    def changed(self) -> bool:
        return self.directory.different if self.directory is not None else bool(self.cluster.entries)


def diff(app: App, env: Environment, *, components: Sequence[str] | None = None, engine: str | None = None,
         show_secrets: bool = False, prune: bool = False, context: str | None = None,
         kubeconfig: str | None = None, request_timeout: float | None = None) -> DeployDiff:
    """What ``kfctl apply ENV`` would change.  For a GitOps env, deletions of files it exported before
    are always shown (``prune`` is accepted for symmetry: apply removes them)."""
    if is_gitops_env(env):
        from kfctl.ops.export import diff_against_dir

        return DeployDiff(env.name, directory=diff_against_dir(app, env, components=components, engine=engine,
                                                               show_secrets=show_secrets))
    from kfctl.kube.diff import diff_render

    rendered = render(app, env, components=components, engine=engine)
    rendered.unique_or_raise("diff")
    _check_kueue(rendered)
    kube = _connect(env, context, kubeconfig, request_timeout)
    _check_live_crds(kube, rendered)
    _check_kueue(rendered, kube)
    return DeployDiff(env.name, cluster=diff_render(kube, rendered, show_secrets=show_secrets, prune=prune),
                      server=kube.target.server)
