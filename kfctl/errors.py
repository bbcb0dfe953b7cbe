"""Errors that reach the user as one clear line (never a traceback).

Every layer raises a subclass of :class:`KfctlError`; the CLI catches it, prints
``error: <message>`` (plus an optional hint) on stderr and exits with ``exit_code``.
"""

from __future__ import annotations


class KfctlError(Exception):
    """A problem the user can act on.  ``exit_code`` follows kubectl conventions."""

    exit_code = 1

    def __init__(self, message: str, *, hint: str | None = None, exit_code: int | None = None):
        super().__init__(message)
        self.message = message
        self.hint = hint
        if exit_code is not None:
            self.exit_code = exit_code

    def __str__(self) -> str:  # pragma: no cover - trivial
        return self.message


class UsageError(KfctlError):
    """Wrong flags/arguments: exit 2 like click/kubectl usage errors."""

    exit_code = 2


class AppError(KfctlError):
    """The app repo (app.yaml, params files, environments) is missing or malformed."""


class NotFoundError(KfctlError):
    """A named thing (env, component, prototype, registry, package) does not exist."""


class ConfigError(KfctlError):
    """kubeconfig or platform profile problems."""


class RenderError(KfctlError):
    """Jsonnet evaluation or object extraction failed."""


class ClusterError(KfctlError):
    """The API server refused or failed a request."""
