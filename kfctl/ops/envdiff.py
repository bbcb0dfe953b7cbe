"""``kfctl diff ENV1 ENV2``: two local renders compared object by object."""

from __future__ import annotations

from typing import Sequence

from kfctl.app.app import App, Environment
from kfctl.ops.render import render
from kfctl.render.envdiff import EnvDiff, compare_renders


def diff_envs(app: App, env1: Environment, env2: Environment, *, components: Sequence[str] | None = None,
              engine: str | None = None, show_secrets: bool = False) -> EnvDiff:
    a = render(app, env1, components=components, engine=engine)
    b = render(app, env2, components=components, engine=engine)
    a.unique_or_raise("diff")
    b.unique_or_raise("diff")
    return compare_renders(a, b, show_secrets=show_secrets)
