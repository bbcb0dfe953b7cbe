"""Prepare, then render: the first step of almost every use case."""

from __future__ import annotations

from typing import Sequence

from kfctl.app.app import App, Environment
from kfctl.render.model import Render


def render(app: App, env: Environment | str, *, components: Sequence[str] | None = None,
           kinds: Sequence[str] | None = None, names: Sequence[str] | None = None, engine: str | None = None,
           ext_vars: dict | None = None, warn: bool = True, mirror_images: bool = True) -> Render:
    """``kfctl show``: the env's objects (prepared libraries, then the pure render pipeline).
    ``warn``: pass the prototypes' warnings (``Render.warnings``) on as log warnings, which the CLI
    shows on stderr; a use case whose report carries them (validate) passes False.
    ``mirror_images=False``: the images as the sources name them, before the env's image mirror."""
    from kfctl.ops.prepare import prepare_env
    from kfctl.render.pipeline import render_env

    if isinstance(env, str):
        env = app.env(env)
    rendered = render_env(app, env, prepare_env(app, env), components=components or None, kinds=kinds or None,
                          names=names or None, engine=engine, ext_vars=ext_vars, mirror_images=mirror_images)
    if warn:
        from kfctl.util.logs import logger

        # a duplicate's "every copy is output" warning belongs to commands that output the copies
        # (show, export, validate carry it on their results); apply and diff refuse duplicates instead
        copies = {d.warning() for d in rendered.duplicates}
        log = logger("kfctl.render")
        for w in rendered.warnings:
            if w not in copies:
                log.warning(w)
    return rendered
