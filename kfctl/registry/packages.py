"""Packages: install (vendor) from a registry, list, describe, remove, verify; jpath for vendored code.

Installed packages live in ``vendor/<registry>/<name>/`` (ksonnet 0.9–0.11 layout, which ks 0.12–0.13
also read) and are recorded in app.yaml ``libraries`` (the form of the app's apiVersion) and in
``kfctl.lock`` with a content hash.  Apps vendored by ks 0.12+ (``vendor/<registry>/<pkg>@<version>/``)
work as they are: :func:`package_jpath` maps ``<registry>/<pkg>`` to the right versioned folder.
"""

from __future__ import annotations

import contextlib
import os
import re
import shutil
import tempfile
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Iterable

from kfctl.errors import AppError, KfctlError, NotFoundError, UsageError
from kfctl.registry.lock import diff_files, read_lock, tree_files, tree_hash, write_lock

VENDOR = "vendor"
MAP_DIR = Path(".kfctl") / "vendor-map"
_PKG_NAME = re.compile(r"^[A-Za-z0-9]([-A-Za-z0-9_.]*[A-Za-z0-9])?$")
_NAME_LINE = re.compile(r"^\s*//\s*@name\s+(\S+)", re.M)


@dataclass(frozen=True)
class PkgRef:
    registry: str | None
    package: str
    version: str | None = None

    def __str__(self) -> str:
        return f"{self.registry + '/' if self.registry else ''}{self.package}{'@' + self.version if self.version else ''}"


def parse_ref(text: str, *, need_registry: bool = True) -> PkgRef:
    t = text.strip()
    version = None
    if "@" in t:
        t, version = t.split("@", 1)
        if not version:
            raise UsageError(f"{text!r}: empty version after '@'")
    parts = t.split("/")
    if len(parts) == 2 and all(parts):
        reg, pkg = parts
    elif len(parts) == 1 and parts[0] and not need_registry:
        reg, pkg = None, parts[0]
    else:
        raise UsageError(f"{text!r}: expected REGISTRY/PACKAGE[@VERSION], e.g. kubeflow/core@v0.2.0")
    return PkgRef(reg, pkg, version)


@dataclass
class Installed:
    key: str  # app.yaml libraries key
    registry: str
    name: str  # the name it is installed under (ksonnet --name alias)
    package: str  # the registry's package name
    version: str | None
    path: Path | None  # vendored folder, if present
    envs: tuple[str, ...] = ()  # env-scoped installs

    @property
    def qualified(self) -> str:
        return f"{self.registry}/{self.name}"


# ------------------------------------------------------------------------------ vendored folders
def vendor_dir_for(root: Path, registry: str, name: str, version: str | None = None) -> Path | None:
    """The vendored folder of a library: unversioned first, then ``@version``, then the only ``@*``."""
    reg = root / VENDOR / registry
    plain = reg / name
    if plain.is_dir():
        return plain
    if version:
        v = reg / f"{name}@{version}"
        if v.is_dir():
            return v
    if reg.is_dir():
        cands = sorted(p for p in reg.glob(f"{glob_escape(name)}@*") if p.is_dir())
        if len(cands) == 1:
            return cands[0]
        if cands:
            return max(cands, key=lambda p: p.stat().st_mtime)
    return None


def glob_escape(s: str) -> str:
    return re.sub(r"([\[\]*?])", r"[\1]", s)


def installed(app) -> dict[str, Installed]:
    """Installed libraries by ``registry/name`` (global and env-scoped)."""
    raw_libs = (app.raw.get("libraries") or {}) if isinstance(app.raw.get("libraries"), dict) else {}
    out: dict[str, Installed] = {}
    for q, lib in app.libraries.items():
        raw = raw_libs.get(lib.key) or {}
        pkg = str(raw.get("package") or lib.name) if isinstance(raw, dict) else lib.name
        out[q] = Installed(lib.key, lib.registry, lib.name, pkg, None if lib.version is None else str(lib.version),
                           vendor_dir_for(app.root, lib.registry, lib.name, lib.version and str(lib.version)))
    for env in app.environments.values():
        for key, spec in (env.libraries or {}).items():
            spec = spec if isinstance(spec, dict) else {}
            name = str(spec.get("name") or str(key).split("/")[-1])
            reg = str(spec.get("registry") or (str(key).split("/")[0] if "/" in str(key) else ""))
            q = f"{reg}/{name}"
            if q in out:
                out[q].envs = tuple(sorted({*out[q].envs, env.name}))
                continue
            version = spec.get("version")
            out[q] = Installed(str(key), reg, name, str(spec.get("package") or name),
                               None if version is None else str(version),
                               vendor_dir_for(app.root, reg, name, version and str(version)), (env.name,))
    return dict(sorted(out.items()))


def _find_installed(app, registry: str, name: str) -> Installed | None:
    return installed(app).get(f"{registry}/{name}")


# ------------------------------------------------------------------------------ install
@contextlib.contextmanager
def _status(message: str):
    import sys

    if sys.stderr.isatty():
        from kfctl.output.console import stderr

        with stderr().status(message):
            yield
    else:
        yield


def install_package(app, ref: str, version: str | None = None, name: str | None = None, *,
                    force: bool = False) -> Path:
    """Vendor ``registry/pkg[@version]`` into ``vendor/<registry>/<name>/``; record it in app.yaml and the lock.

    Replaces an installed version atomically.  Returns the vendored folder.
    """
    from kfctl.output import console
    from kfctl.registry.registries import open_registry, registry_source

    r = parse_ref(ref)
    version = version or r.version
    name = name or r.package
    if not _PKG_NAME.match(name):
        raise UsageError(f"invalid package name {name!r}")
    src = registry_source(app, r.registry)
    is_git = src.protocol in ("git", "github")
    view = open_registry(app, r.registry, ref=version if is_git else None, refresh=True)
    spec = view.package(r.package)
    if not spec.path.is_dir():
        raise NotFoundError(f"registry {r.registry!r} lists package {r.package!r} at {spec.path}, which does not exist")
    if not is_git and version and version not in {spec.version, view.spec_version}:
        raise NotFoundError(
            f"registry {r.registry!r} has {r.package} at version {spec.version or view.spec_version or '(none)'}, "
            f"not {version!r}",
            hint="a folder registry holds one version; use a git registry to choose versions")
    if version:
        resolved = version
    elif is_git:
        resolved = (view.source.ref if view.checkout.ref_kind in ("tag", "commit") and view.source.ref
                    else view.checkout.commit)
    else:
        resolved = spec.version or view.spec_version or "local"
    root = app.root
    target = root / VENDOR / r.registry / name
    qualified = f"{r.registry}/{name}"

    current = _find_installed(app, r.registry, name)
    lock = read_lock(root)
    if current is not None and current.package != r.package:
        raise UsageError(f"name clash: {qualified} is already installed from package {current.package!r}",
                         hint="choose another name with --name")
    if current is None and target.exists() and not force and qualified not in lock["packages"]:
        raise UsageError(f"name clash: {target.relative_to(root)} exists but is not an installed package",
                         hint="move it away, choose another name with --name, or pass --force to replace it")
    if (current is not None and current.version == resolved and current.path is not None and not force
            and current.path == target and _matches_lock(lock, qualified, target)):
        console.info(f"{qualified}@{resolved} is already installed")
        return target

    files = sorted(p for p in spec.path.rglob("*") if ".git" not in p.relative_to(spec.path).parts)
    reg_dir = root / VENDOR / r.registry
    reg_dir.mkdir(parents=True, exist_ok=True)
    staging = Path(tempfile.mkdtemp(prefix=f".kfctl-new-{name}-", dir=reg_dir))
    trash = Path(tempfile.mkdtemp(prefix=f".kfctl-old-{name}-", dir=reg_dir))
    try:
        with _status(f"Installing {r.registry}/{r.package}@{resolved} ({len(files)} files) …"):
            new = staging / name
            shutil.copytree(spec.path, new, symlinks=True, ignore=shutil.ignore_patterns(".git"))
            digests = tree_files(new)
        entry = {
            "registry": r.registry, "package": r.package, "name": name, "version": resolved,
            "commit": view.checkout.commit,
            "source": {"protocol": view.source.protocol, "uri": view.source.uri},
            "path": f"{VENDOR}/{r.registry}/{name}",
            "sha256": tree_hash(digests), "files": digests,
        }
        with app.locked():
            app.reload()
            app_text = app.app_file.read_text(encoding="utf-8")
            lock = read_lock(root)
            moved: list[tuple[Path, Path]] = []
            placed = False
            try:
                olds = [p for p in (target, *sorted(reg_dir.glob(f"{glob_escape(name)}@*"))) if p.exists() or p.is_symlink()]
                for i, p in enumerate(olds):
                    dest = trash / f"{i}-{p.name}"
                    os.replace(p, dest)
                    moved.append((p, dest))
                os.replace(new, target)
                placed = True
                _record_library(app, r.registry, name, r.package, resolved, view)
                lock["packages"][qualified] = entry
                write_lock(root, lock)
            except BaseException:
                if placed:
                    shutil.rmtree(target, ignore_errors=True)
                for orig, dest in reversed(moved):
                    with contextlib.suppress(OSError):
                        os.replace(dest, orig)
                from kfctl.util.fsutil import atomic_write

                if app.app_file.read_text(encoding="utf-8") != app_text:
                    atomic_write(app.app_file, app_text)
                app.reload()
                raise
    except OSError as exc:
        raise KfctlError(f"cannot install {qualified}: {exc}") from None
    finally:
        shutil.rmtree(staging, ignore_errors=True)
        shutil.rmtree(trash, ignore_errors=True)
    if current is not None and current.version != resolved:
        console.success(f"Upgraded {qualified} from {current.version} to {resolved}")
    else:
        console.success(f"Installed {qualified}@{resolved} into {target.relative_to(root)}")
    return target


def _matches_lock(lock: dict, qualified: str, path: Path) -> bool:
    entry = lock["packages"].get(qualified)
    return bool(entry) and entry.get("sha256") == tree_hash(tree_files(path))


def _record_library(app, registry: str, name: str, package: str, version: str, view) -> None:
    from kfctl.util.yamlio import new_map

    api = app.api_version
    existing = next((lib.key for lib in app.libraries.values() if lib.registry == registry and lib.name == name), None)
    key = existing or (f"{registry}/{name}" if api == "0.3.0" else name)
    if api in ("0.1.0", "0.0.1") and view.source.protocol in ("git", "github"):
        body: dict[str, Any] = {"name": name, "registry": registry,
                                "gitVersion": {"commitSha": view.checkout.commit or version, "refSpec": version}}
    else:
        body = {"name": name, "registry": registry, "version": version}
    if package != name:
        body["package"] = package

    def edit(doc):
        if doc.get("libraries") is None:
            doc["libraries"] = new_map()
        libs = doc["libraries"]
        if key in libs and isinstance(libs[key], dict):
            cur = libs[key]
            for k in [k for k in cur if k not in body]:
                if k in ("version", "gitVersion", "package"):
                    del cur[k]
            for k, v in body.items():
                cur[k] = new_map(v) if isinstance(v, dict) else v
        else:
            libs[key] = new_map(body)

    app.edit(edit)


# ------------------------------------------------------------------------------ remove
def components_using(app, registry: str, package: str) -> list[str]:
    """Components made from the package's prototypes (kfctl's record) or importing ``<registry>/<package>/``."""
    users: set[str] = set()
    qualified = f"{registry}/{package}"
    inst = _find_installed(app, registry, package)
    proto_names: set[str] = set()
    if inst is not None and inst.path is not None:
        proto_names = {n for n, _ in _prototype_names(inst.path)}
    comps = (app.kfctl_settings or {}).get("components") or {}
    for comp, rec in comps.items():
        rec = rec if isinstance(rec, dict) else {}
        if rec.get("package") == qualified or (rec.get("prototype") in proto_names and not rec.get("package")):
            users.add(str(comp))
    needle = re.compile(r"""import(?:str)?\s+['"]""" + re.escape(qualified) + r"/")
    try:
        from kfctl.app.components import component_files

        files = [(c.name, c.path) for c in component_files(app)]
    except Exception:  # noqa: BLE001 - fall back to a plain scan
        files = [(p.stem, p) for p in sorted(app.components_dir.rglob("*.*sonnet"))] if app.components_dir.is_dir() else []
    for comp, path in files:
        if path.name == "params.libsonnet":
            continue
        try:
            if needle.search(path.read_text(encoding="utf-8", errors="replace")):
                users.add(comp)
        except OSError:
            continue
    existing = {c for c, _ in files}
    return sorted(u for u in users if u in existing or u in comps)


def remove_package(app, ref: str, *, force: bool = False) -> list[str]:
    """Drop a package from app.yaml, the lock and vendor/.  Returns the components that still use it."""
    from kfctl.util.fsutil import atomic_write

    r = parse_ref(ref)
    if r.version:
        raise UsageError(f"{ref!r}: remove takes REGISTRY/PACKAGE without a version")
    inst = _find_installed(app, r.registry, r.package)
    root = app.root
    lock = read_lock(root)
    qualified = f"{r.registry}/{r.package}"
    if inst is None and qualified not in lock["packages"]:
        names = [q for q in installed(app)]
        from kfctl.util.suggest import did_you_mean

        raise NotFoundError(f"package {qualified!r} is not installed{did_you_mean(qualified, names)}",
                            hint="see 'kfctl pkg list --installed'")
    users = components_using(app, r.registry, r.package)
    if users and not force:
        raise AppError(f"package {qualified} is used by component(s) {', '.join(users)}",
                         hint="remove those components first, or pass --force")
    reg_dir = root / VENDOR / r.registry
    with app.locked():
        app_text = app.app_file.read_text(encoding="utf-8")
        trash = Path(tempfile.mkdtemp(prefix=".kfctl-rm-", dir=root / VENDOR)) if (root / VENDOR).is_dir() else None
        moved: list[tuple[Path, Path]] = []
        try:
            if trash is not None and reg_dir.is_dir():
                for i, p in enumerate([reg_dir / r.package, *sorted(reg_dir.glob(f"{glob_escape(r.package)}@*"))]):
                    if p.exists() or p.is_symlink():
                        dest = trash / f"{i}-{p.name}"
                        os.replace(p, dest)
                        moved.append((p, dest))

            def edit(doc):
                def drop(libs):
                    if not libs:
                        return
                    for k in list(libs):
                        spec = libs[k] if isinstance(libs[k], dict) else {}
                        name = str(spec.get("name") or str(k).split("/")[-1])
                        reg = str(spec.get("registry") or (str(k).split("/")[0] if "/" in str(k) else ""))
                        if reg == r.registry and name == r.package:
                            del libs[k]

                drop(doc.get("libraries"))
                if "libraries" in doc and not doc["libraries"]:
                    del doc["libraries"]
                for env in (doc.get("environments") or {}).values():
                    if isinstance(env, dict) and env.get("libraries"):
                        drop(env["libraries"])
                        if not env["libraries"]:
                            del env["libraries"]

            app.edit(edit)
            if qualified in lock["packages"]:
                del lock["packages"][qualified]
                write_lock(root, lock)
        except BaseException:
            for orig, dest in reversed(moved):
                with contextlib.suppress(OSError):
                    os.replace(dest, orig)
            if app.app_file.read_text(encoding="utf-8") != app_text:
                atomic_write(app.app_file, app_text)
            app.reload()
            raise
        finally:
            if trash is not None:
                shutil.rmtree(trash, ignore_errors=True)
        if reg_dir.is_dir() and not any(reg_dir.iterdir()):
            reg_dir.rmdir()
    return users


# ------------------------------------------------------------------------------ verify / lock
@dataclass
class Problem:
    package: str
    change: str  # modified | added | removed | missing | unlocked
    path: str = ""

    def __str__(self) -> str:
        if self.change == "missing":
            return f"{self.package}: vendored folder {self.path} is missing"
        if self.change == "unlocked":
            return f"{self.package}: installed but not in the lock (run 'kfctl pkg lock')"
        return f"{self.package}: {self.change} {self.path}"


def verify(app) -> list[Problem]:
    root = app.root
    lock = read_lock(root)
    problems: list[Problem] = []
    for q, entry in sorted(lock["packages"].items()):
        path = root / str(entry.get("path") or f"{VENDOR}/{q}")
        if not path.is_dir():
            problems.append(Problem(q, "missing", str(entry.get("path"))))
            continue
        actual = tree_files(path)
        locked = entry.get("files")
        if isinstance(locked, dict):
            for change, rel in diff_files(locked, actual):
                problems.append(Problem(q, change, f"{path.relative_to(root).as_posix()}/{rel}"))
        elif tree_hash(actual) != entry.get("sha256"):
            problems.append(Problem(q, "modified", path.relative_to(root).as_posix()))
    for q, inst in installed(app).items():
        if q not in lock["packages"] and inst.path is not None:
            problems.append(Problem(q, "unlocked", inst.path.relative_to(root).as_posix()))
    return problems


def lock_vendor(app, refs: Iterable[str] = ()) -> list[str]:
    """Record the current vendored trees of installed packages in the lock (all, or the ones named)."""
    root = app.root
    wanted = {str(parse_ref(r)).split("@")[0] for r in refs}
    inst = installed(app)
    for w in wanted:
        if w not in inst:
            raise NotFoundError(f"package {w!r} is not installed")
    with app.locked():
        lock = read_lock(root)
        done = []
        for q, i in inst.items():
            if (wanted and q not in wanted) or i.path is None:
                continue
            files = tree_files(i.path)
            prev = lock["packages"].get(q, {})
            lock["packages"][q] = {
                **prev, "registry": i.registry, "package": i.package, "name": i.name, "version": i.version,
                "path": i.path.relative_to(root).as_posix(), "sha256": tree_hash(files), "files": files,
            }
            prev.setdefault("commit", None)
            lock["packages"][q].setdefault("commit", None)
            done.append(q)
        write_lock(root, lock)
    return done


# ------------------------------------------------------------------------------ jpath
def package_jpath(app, env=None) -> list[Path]:
    """Extra jpath folders so ``import "<reg>/<pkg>/x.libsonnet"`` finds ``vendor/<reg>/<pkg>@<ver>/``.

    Unversioned ``vendor/<reg>/<pkg>/`` folders need nothing (``vendor/`` is on the jpath).  For versioned
    ones a folder of symlinks ``.kfctl/vendor-map[/@<env>]/<reg>/<pkg>`` is kept in sync — checked with a
    few ``readlink`` calls, rewritten only when something changed.
    """
    vendor = app.root / VENDOR
    try:
        regs = [e for e in os.scandir(vendor) if e.is_dir() and not e.name.startswith(".")]
    except (FileNotFoundError, NotADirectoryError):
        return []
    versioned: dict[tuple[str, str], list[str]] = {}
    for reg in regs:
        try:
            for e in os.scandir(reg.path):
                if "@" in e.name and not e.name.startswith(".") and e.is_dir():
                    pkg, ver = e.name.split("@", 1)
                    versioned.setdefault((reg.name, pkg), []).append(ver)
        except OSError:
            continue
    if not versioned:
        return []
    # which version each library wants: env-scoped first, then global
    wants: dict[tuple[str, str], str] = {}
    for lib in app.libraries.values():
        if lib.version is not None:
            wants[(lib.registry, lib.name)] = str(lib.version)
    env_obj = None
    if env is not None:
        env_obj = app.environments.get(env) if isinstance(env, str) else env
    scoped = False
    if env_obj is not None and env_obj.libraries:
        for key, spec in env_obj.libraries.items():
            spec = spec if isinstance(spec, dict) else {}
            name = str(spec.get("name") or str(key).split("/")[-1])
            reg = str(spec.get("registry") or (str(key).split("/")[0] if "/" in str(key) else ""))
            if spec.get("version") is not None:
                wants[(reg, name)] = str(spec["version"])
                scoped = True
    desired: dict[str, str] = {}
    for (reg, pkg), versions in sorted(versioned.items()):
        want = wants.get((reg, pkg))
        ver = want if want in versions else (versions[0] if len(versions) == 1 else None)
        if ver is None:
            ver = max(versions, key=lambda v: os.stat(vendor / reg / f"{pkg}@{v}").st_mtime)
        desired[f"{reg}/{pkg}"] = os.path.join("..", "..", "..", "vendor", reg, f"{pkg}@{ver}")
    base = app.root / MAP_DIR
    if scoped:
        base = base / ("@" + env_obj.name.replace("/", "__"))
        depth_fix = os.path.join("..")
        desired = {k: os.path.join(depth_fix, v) for k, v in desired.items()}
    _sync_links(base, desired)
    return [base]


def _sync_links(base: Path, desired: dict[str, str]) -> None:
    current: dict[str, str] = {}
    try:
        for reg in os.scandir(base):
            if reg.is_dir(follow_symlinks=False) and not reg.name.startswith("@"):
                for e in os.scandir(reg.path):
                    if e.is_symlink():
                        current[f"{reg.name}/{e.name}"] = os.readlink(e.path)
    except FileNotFoundError:
        pass
    if current == desired:
        return
    for k, target in desired.items():
        if current.get(k) == target:
            continue
        link = base / k
        link.parent.mkdir(parents=True, exist_ok=True)
        tmp = link.parent / f".{link.name}.{os.getpid()}.tmp"
        with contextlib.suppress(FileNotFoundError):
            tmp.unlink()
        tmp.symlink_to(target, target_is_directory=True)
        os.replace(tmp, link)
    for k in set(current) - set(desired):
        with contextlib.suppress(OSError):
            (base / k).unlink()


# ------------------------------------------------------------------------------ listing
def _prototype_names(pkg_dir: Path) -> list[tuple[str, Path]]:
    out = []
    for p in sorted((pkg_dir / "prototypes").glob("*.jsonnet")):
        try:
            with p.open(encoding="utf-8", errors="replace") as fh:
                head = fh.read(8192)
        except OSError:
            continue
        m = _NAME_LINE.search(head)
        if m:
            out.append((m.group(1), p))
    return out


def _views(app, *, quiet: bool = False):
    """Registry views of every configured registry (unreachable ones skipped with a warning)."""
    from kfctl.output import console
    from kfctl.registry.registries import open_registry

    for name in sorted(app.registries):
        try:
            yield open_registry(app, name)
        except KfctlError as exc:
            if not quiet:
                console.warn(f"skipping registry {name!r}: {exc.message}")
            else:
                console.debug(f"skipping registry {name!r}: {exc.message}")


def list_packages(app, *, installed_only: bool = False) -> list[dict[str, Any]]:
    inst = installed(app)
    rows: list[dict[str, Any]] = []
    seen: set[str] = set()
    if not installed_only:
        for view in _views(app):
            for pkg, spec in view.packages.items():
                q = f"{view.name}/{pkg}"
                i = inst.get(q)
                seen.add(q)
                rows.append({"registry": view.name, "name": pkg,
                             "version": (i.version if i else None) or spec.version or view.spec_version or "",
                             "installed": i is not None, "environments": list(i.envs) if i else []})
    for q, i in inst.items():
        if q in seen:
            continue
        rows.append({"registry": i.registry, "name": i.name, "version": i.version or "", "installed": True,
                     "environments": list(i.envs)})
    rows.sort(key=lambda r: (r["registry"], r["name"]))
    return rows


def describe_package(app, ref: str) -> dict[str, Any]:
    r = parse_ref(ref, need_registry=False)
    inst = installed(app)
    if r.registry is None:
        regs = sorted({i.registry for q, i in inst.items() if i.name == r.package})
        if not regs:
            regs = [v.name for v in _views(app, quiet=True) if r.package in v.packages]
        if not regs:
            raise NotFoundError(f"no registry has a package named {r.package!r}", hint="see 'kfctl pkg list'")
        if len(regs) > 1:
            raise UsageError(f"package {r.package!r} is in several registries: {', '.join(regs)}",
                             hint="name it as REGISTRY/PACKAGE")
        r = PkgRef(regs[0], r.package, r.version)
    q = f"{r.registry}/{r.package}"
    i = inst.get(q)
    if i is not None and i.path is not None and not r.version:
        pkg_dir, version = i.path, i.version
    else:
        from kfctl.registry.registries import open_registry, registry_source

        src = registry_source(app, r.registry)
        view = open_registry(app, r.registry, ref=r.version if src.protocol in ("git", "github") else None)
        spec = view.package(r.package)
        pkg_dir, version = spec.path, r.version or spec.version or view.spec_version
    from kfctl.registry.registries import read_parts

    parts = read_parts(pkg_dir)
    protos = []
    if i is not None:
        from kfctl.registry.prototype import PrototypeError, parse_prototype

        for _, p in _prototype_names(pkg_dir):
            try:
                proto = parse_prototype(p, q)
                protos.append({"name": proto.name, "shortDescription": proto.short_description})
            except PrototypeError:
                continue
    return {"name": q, "version": version, "installed": i is not None,
            "description": str(parts.get("description") or ""), "parts": parts, "prototypes": protos,
            "path": str(pkg_dir)}


def find_package_for_prototype(app, proto_name: str) -> tuple[str, str] | None:
    """The (registry, package) whose prototypes define ``proto_name`` (full name or unique suffix)."""
    found: dict[str, set[tuple[str, str]]] = {}
    for view in _views(app, quiet=True):
        for pkg, spec in view.packages.items():
            if not spec.path.is_dir():
                continue
            for name, _ in _prototype_names(spec.path):
                found.setdefault(name, set()).add((view.name, pkg))
    if proto_name in found:
        hits = found[proto_name]
    else:
        names = [n for n in found if n.endswith(proto_name)]
        bounded = [n for n in names if len(n) == len(proto_name) or n[-len(proto_name) - 1] in ".-/_"]
        names = bounded or names
        if len(names) > 1:
            raise UsageError(f"ambiguous prototype name {proto_name!r}: registries have " + ", ".join(sorted(names)),
                             hint="use the full name")
        hits = found[names[0]] if names else set()
    if not hits:
        return None
    if len(hits) > 1:
        raise UsageError(f"prototype {proto_name!r} is in several packages: "
                         + ", ".join(f"{r}/{p}" for r, p in sorted(hits)),
                         hint="install the one you want with 'kfctl pkg install REGISTRY/PACKAGE'")
    return next(iter(hits))
