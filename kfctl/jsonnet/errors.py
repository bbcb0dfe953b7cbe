"""The error every engine failure becomes (kept import-light: no regex, no engine modules)."""

from __future__ import annotations

from kfctl.errors import RenderError


class JsonnetError(RenderError):
    """Evaluation failed.  ``str(err)`` is ``path:line:col: message`` + trace; ``raw`` is the engine text."""

    def __init__(self, message: str, *, raw: str = "", engine: str = "", path: str | None = None,
                 line: int | None = None, column: int | None = None, reason: str = "",
                 trace: tuple[str, ...] = (), hint: str | None = None):
        super().__init__(message, hint=hint)
        self.raw = raw
        self.engine = engine
        self.path = path
        self.line = line
        self.column = column
        self.reason = reason or message
        self.trace = trace

    @property
    def first_line(self) -> str:
        return self.message.split("\n", 1)[0]
