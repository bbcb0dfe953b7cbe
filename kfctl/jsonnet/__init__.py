"""Jsonnet evaluation behind one protocol (rjsonnet, go-jsonnet, C++ jsonnet).

``evaluate(snippet, ...)`` returns the parsed JSON value.  Engine modules are imported lazily so that
``import kfctl.jsonnet`` stays cheap.  See docs/jsonnet-engines.md.
"""

from __future__ import annotations

import os
TYPE_CHECKING = False

from kfctl.jsonnet.errors import JsonnetError

if TYPE_CHECKING:  # pragma: no cover
    from collections.abc import Callable, Mapping, Sequence
    from pathlib import Path
    from typing import Any

ENGINES = ("rjsonnet", "gojsonnet", "jsonnet")
ENGINE_CHOICES = (*ENGINES, "default")
ENV_VAR = "KFCTL_JSONNET_ENGINE"
FAST_ENGINE = "rjsonnet"
REFERENCE_ENGINE = "gojsonnet"

__all__ = ["evaluate", "JsonnetError", "ENGINES", "ENGINE_CHOICES", "resolve_engine_name"]

_fallback_warned = False


def resolve_engine_name(name: str | None = None, *, configured: str | None = None) -> str:
    """The engine to use: ``name`` (e.g. ``--engine``), else ``$KFCTL_JSONNET_ENGINE``, else ``configured``
    (app.yaml ``kfctl.engine``), else ``default``.  Raises UsageError naming the valid engines."""
    if name:
        chosen, source = name, ""
    elif os.environ.get(ENV_VAR):
        chosen, source = os.environ[ENV_VAR], f" (from ${ENV_VAR})"
    elif configured:
        chosen, source = configured, " (from app.yaml kfctl.engine)"
    else:
        chosen, source = "default", ""
    chosen = chosen.strip().lower()
    if chosen not in ENGINE_CHOICES:
        from kfctl.errors import UsageError

        raise UsageError(f"unknown jsonnet engine {chosen!r}{source}; valid engines: {', '.join(ENGINE_CHOICES)}")
    return chosen


def evaluate(snippet: str, *, filename: str = "<entry>", jpath: Sequence[Path | str] = (),
             ext_vars: Mapping[str, str] | None = None, ext_codes: Mapping[str, str] | None = None,
             tla_codes: Mapping[str, str] | None = None, engine: str | None = None,
             import_rewriter: Callable[[Path, str], str] | None = None, display_root: Path | str | None = None,
             tla_vars: Mapping[str, str] | None = None, configured_engine: str | None = None,
             on_demand: Mapping[Path | str, Callable[[], Path | str | None]] | None = None,
             preload: Sequence[Path | str] = (),
             split: tuple[Sequence[str], Sequence[Path | str], Sequence[Path | str]] | None = None) -> Any:
    """Evaluate ``snippet`` (named ``filename`` for errors and relative imports) and return its JSON value.

    ``engine``: rjsonnet | gojsonnet | jsonnet | default (None → ``$KFCTL_JSONNET_ENGINE``, else
    ``configured_engine`` (app.yaml ``kfctl.engine``), else default; see :func:`resolve_engine_name`).
    ``default`` evaluates with rjsonnet and, if that fails, again with gojsonnet (warning once per process
    when gojsonnet succeeds); if both fail the gojsonnet error is raised.
    ``on_demand``: jpath directories that do not exist yet, each with the function that creates it and
    returns where it is (None: nowhere), called by the importer the first time it looks there.
    ``preload``: files the evaluation will import (read before it starts; served as their imports would be).
    ``split``: ``(keys, their files, the other files)`` for a program that evaluates to an object: its fields
    named in ``keys`` and the others are evaluated on two cores where that is possible
    (:mod:`kfctl.jsonnet.parallel`); the value is the same.
    Raises :class:`JsonnetError` with ``path:line:col: message`` (paths relative to ``display_root``).
    """
    name = resolve_engine_name(engine, configured=configured_engine)
    filename = os.fspath(filename)
    if isinstance(jpath, (str, os.PathLike)):
        jpath = (jpath,)
    opts = dict(filename=filename, jpath=tuple(jpath), ext_vars=ext_vars, ext_codes=ext_codes,
                tla_vars=tla_vars, tla_codes=tla_codes, import_rewriter=import_rewriter,
                display_root=display_root, on_demand=on_demand, preload=tuple(preload))
    if split is not None:
        value = _split(snippet, split, FAST_ENGINE if name == "default" else name, opts)
        if value is not None:
            return value
    if name != "default":
        return _parse(_run(name, snippet, opts), name)
    try:
        return _parse(_run(FAST_ENGINE, snippet, opts), FAST_ENGINE)
    except JsonnetError as fast_error:
        value = _parse(_run(REFERENCE_ENGINE, snippet, opts), REFERENCE_ENGINE)
        _note_fallback(fast_error, opts["display_root"], filename)
        return value


def _split(snippet: str, split, name: str, opts: dict) -> Any:
    from kfctl.jsonnet import parallel

    if not parallel.available():
        return None
    keys, first_files, other_files = split
    first, rest = parallel.split_snippet(snippet, keys)
    texts = parallel.evaluate_parts(lambda sn, pre: _run(name, sn, {**opts, "preload": tuple(pre)}),
                                    [(first, first_files), (rest, other_files)])
    if texts is None:
        return None  # (an error in a part: the whole program is evaluated, and reports it as it always did)
    try:
        return parallel.merge([_parse(t, name) for t in texts])
    except (JsonnetError, TypeError, ValueError):
        return None


def _run(name: str, snippet: str, opts: dict) -> str:
    from kfctl.jsonnet import engines

    return engines.run(name, snippet, **opts)


def _parse(text: str, engine: str) -> Any:
    import json

    try:
        return json.loads(text)
    except ValueError as exc:  # pragma: no cover - engines always emit JSON
        raise JsonnetError(f"{engine} produced invalid JSON: {exc}", raw=text, engine=engine) from None


def _note_fallback(error: JsonnetError, display_root, filename: str) -> None:
    """A warning the first time in a process, a debug message after (through :mod:`logging`)."""
    global _fallback_warned
    from kfctl.jsonnet.engines import make_display
    from kfctl.util.logs import logger

    shown = make_display(display_root)(filename)
    message = f"{FAST_ENGINE} could not evaluate {shown}: {error.first_line}; used {REFERENCE_ENGINE}"
    log = logger(__name__)
    if _fallback_warned:
        log.debug(message)
        return
    _fallback_warned = True
    log.warning(message)
