"""Where an environment's files live: ``environments/<path>/`` (never outside environments/), with
``main.jsonnet`` and ``params.libsonnet``, which an env cannot render without."""

from __future__ import annotations

from pathlib import Path, PurePosixPath

from kfctl.errors import AppError


def env_file(app, env, name: str) -> Path:
    """``environments/<env>/<name>`` (main.jsonnet, params.libsonnet), which must exist: ks 0.13 failed
    without them too, and rendering without them would deploy the bare component params."""
    path = app.env_dir(env) / name
    if not path.exists() and not path.is_symlink():
        raise AppError(f"{path.relative_to(app.root)}: not found (environment {env.name!r} needs it)",
                       hint="restore it, e.g. from version control")
    return path


def env_path_problem(path: str) -> str | None:
    """Why ``path`` cannot be an env directory (relative to environments/), or None."""
    p = PurePosixPath(path)
    if p.is_absolute() or "\\" in path or any(part == ".." for part in p.parts) or not p.parts:
        return "must be a relative path inside environments/"
    return None
