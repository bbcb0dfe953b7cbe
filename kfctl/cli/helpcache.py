"""``kfctl --help`` (and ``-h``) served from a cache of what typer printed last time.

Typer's rich help takes ~0.15 s to import and render, most of ``kfctl --help``.  The root help is
the same text every time for the same inputs, so the first run prints it through typer as always and
keeps a copy in ``<user cache>/kfctl/help/root.txt`` under a key of everything the text can depend
on; a later run whose key is the same writes the copy without importing typer or rich.  The key is
a digest (the environment can hold secrets: only its hash is stored) of:

* kfctl's version and the files of ``kfctl/cli`` (name, size, mtime: the command table and root
  options live there), the installed typer, rich and click (their dist-info names and package
  directories' mtimes), the Python running;
* the whole environment (COLUMNS, TERM, NO_COLOR, FORCE_COLOR, TERMINAL_WIDTH, ... all steer rich)
  except ``PWD``/``OLDPWD``/``_``/``SHLVL``;
* whether fds 0/1/2 are terminals and their sizes, and stdout's encoding.

Anything unreadable, or ``KFCTL_NO_HELP_CACHE=1``, means typer prints it (and nothing is cached if
typer did not exit 0).  Other help pages (``kfctl env --help``) always go to typer.
"""

from __future__ import annotations

import os
import sys

_VOLATILE = frozenset({"PWD", "OLDPWD", "_", "SHLVL"})


def wanted(args: list[str]) -> bool:
    return (len(args) == 1 and args[0] in ("--help", "-h") and "_KFCTL_COMPLETE" not in os.environ
            and os.environ.get("KFCTL_NO_HELP_CACHE") != "1")


def cache_file() -> str:
    """(kfctl.util.cache.cache_root without importing pathlib.)"""
    base = os.environ.get("XDG_CACHE_HOME") or os.path.join(os.path.expanduser("~"), ".cache")
    return os.path.join(base, "kfctl", "help", "root.txt")


def _stat(path: str) -> str:
    try:
        st = os.stat(path)
        return f"{path}:{st.st_size}:{st.st_mtime_ns}"
    except OSError:
        return f"{path}:-"


def _packages() -> list[str]:
    """typer, rich and click as installed: where, which version (dist-info), when (mtimes)."""
    from importlib.machinery import PathFinder

    out = []
    dirs = set()
    for name in ("typer", "rich", "click"):
        spec = PathFinder.find_spec(name)
        locations = list(spec.submodule_search_locations or []) if spec is not None else []
        out.append(f"{name}={locations}")
        for loc in locations:
            out.append(_stat(loc))
            out.append(_stat(os.path.join(loc, "__init__.py")))
            dirs.add(os.path.dirname(loc))
    for d in sorted(dirs):
        try:
            names = os.listdir(d)
        except OSError:
            continue
        out += sorted(n for n in names if n.endswith((".dist-info", ".egg-info"))
                      and n.split("-")[0].lower() in ("typer", "rich", "click"))
    return out


def _sha256():
    try:  # the builtin module: hashlib would load OpenSSL first (~5 ms)
        from _sha256 import sha256
    except ImportError:
        try:
            from _sha2 import sha256
        except ImportError:
            from hashlib import sha256
    return sha256


def key() -> str:
    from kfctl import __version__

    here = os.path.dirname(os.path.abspath(__file__))
    parts = [__version__, sys.version, sys.executable, here, str(getattr(sys.stdout, "encoding", None)),
             str(getattr(sys.stdout, "errors", None))]
    try:
        parts += sorted(f"{e.name}:{e.stat().st_size}:{e.stat().st_mtime_ns}" for e in os.scandir(here)
                        if e.name.endswith(".py"))
    except OSError:
        parts.append("cli:-")
    parts += _packages()
    for fd in (0, 1, 2):
        try:
            tty = os.isatty(fd)
        except OSError:
            tty = None
        try:
            size = tuple(os.get_terminal_size(fd))
        except (OSError, ValueError):
            size = None
        parts.append(f"fd{fd}:{tty}:{size}")
    parts += sorted(f"{k}={v}" for k, v in os.environ.items() if k not in _VOLATILE)
    return _sha256()("\0".join(parts).encode("utf-8", "surrogateescape")).hexdigest()


class _Tee:
    """sys.stdout as rich sees it (isatty, encoding, ... are the real stream's), keeping what is written."""

    def __init__(self, real):
        self._real = real
        self.parts: list[str] = []
        self.bypassed = False  # someone wrote around write() (click on a misconfigured stream): keep nothing

    def write(self, text):
        n = self._real.write(text)  # (click probes with b"": the real stream refuses it)
        self.parts.append(text)
        return n

    def writelines(self, lines):
        for line in lines:
            self.write(line)

    def __getattr__(self, name):
        if name in ("buffer", "detach", "raw"):
            self.bypassed = True
        return getattr(self._real, name)


_key: list[str | None] = []


def _cached_key() -> str | None:
    if not _key:
        try:
            _key.append(key())
        except Exception:  # pragma: no cover - an odd platform: no cache
            _key.append(None)
    return _key[0]


def serve() -> bool:
    """Write the cached root help if its key matches (True), else nothing (False)."""
    k = _cached_key()
    if k is None:
        return False
    try:
        with open(cache_file(), encoding="utf-8", errors="surrogateescape", newline="") as fh:
            if fh.readline().rstrip("\n") != k:
                return False
            text = fh.read()
    except (OSError, ValueError):
        return False
    if not text:
        return False
    sys.stdout.write(text)
    sys.stdout.flush()
    return True


def record(render):
    """``render()`` (typer printing the root help), keeping what it wrote to stdout if it succeeded."""
    real = sys.stdout
    tee = sys.stdout = _Tee(real)
    try:
        rc = render()
    finally:
        if sys.stdout is tee:
            sys.stdout = real
    k = _cached_key()
    if k is not None and rc in (0, None) and tee.parts and not tee.bypassed:
        _store(cache_file(), k, "".join(tee.parts))
    return rc


def _store(path: str, k: str, text: str) -> None:
    import tempfile

    try:
        os.makedirs(os.path.dirname(path), exist_ok=True)
        fd, tmp = tempfile.mkstemp(dir=os.path.dirname(path), prefix=".root-", suffix=".tmp")
        try:
            with os.fdopen(fd, "w", encoding="utf-8", errors="surrogateescape", newline="") as fh:
                fh.write(k + "\n" + text)
            os.replace(tmp, path)
        except BaseException:
            os.unlink(tmp)
            raise
    except OSError:
        pass  # a read-only cache: the help is only slower
