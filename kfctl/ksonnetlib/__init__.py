"""ksonnet-lib (``k.libsonnet``/``k8s.libsonnet``) and Tanka k8s-libsonnet for an env's k8sVersion.

:func:`lib_dirs` is what the render layer puts on the jsonnet jpath, in ksonnet's order:
``lib/``, then the ksonnet-lib directory for the version, then a root holding
``github.com/jsonnet-libs/k8s-libsonnet/<major.minor>/main.libsonnet`` for Tanka-style code.

The ksonnet-lib directory is the app's own ``lib/ksonnet-lib/<ver>/`` when it has one (written
by ``ks``, or by :func:`materialize`); otherwise the library is generated once into the user
cache (``$XDG_CACHE_HOME/kfctl/ksonnet-lib/<ver>/``, default ``~/.cache``) and served from
there, so an app cloned from git (ks gitignored ``lib/ksonnet-lib``) renders offline with no
extra step.  When cached, :func:`lib_dirs` costs a few ``stat`` calls.
"""

from __future__ import annotations

import os
from pathlib import Path

from kfctl.errors import KfctlError
from kfctl.util.cache import cache_root

__all__ = ["lib_dirs", "ensure_ksonnet_lib", "ensure_tanka_lib", "materialize", "cache_root", "KsonnetLibError"]

_STAMP_PREFIX = ".kfctl-generated-"
_TANKA_PREFIX = Path("github.com") / "jsonnet-libs" / "k8s-libsonnet"
_fast: dict[tuple, list[Path]] = {}


class KsonnetLibError(KfctlError):
    """The ksonnet-lib for a Kubernetes version cannot be produced."""


def _stamp() -> str:
    from kfctl.ksonnetlib.generate import GENERATOR_VERSION

    return _STAMP_PREFIX + GENERATOR_VERSION


def _minor(k8s_version: str) -> str:
    from kfctl.ksonnetlib.defs import DefsError, parse_version

    try:
        major, minor = parse_version(k8s_version)
    except DefsError as e:
        raise KsonnetLibError(str(e)) from None
    return f"{major}.{minor}"


def _version_dir_name(k8s_version: str) -> str:
    v = k8s_version.strip()
    return v if v.startswith("v") else "v" + v


def _model(k8s_version: str) -> tuple[dict, str]:
    from kfctl.ksonnetlib import defs

    try:
        mm, exact = defs.resolve(k8s_version)
    except defs.DefsError as e:
        raise KsonnetLibError(str(e)) from None
    if not exact:
        import logging

        logging.getLogger(__name__).warning(
            f"no Kubernetes API definitions for {k8s_version}; generating ksonnet-lib from the nearest "
            f"version v{mm[0]}.{mm[1]}"
        )
    return defs.load(mm), f"v{mm[0]}.{mm[1]}"


def _write_dir(target: Path, files: dict[str, str]) -> None:
    """Write files into ``target`` atomically as a whole (temp dir + rename), stamp last."""
    import tempfile

    target.parent.mkdir(parents=True, exist_ok=True)
    tmp = Path(tempfile.mkdtemp(prefix=f".{target.name}.", dir=target.parent))
    os.chmod(tmp, 0o755)
    try:
        for rel, text in files.items():
            p = tmp / rel
            p.parent.mkdir(parents=True, exist_ok=True)
            p.write_text(text, encoding="utf-8")
        (tmp / _stamp()).write_text("", encoding="utf-8")
        if (target / _stamp()).is_file():  # a concurrent kfctl finished the same library first
            return
        if target.exists():
            import shutil

            old = target.with_name(f".{target.name}.old.{os.getpid()}")
            os.replace(target, old)
            shutil.rmtree(old, ignore_errors=True)
        try:
            os.replace(tmp, target)
        except OSError:
            if not (target / _stamp()).is_file():  # a concurrent writer lost the race the other way
                raise
    finally:
        if tmp.exists():
            import shutil

            shutil.rmtree(tmp, ignore_errors=True)


def ksonnet_files(k8s_version: str) -> dict[str, str]:
    from kfctl.ksonnetlib.generate import KSONNET_K_LIBSONNET, ksonnet_k8s

    from kfctl.ksonnetlib.defs import parse_version, with_legacy

    model, _ = _model(k8s_version)
    model = with_legacy(model, parse_version(model["version"]))
    return {"k8s.libsonnet": ksonnet_k8s(model, _version_dir_name(k8s_version)), "k.libsonnet": KSONNET_K_LIBSONNET}


def tanka_files(k8s_version: str) -> dict[str, str]:
    from kfctl.ksonnetlib.tanka import tanka_main

    minor = _minor(k8s_version)
    model, _ = _model(k8s_version)
    main = tanka_main(model, "v" + minor)
    base = _TANKA_PREFIX / minor
    return {str(base / "main.libsonnet"): main,
            str(base / "gen.libsonnet"): "import 'main.libsonnet'\n"}


def ensure_ksonnet_lib(k8s_version: str) -> Path:
    """The cached ksonnet-lib directory for ``k8s_version`` (generated if missing)."""
    target = cache_root() / "ksonnet-lib" / _version_dir_name(k8s_version)
    if not (target / _stamp()).is_file():
        try:
            _write_dir(target, ksonnet_files(k8s_version))
        except OSError as e:
            raise KsonnetLibError(f"cannot write ksonnet-lib cache {target}: {e.strerror or e}") from None
    return target


def ensure_tanka_lib(k8s_version: str) -> Path:
    """A jpath root holding ``github.com/jsonnet-libs/k8s-libsonnet/<minor>/main.libsonnet``."""
    target = cache_root() / "k8s-libsonnet" / _minor(k8s_version)
    if not (target / _stamp()).is_file():
        try:
            _write_dir(target, tanka_files(k8s_version))
        except OSError as e:
            raise KsonnetLibError(f"cannot write k8s-libsonnet cache {target}: {e.strerror or e}") from None
    return target


def materialize(app_root: Path, k8s_version: str, *, force: bool = False) -> Path:
    """Write ksonnet-lib into the app as ks did: ``lib/ksonnet-lib/<ver>/{k,k8s}.libsonnet``."""
    target = Path(app_root) / "lib" / "ksonnet-lib" / _version_dir_name(k8s_version)
    if force or not (target / "k.libsonnet").is_file():
        from kfctl.util.fsutil import atomic_write

        for name, text in ksonnet_files(k8s_version).items():
            atomic_write(target / name, text)
    return target


def lib_dirs(app_root: Path, k8s_version: str) -> list[Path]:
    """jpath entries for an app's ``lib/`` and the ksonnet-lib/k8s-libsonnet for ``k8s_version``."""
    app_root = Path(app_root)
    lib = app_root / "lib"
    own = lib / "ksonnet-lib" / _version_dir_name(k8s_version)
    ck = (str(app_root), k8s_version)
    cached = _fast.get(ck)
    if cached is not None and all((p / _stamp()).is_file() for p in cached[1:]) and \
            (own / "k.libsonnet").is_file() == (cached[1] == own):
        return list(cached)
    legacy = lib / _version_dir_name(k8s_version)  # ks 0.9-0.11 layout: lib/<ver>/
    if (own / "k.libsonnet").is_file():
        ks_dir = own
    elif (legacy / "k.libsonnet").is_file():
        ks_dir = own = legacy
    else:
        try:
            ks_dir = ensure_ksonnet_lib(k8s_version)
        except KsonnetLibError as e:
            if "cannot write" not in e.message:
                raise
            ks_dir = materialize(app_root, k8s_version)  # unwritable cache: ks's own placement
    out = [lib, ks_dir]
    try:
        out.append(ensure_tanka_lib(k8s_version))
    except KsonnetLibError as e:
        if "cannot write" not in e.message:
            raise
    if ks_dir != own:
        _fast[ck] = out
    return list(out)
