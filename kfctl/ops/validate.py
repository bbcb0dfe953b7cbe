"""``kfctl validate``: render an env and check its objects against the schemas of its Kubernetes version."""

from __future__ import annotations

from typing import Sequence

from kfctl.app.app import App, Environment
from kfctl.ops.render import render
from kfctl.validate.schemas import resolve_version
from kfctl.validate.validator import ValidationReport, validate_objects


def validate_env(app: App, env: Environment | str, *, k8s_version: str | None = None, strict: bool = False,
                 components: Sequence[str] | None = None, engine: str | None = None) -> ValidationReport:
    """Render ``env`` and validate it against ``k8s_version`` (default: the env's k8sVersion)."""
    if isinstance(env, str):
        env = app.env(env)
    version = k8s_version or env.k8s_version
    resolve_version(version)  # bad --k8s-version: fail before rendering
    if not components:
        rendered = render(app, env, engine=engine, warn=False)  # the report carries the warnings
        rendered.raise_crd_clash()  # issue 14: two packages defining one CRD fail validate (other duplicates warn)
        report = validate_objects(rendered.objects, version, strict=strict)
        report.warnings = [*rendered.warnings, *report.warnings]
        return report
    # -c X evaluates X only (as show/apply/export/diff -c do): a broken other component is not X's problem
    rendered = render(app, env, components=components, engine=engine, warn=False)
    rendered.raise_crd_clash()
    report = validate_objects(rendered.objects, version, strict=strict)
    if any(_no_schema(p) for p in report.problems):
        # custom kinds of X may be defined by CRDs in the other components: render those (best effort)
        from kfctl.app.components import component_files
        from kfctl.errors import KfctlError

        others = [c.name for c in component_files(app, env) if c.name not in set(components)]
        crds: list[dict] = []
        why = None
        if others:
            try:
                crds = [o.obj for o in render(app, env, components=others, engine=engine, warn=False).objects
                        if o.kind == "CustomResourceDefinition"]
            except KfctlError as exc:
                why = exc.message.split("\n", 1)[0]
        if crds:
            report = validate_objects(rendered.objects, version, strict=strict, extra_crds=crds)
        if why:
            for p in report.problems:
                if _no_schema(p):
                    p.message = (p.message[:-1] + "; the other components, which could define it, do not render: "
                                 + why + ")")
    report.warnings = [*rendered.warnings, *report.warnings]
    return report


def _no_schema(problem) -> bool:
    return problem.path == "kind" and problem.message.startswith("no schema for ")
