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
    # render the whole env even with components: CRDs in other components define custom kinds
    rendered = render(app, env, engine=engine, warn=False)  # the report carries the warnings
    rendered.raise_crd_clash()  # issue 14: two packages defining one CRD fail validate (other duplicates warn)
    objects = rendered.objects
    if components:
        known = set(rendered.components())
        for c in components:
            if c not in known and not (app.components_dir / f"{c}.jsonnet").exists():
                from kfctl.errors import NotFoundError

                raise NotFoundError(f"component {c!r} does not exist", hint="see 'kfctl component list'")
        wanted = set(components)
        objects = [o for o in objects if o.component in wanted]
    crds = [o.obj for o in rendered.objects
            if o.kind == "CustomResourceDefinition" and o.component not in set(components or ())]
    report = validate_objects(objects, version, strict=strict, extra_crds=crds if components else ())
    report.warnings = [*rendered.warnings, *report.warnings]
    return report
