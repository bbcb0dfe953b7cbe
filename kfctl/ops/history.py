"""Revisions of an env on its cluster: recording one per apply, ``kfctl history`` and ``kfctl diff
--revision``.  Storage is :mod:`kfctl.kube.revisions`; rollback is :mod:`kfctl.ops.rollback`."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Sequence

from kfctl.app.app import App, Environment
from kfctl.errors import KfctlError, NotFoundError

DEFAULT_HISTORY_LIMIT = 10
CHANGED_ACTIONS = ("created", "configured", "pruned", "deleted", "failed")


def history_limit(env: Environment) -> int:
    return env.history_limit or DEFAULT_HISTORY_LIMIT


# ------------------------------------------------------------------------------------ recording
def resolved_params(app: App, env: Environment, engine: str | None = None) -> dict:
    """The env's component params after every layer (what ``kfctl param list`` shows)."""
    from kfctl.ops.params import evaluate_params

    value = evaluate_params(app, env, engine=engine)
    return dict((value.get("env") or {}).get("components") or {})


def start_revision(app: App, env: Environment, kube, rendered, *, params: dict | None = None,
                   rollback_of: int | None = None, kubeconfig: str | None = None, engine: str | None = None):
    """Record a new revision of ``rendered`` (a Render) as failed-until-finished; returns it."""
    from kfctl import __version__
    from kfctl.kube.revisions import Revision, now, record, whoami
    from kfctl.util.git import git_info

    user, source = whoami(kube, kubeconfig)
    git = git_info(app.root)
    rev = Revision(0, started=now(), user=user, user_source=source, kfctl_version=__version__,
                   commit=git.commit if git else None, dirty=git.dirty if git else None,
                   components=rendered.components(), rollback_of=rollback_of)
    objects = [{"component": o.component, "object": o.obj} for o in rendered.objects]
    if params is None:
        params = resolved_params(app, env, engine)
    return record(kube, rendered.app, rendered.env, rendered.namespace, rev, objects, params)


def finish_revision(kube, rendered, rev, *, report=None, not_ready: int = 0, error: str | None = None,
                    interrupted: bool = False, wait_interrupted: bool = False,
                    limit: int = DEFAULT_HISTORY_LIMIT) -> None:
    """Write the outcome of the apply ``rev`` records, then keep only the newest ``limit`` revisions."""
    from kfctl.kube.revisions import now, trim, update

    rev.finished = now()
    if report is not None:
        rev.counts = report.counts()
        rev.changed = [f"{r.component}/{r.ref}: {r.action}" for r in report.results if r.action in CHANGED_ACTIONS]
        failed = len(report.failed)
        applied = sum(1 for r in report.results if r.action in ("created", "configured", "unchanged", "pruned"))
    if error:
        rev.outcome, rev.reason = "failed", error
    elif interrupted or (report is not None and getattr(report, "interrupted", False)):
        rev.outcome, rev.reason = "interrupted", "interrupted (Ctrl-C) while applying"
    elif report is not None and (failed or report.fatal):
        rev.outcome = "partial" if applied else "failed"
        rev.reason = report.fatal or f"{failed} of {len(report.results)} objects failed"
    elif report is not None and getattr(report, "state_error", None):
        rev.outcome, rev.reason = "partial", report.state_error
    elif not_ready or wait_interrupted:
        rev.outcome = "not-ready"
        rev.reason = (f"{not_ready} objects not ready when the wait ended" if not_ready
                      else "interrupted while waiting for readiness (everything was applied)")
    else:
        rev.outcome, rev.reason = "succeeded", ""
    update(kube, rendered.app, rendered.env, rendered.namespace, rev)
    trim(kube, rendered.app, rendered.env, rendered.namespace, limit, newest=rev)


class ApplyRecorder:
    """The revision of one apply: written by :meth:`start` (``apply_render``'s ``on_start``: the reads
    are done, the env namespace exists, no object is applied yet) as failed until it finishes, updated
    by :meth:`finish`.  An apply that stops before ``start``, or sends nothing at all (every object
    unchanged, nothing pruned), records nothing: history lists changes.
    Recording never fails the apply: what went wrong becomes a warning on ``outcome``."""

    def __init__(self, app: App, env: Environment, kube, rendered, components, kubeconfig, engine, outcome):
        self.args = (app, env, kube, kubeconfig, engine)
        self.components, self.outcome, self.rev = components, outcome, None
        self.rendered = rendered
        self.recorded = None

    @property
    def started(self) -> bool:
        return self.recorded is not None

    def start(self) -> None:
        self.recorded = self._deployed(self.rendered)
        self._try(self._start)

    def _deployed(self, rendered):
        """With -c: the latest revision's other components plus the ones applied now (what is deployed)."""
        if not self.components:
            return rendered
        from kfctl.kube.revisions import list_revisions, load_payload

        app, env, kube, _, _ = self.args
        try:
            stored = list_revisions(kube, app.name, env.name, env.namespace)
            before = load_payload(kube, stored[-1], env.namespace)[0] if stored else []
        except Exception:  # as far as known: if the cluster is sick, _start says so
            before = []
        keep = [o for o in before if o["component"] not in set(self.components)]
        return render_of(app.name, env, keep + [{"component": o.component, "object": o.obj} for o in rendered.objects])

    def _start(self) -> None:
        app, env, kube, kubeconfig, engine = self.args
        self.rev = start_revision(app, env, kube, self.recorded, kubeconfig=kubeconfig, engine=engine)

    def _try(self, fn) -> None:
        from kfctl.kube.errors import ApiError

        try:
            fn()
        except (ApiError, KfctlError) as exc:
            if not (isinstance(exc, ApiError) and exc.status == 401):  # the apply itself says that one
                self.outcome.warnings.append(f"the revision of this apply could not be recorded: {exc}")
            self.rev = False

    def finish(self, error: str | None = None, interrupted: bool = False) -> None:
        if not self.rev:
            return  # never started (nothing was applied), or recording failed (said as a warning)
        env, kube, o = self.args[1], self.args[2], self.outcome
        if interrupted or getattr(o.report, "interrupted", False) or getattr(o, "interrupted_wait", False):
            from kfctl.kube.revisions import after_interrupt

            kube = after_interrupt(kube)
        o.revision = self.rev.number
        self._try(lambda: finish_revision(kube, self.recorded, self.rev, report=o.report, not_ready=len(o.not_ready),
                                          error=error, interrupted=interrupted,
                                          wait_interrupted=getattr(o, "interrupted_wait", False),
                                          limit=history_limit(env)))


# ------------------------------------------------------------------------------------ history
@dataclass
class History:
    app: str
    env: str
    namespace: str
    server: str
    revisions: list  # kfctl.kube.revisions.Revision, oldest first

    def to_dict(self) -> dict:
        return {"kind": "History", "app": self.app, "env": self.env, "namespace": self.namespace,
                "server": self.server, "revisions": [r.meta() for r in self.revisions]}


def _connect(env: Environment, context: str | None, kubeconfig: str | None, request_timeout: float | None = None):
    from kfctl.ops.deploy import _connect as connect

    return connect(env, context, kubeconfig, request_timeout)


def _gitops_refusal(env: Environment, what: str) -> None:
    from kfctl.ops.deploy import is_gitops_env

    if is_gitops_env(env):
        raise KfctlError(f"environment {env.name!r} deploys to its GitOps directory {env.gitops_dir}: {what} is "
                         "kept by Git there", hint="use 'git log' in the GitOps repository")


def history(app: App, env: Environment, *, context: str | None = None, kubeconfig: str | None = None,
            request_timeout: float | None = None) -> History:
    from kfctl.kube.revisions import list_revisions

    _gitops_refusal(env, "its history")
    kube = _connect(env, context, kubeconfig, request_timeout)
    stored = list_revisions(kube, app.name, env.name, env.namespace)
    return History(app.name, env.name, env.namespace, kube.target.server, [s.revision for s in stored])


def pick(stored: list, number: int) -> object:
    """The listed revision ``number``, or a not-found error listing what there is."""
    for s in stored:
        if s.revision.number == number:
            return s
    have = ", ".join(str(s.revision.number) for s in stored) or "none"
    raise NotFoundError(f"revision {number} does not exist (revisions on the cluster: {have})",
                        hint="see 'kfctl history ENV'")


def render_of(app_name: str, env: Environment, objects: list[dict]):
    """A Render holding a revision's objects as they were applied."""
    from kfctl.render.model import Render, RenderedObject
    from kfctl.render.order import sort_key
    from kfctl.render.scopes import crd_scopes_of

    r = Render(app=app_name, env=env.name, namespace=env.namespace)
    r.objects = [RenderedObject(o["component"], o["object"]) for o in objects]
    r.objects.sort(key=lambda o: (*sort_key(o.obj), o.component))
    r.crd_scopes = crd_scopes_of(o.obj for o in r.objects)
    return r


@dataclass
class RevisionDiff:
    """``kfctl diff ENV --revision N [--revision M]``: live → N (``cluster``), or N → M (``local``)."""

    env: str
    revisions: list[int]
    cluster: object | None = None  # kfctl.kube.diff.ClusterDiff
    local: object | None = None  # kfctl.render.envdiff.EnvDiff
    server: str | None = None

    @property
    def changed(self) -> bool:
        return bool((self.cluster or self.local).entries)


def diff_revisions(app: App, env: Environment, numbers: Sequence[int], *, show_secrets: bool = False,
                   prune: bool = False, context: str | None = None, kubeconfig: str | None = None,
                   request_timeout: float | None = None) -> RevisionDiff:
    from kfctl.errors import UsageError
    from kfctl.kube.revisions import list_revisions, load_payload

    if len(numbers) not in (1, 2):
        raise UsageError("give --revision once (the cluster against that revision) or twice (two revisions)")
    _gitops_refusal(env, "its history")
    kube = _connect(env, context, kubeconfig, request_timeout)
    stored = list_revisions(kube, app.name, env.name, env.namespace)
    renders = []
    for n in numbers:
        objects, _ = load_payload(kube, pick(stored, n), env.namespace)
        renders.append(render_of(app.name, env, objects))
    if len(numbers) == 2:
        from kfctl.render.envdiff import compare_renders

        a, b = renders
        a.env, b.env = f"revision {numbers[0]}", f"revision {numbers[1]}"
        return RevisionDiff(env.name, list(numbers), local=compare_renders(a, b, show_secrets=show_secrets))
    from kfctl.kube.diff import diff_render

    d = diff_render(kube, renders[0], show_secrets=show_secrets, prune=prune)
    return RevisionDiff(env.name, list(numbers), cluster=d, server=kube.target.server)
