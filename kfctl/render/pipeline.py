"""The render pipeline: evaluate env → extract objects → default namespace → labels → filter → sort.

Pure: it reads the app and evaluates jsonnet, nothing else; what it needs outside the app's sources
(vendor maps, ksonnet-lib) is prepared before and passed in as :class:`~kfctl.render.sources.Libraries`.
One jsonnet evaluation renders a whole environment (see :mod:`kfctl.render.sources`).
"""

from __future__ import annotations

from typing import Any, Sequence

from kfctl.app.app import App, Environment
from kfctl.errors import RenderError
from kfctl.render import order
from kfctl.render.extract import extract_objects, extract_warnings
from kfctl.render.model import (
    LABEL_APP,
    LABEL_COMPONENT,
    LABEL_ENV,
    LABEL_MANAGED_BY,
    MANAGED_BY,
    Duplicate,
    Render,
    RenderedObject,
    label_value,
)
from kfctl.render.scopes import crd_scopes_of, default_namespace
from kfctl.render.sources import Libraries, build_inputs, make_import_rewriter


SPLIT_MIN_COMPONENTS = 100  # from here on, an env's components are evaluated on two cores where possible


def evaluate_env(app: App, env: Environment, libs: Libraries, *, select: Sequence[str] | None = None, engine: str | None = None,
                 ext_vars: dict | None = None, params_only: bool = False) -> Any:
    from kfctl.jsonnet import evaluate

    inputs = build_inputs(app, env, libs, select=list(select) if select else None, ext_vars=ext_vars,
                          params_only=params_only)
    if select:
        known = {c.name for c in inputs.components}
        missing = [c for c in select if c not in known]
        if missing:
            from kfctl.errors import NotFoundError
            from kfctl.util.suggest import did_you_mean

            raise NotFoundError(f"component {missing[0]!r} does not exist{did_you_mean(missing[0], known)}",
                                hint="see 'kfctl component list'")
    comps = [] if params_only else [c for c in inputs.components if not select or c.name in select]
    return evaluate(
        inputs.snippet,
        filename=str(app.env_dir(env) / ("<params>" if params_only else "<render>")),
        jpath=inputs.jpath,
        on_demand=inputs.on_demand,
        preload=[c.path for c in comps],
        split=_halves(comps) if len(comps) >= SPLIT_MIN_COMPONENTS else None,
        ext_codes=inputs.ext_codes,
        ext_vars=inputs.ext_vars,
        engine=engine,
        configured_engine=app.jsonnet_engine,
        import_rewriter=make_import_rewriter(app, env),
        display_root=app.root,
    )


def _halves(comps) -> tuple[list[str], list, list]:
    """(the first half of the component names in jsonnet's order, their files, the other files)."""
    ordered = sorted(comps, key=lambda c: c.name)
    first = ordered[:len(ordered) // 2]
    return [c.name for c in first], [c.path for c in first], [c.path for c in ordered[len(first):]]


def render_env(app: App, env: Environment | str, libs: Libraries, *, components: Sequence[str] | None = None,
               kinds: Sequence[str] | None = None, names: Sequence[str] | None = None,
               engine: str | None = None, ext_vars: dict | None = None, mirror_images: bool = True) -> Render:
    """``mirror_images=False``: the images as the sources name them (``kfctl images`` maps them itself)."""
    from kfctl.util.gcpause import paused

    if isinstance(env, str):
        env = app.env(env)
    with paused():  # no collector passes over the objects as they are made (kfctl.util.gcpause)
        value = evaluate_env(app, env, libs, select=components, engine=engine, ext_vars=ext_vars)
        if not isinstance(value, dict):
            raise RenderError(f"environments/{env.path}/main.jsonnet must evaluate to an object of components, "
                              f"got {type(value).__name__}")
        from kfctl.app.components import ComponentPackages

        return objects_from_value(app.name, env, value, kinds=kinds, names=names,
                                  package_of=ComponentPackages(app, env), mirror_images=mirror_images)


def objects_from_value(app_name: str, env: Environment, value: dict, *, kinds: Sequence[str] | None = None,
                       names: Sequence[str] | None = None, package_of=None, mirror_images: bool = True) -> Render:
    render = Render(app=app_name, env=env.name, namespace=env.namespace)
    if package_of is not None:
        render.package_of = package_of
    raw: list[tuple[str, dict]] = []
    for component in sorted(value):
        for obj in extract_objects(component, value[component]):
            raw.append((component, obj))
        for w in extract_warnings(component, value[component]):
            render.warnings.append(f"component {component!r}: {w}")
    render.crd_scopes = crd_scopes_of(o for _, o in raw)
    # two components defining one CRD: the message names both packages and the params that resolve it
    crd_clash: dict[str, str] = {}
    crd_seen: dict[str, tuple[str, dict]] = {}
    for component, obj in raw:
        if obj.get("kind") == "CustomResourceDefinition" and (obj.get("metadata") or {}).get("name"):
            name = obj["metadata"]["name"]
            if name in crd_seen and crd_seen[name][0] != component and name not in crd_clash:
                from kfctl.registry.builtin_crds import clash_message

                crd_clash[name] = clash_message(name, crd_seen[name], (component, obj), render.package_of)
            crd_seen.setdefault(name, (component, obj))
    seen: dict[tuple, list[str]] = {}
    app_label, env_label, component_labels = label_value(app_name), label_value(env.name), {}
    for component, obj in raw:
        meta = default_namespace(obj, env.namespace, render.crd_scopes, strip_cluster_scoped=True)
        labels = meta.get("labels")
        if not isinstance(labels, dict):
            labels = meta["labels"] = {}
        labels[LABEL_MANAGED_BY] = MANAGED_BY
        labels[LABEL_APP] = app_label
        labels[LABEL_ENV] = env_label
        if component not in component_labels:
            component_labels[component] = label_value(component)
        labels[LABEL_COMPONENT] = component_labels[component]
        render.objects.append(RenderedObject(component, obj))
    if mirror_images:  # the env's image mirror: the one place every command's objects get it
        from kfctl.render.mirror import MirrorPolicy, apply_mirror

        apply_mirror(render, MirrorPolicy.of(env))
    if kinds:
        wanted = {k.lower() for k in kinds}
        render.objects = [o for o in render.objects if o.kind.lower() in wanted]
    if names:
        wanted_names = set(names)
        render.objects = [o for o in render.objects if o.name in wanted_names]
    for ro in render.objects:
        if ro.name:
            seen.setdefault(ro.key, []).append(ro.component)
    for key, comps in seen.items():
        if len(comps) > 1:
            first = next(o for o in render.objects if o.key == key)
            clash = crd_clash.get(first.name) if first.kind == "CustomResourceDefinition" else None
            dup = Duplicate(first.kind, first.namespace, first.name, comps, clash)
            render.duplicates.append(dup)
            render.warnings.append(dup.warning())
    render.duplicates.sort(key=lambda d: d.crd_clash is None)  # a clash of whole packages reads best first
    # every copy of a duplicate is kept, next to each other (ks sorted the same way: stable, by
    # identity); between copies, component order (ks's was Go map order)
    render.objects.sort(key=lambda o: (*order.sort_key(o.obj), o.component))
    return render
