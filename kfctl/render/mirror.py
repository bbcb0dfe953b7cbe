"""An env's image mirror: every image of its render rewritten to ``--image-registry REGISTRY[/PREFIX]``
(repository paths kept, Docker Hub names normalised first) and per-image overrides.

Applied once, in the render pipeline (:func:`kfctl.render.pipeline.objects_from_value`), so
``show``, ``diff``, ``apply``, ``export`` and ``images`` all see the same names.  Pure.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from kfctl.errors import RenderError
from kfctl.util.imageref import Override, mirrored, parse, parse_mirror, parse_override, try_parse


@dataclass
class MirrorPolicy:
    registry: str | None = None  # REGISTRY[/PREFIX]
    overrides: list[Override] = field(default_factory=list)

    @classmethod
    def of(cls, env) -> "MirrorPolicy":
        """The policy of an :class:`~kfctl.app.app.Environment` (``image_registry``, ``image_overrides``)."""
        registry = getattr(env, "image_registry", None) or None
        overrides = []
        for src, dst in (getattr(env, "image_overrides", None) or {}).items():
            try:
                overrides.append(parse_override(f"{src}={dst}"))
            except ValueError as exc:
                raise RenderError(f"environment {env.name!r}: {exc}",
                                  hint=f"fix it with 'kfctl env set {env.name} --image-override SRC=DST'") from None
        if registry:
            try:
                parse_mirror(registry)
            except ValueError as exc:
                raise RenderError(f"environment {env.name!r}: --image-registry {exc}") from None
        return cls(registry, overrides)

    @property
    def active(self) -> bool:
        return bool(self.registry or self.overrides)

    def map(self, image: str) -> str:
        """The name ``image`` is pulled under in this env (itself when no rule applies or it is not
        a valid reference)."""
        return self.resolve(image)[0]

    def resolve(self, image: str) -> tuple[str, str | None]:
        """(name in this env, the rule that gave it: ``override SRC=DST`` | ``registry`` | None)."""
        ref = try_parse(image)
        if ref is None:
            return image, None
        for o in self.overrides:
            if o.matches(ref):
                return o.apply(ref), f"override {o.text}"
        if self.registry:
            host, prefix = parse_mirror(self.registry)
            return str(mirrored(ref, host, prefix)), "registry"
        return image, None


def apply_mirror(render, policy: MirrorPolicy) -> None:
    """Rewrite every image of ``render`` (a :class:`~kfctl.render.model.Render`) in place; two
    different images landing on one mirror name, or text that cannot be rewritten, is an error."""
    if not policy.active:
        return
    from kfctl.render.images import RewriteError, find_images, rewrite_images

    objs = [ro.obj for ro in render.objects]
    by_target: dict[str, tuple[str, str]] = {}
    invalid: set[str] = set()
    for ro, sites in zip(render.objects, find_images(objs)):
        for s in sites:
            ref = try_parse(s.image)
            if ref is None:
                invalid.add(s.image)
                continue
            target, rule = policy.resolve(s.image)
            if rule != "registry":
                continue  # overrides may merge images on purpose
            tref = parse(target)
            seen = by_target.setdefault(tref.pull_name(), (ref.pull_name(), ro.ref()))
            if seen[0] != ref.pull_name():
                raise RenderError(f"images {seen[0]} ({seen[1]}) and {ref.pull_name()} ({ro.ref()}) would both "
                                  f"be pulled as {tref.pull_name()} from the mirror",
                                  hint=f"give one its own name: kfctl env set {render.env} --image-override "
                                       f"{ref.familiar()}=REGISTRY/PATH")
    try:
        new = rewrite_images(objs, policy.map)
    except RewriteError as exc:
        raise RenderError(f"image mirror: {exc}") from None
    for ro, obj in zip(render.objects, new):
        ro.obj = obj
    for image in sorted(invalid):
        render.warnings.append(f"image {image!r} is not a valid image reference; left as it is by the mirror")
