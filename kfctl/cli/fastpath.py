"""A typer-free parse of the plainest command lines of the hottest commands: `kfctl show`, `kfctl env list`
and `kfctl apply`.

Importing typer takes ~55 ms, a third of `kfctl env list`, most of `kfctl show`'s fixed cost and a tenth
of a no-op `kfctl apply`.
:func:`match` accepts a command line only if it is plainly one of these — known options spelled
``--opt value``, ``--opt=value`` or ``-o value``, each single-valued option at most once, no ``--help``,
no ``--``, no value that starts with ``-``, no ``$KFCTL_APP`` and no shell completion — and returns the
call typer would make; anything else returns None and goes to typer, whose parse, errors and help
stay the only ones.  The option tables below mirror the typer definitions; tests/test_cli_startup.py
checks them against the click commands typer builds, and runs command lines both ways.
``KFCTL_NO_FASTPATH=1`` turns it off.
"""

from __future__ import annotations

import os
from typing import Callable

# option spelling -> (parameter, kind); kind: "str", "list", "flag", "count", "path", "float", "int", or a
# tuple of choices
ROOT = {"--app": ("app_dir", "path"), "--verbose": ("verbose", "count"), "-v": ("verbose", "count"),
        "--no-color": ("no_color", "flag")}
ROOT_DEFAULTS = {"app_dir": None, "verbose": 0, "no_color": False}

COMMANDS: dict[tuple[str, ...], dict] = {
    ("show",): {
        "arguments": ("env",),
        "options": {"--component": ("component", "list"), "-c": ("component", "list"),
                    "--kind": ("kind", "list"), "--name": ("name", "list"),
                    "--output": ("output", "str"), "-o": ("output", "str"),
                    "--show-secrets": ("show_secrets", "flag"), "--engine": ("engine", "str")},
        "defaults": {"env": None, "component": [], "kind": [], "name": [], "output": "yaml", "show_secrets": False,
                     "engine": None},
    },
    ("apply",): {
        "arguments": ("env",),
        "options": {"--component": ("component", "list"), "-c": ("component", "list"),
                    "--dry-run": ("dry_run", "flag"), "--force-conflicts": ("force_conflicts", "flag"),
                    "--force-apply": ("force_apply", "flag"), "--qps": ("qps", "float"), "--burst": ("burst", "int"),
                    "--prune": ("prune_", "flag"), "--wait": ("wait", "flag"), "--timeout": ("timeout", "str"),
                    "--status-grace": ("status_grace", "str"), "--yes": ("yes", "flag"), "-y": ("yes", "flag"),
                    "--output": ("output", "str"), "-o": ("output", "str"), "--context": ("context", "str"),
                    "--kubeconfig": ("kubeconfig", "str"), "--engine": ("engine", "str"),
                    "--request-timeout": ("request_timeout", "str")},
        "defaults": {"env": None, "component": [], "dry_run": False, "force_conflicts": False, "force_apply": False,
                     "qps": 500.0, "burst": 1000, "prune_": False, "wait": False, "timeout": "5m",
                     "status_grace": "15s", "yes": False, "output": "table", "context": None, "kubeconfig": None,
                     "engine": None, "request_timeout": "30s"},
    },
    ("env", "list"): {
        "arguments": (),
        "options": {"--output": ("output", ("table", "json", "yaml")), "-o": ("output", ("table", "json", "yaml"))},
        "defaults": {"output": "table"},
    },
}


def _options(tokens: list[str], table: dict, values: dict, stop_at_positional: bool) -> list[str] | None:
    """Consume options of ``table`` from ``tokens`` into ``values``; return the positional tokens, or None
    when the line is not plain (then typer decides)."""
    positional: list[str] = []
    seen: set[str] = set()
    i = 0
    while i < len(tokens):
        tok = tokens[i]
        if not tok.startswith("-") or tok == "-":
            if stop_at_positional:
                return positional + tokens[i:]
            positional.append(tok)
            i += 1
            continue
        name, eq, attached = tok.partition("=") if tok.startswith("--") else (tok, "", "")
        spec = table.get(name)
        if spec is None:
            return None  # --help, --, unknown or combined short options: typer's business
        param, kind = spec
        if kind in ("flag", "count"):
            if eq:
                return None
            values[param] = values[param] + 1 if kind == "count" else True
            i += 1
            continue
        if eq:
            value = attached
            i += 1
        else:
            if i + 1 >= len(tokens):
                return None
            value = tokens[i + 1]
            i += 2
        if value.startswith("-"):
            return None
        if kind == "list":
            values[param] = [*values[param], value]
            continue
        if param in seen:
            return None
        seen.add(param)
        if isinstance(kind, tuple):
            if value not in kind:
                return None  # typer's error message (or its case-insensitive match)
        if kind == "path":
            from pathlib import Path

            value = Path(value)
        elif kind in ("float", "int"):
            if not _plain_number(value, kind):
                return None  # typer's conversion (and its error) decides
            value = float(value) if kind == "float" else int(value)
        values[param] = value
    return positional


def _plain_number(text: str, kind: str) -> bool:
    """Digits (with one '.' for a float): what click converts exactly as Python does."""
    whole, dot, frac = text.partition(".")
    if kind == "int":
        return text.isascii() and text.isdigit()
    return bool(whole or frac) and all(p == "" or (p.isascii() and p.isdigit()) for p in (whole, frac))


def match(args: list[str]) -> Callable[[], None] | None:
    """The call for a plain `show` / `env list` / `apply` command line, else None."""
    if os.environ.get("KFCTL_NO_FASTPATH") or os.environ.get("KFCTL_APP") is not None:
        return None
    root = dict(ROOT_DEFAULTS)
    rest = _options(args, ROOT, root, stop_at_positional=True)
    if not rest:
        return None
    for path, spec in COMMANDS.items():
        if tuple(rest[:len(path)]) == path:
            values = {k: (list(v) if isinstance(v, list) else v) for k, v in spec["defaults"].items()}
            positional = _options(rest[len(path):], spec["options"], values, stop_at_positional=False)
            if positional is None or len(positional) > len(spec["arguments"]):
                return None
            values.update(zip(spec["arguments"], positional))
            return _call(path, root, values)
    return None


def _call(path: tuple[str, ...], root: dict, values: dict) -> Callable[[], None]:
    def call() -> None:
        from kfctl.cli import hot

        hot.setup(root["app_dir"], root["verbose"], root["no_color"])
        if path == ("show",):
            hot.show(**values)
        elif path == ("apply",):
            hot.apply(**values)
        else:
            from kfctl.output.formats import ListFormat

            hot.env_list(ListFormat(values["output"]))
    return call
