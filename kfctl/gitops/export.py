"""``kfctl export``: one YAML file per rendered object, plus an index, written idempotently.

The core is pure over a :class:`~kfctl.render.model.Render`: :func:`plan_export` maps objects to
file names and bytes, :func:`write_export` reconciles a directory with that plan.  Files whose
bytes did not change are not touched (mtimes stay); every write is atomic.

Merge strategies (what may already be in the directory):

``fail`` (default)
    the directory must be empty, or hold only files of this env's previous export (per the
    index); anything else (another env's export, hand-written files) aborts before writing.
``replace-env``
    other files may live next to the export; this env's previously exported files that no
    longer render are removed, nothing else is touched.  A planned file that would overwrite a
    file this env did not export is still refused.

With either strategy, files this env exported before and no longer renders are removed (restricted
to the selected components with ``-c``), so the directory always mirrors the render.
"""

from __future__ import annotations

import hashlib
import os
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Sequence

from kfctl.errors import KfctlError, UsageError
from kfctl.gitops.index import INDEX_FILE, load_index
from kfctl.gitops.naming import DEFAULT_TEMPLATE, check_template, file_name
from kfctl.render.model import Render
from kfctl.util.fsutil import atomic_write
from kfctl.util.yamlio import dump_yaml

MERGE_STRATEGIES = ("fail", "replace-env")
KUSTOMIZATION_FILE = "kustomization.yaml"


class ExportError(KfctlError):
    """The export directory is in a state kfctl refuses to write over."""


@dataclass
class PlannedFile:
    path: str
    content: bytes
    entry: dict[str, Any]


@dataclass
class ExportResult:
    env: str
    directory: Path
    written: list[str] = field(default_factory=list)
    unchanged: list[str] = field(default_factory=list)
    removed: list[str] = field(default_factory=list)
    label: str | None = None  # what was exported when it is not an env ("Argo CD Applications")
    warnings: list[str] = field(default_factory=list)  # from the render (objects rendered twice)

    def to_dict(self) -> dict[str, Any]:
        out = {"env": self.env, "directory": str(self.directory), "written": list(self.written),
               "unchanged": len(self.unchanged), "removed": list(self.removed)}
        if self.label:
            out["label"] = self.label
        return out

    def summary(self) -> str:
        return (f"{self.label or 'env ' + self.env}: {len(self.written)} written, {len(self.unchanged)} unchanged, "
                f"{len(self.removed)} removed in {self.directory}")


def sha256_hex(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


SYNC_WAVE = "argocd.argoproj.io/sync-wave"


def with_sync_wave(obj: dict) -> dict:
    """``obj`` annotated with its Argo CD sync wave: kfctl's GitOps tier (0 CRDs, 1 backends, 2 the rest)."""
    from kfctl.render.order import gitops_tier

    meta = dict(obj.get("metadata") or {})
    meta["annotations"] = {**(meta.get("annotations") or {}), SYNC_WAVE: str(gitops_tier(str(obj.get("kind", ""))))}
    return {**obj, "metadata": meta}


def plan_export(render: Render, template: str = DEFAULT_TEMPLATE, *, sync_waves: bool = False) -> dict[str, PlannedFile]:
    """File name → content for every object of ``render``; two objects on one file name is an error,
    except copies of one object (rendered by two components): one file holds every copy, as
    ``kfctl show`` prints them (the index names the first component, ``components`` all).
    ``sync_waves``: each object carries its ``argocd.argoproj.io/sync-wave`` annotation."""
    template = check_template(template)
    plan: dict[str, PlannedFile] = {}
    folded: dict[str, str] = {}
    owners: dict[str, str] = {}
    keys: dict[str, tuple] = {}
    for ro in render.objects:
        rel = file_name(template, ro, render.env, render.crd_scopes)
        key = rel.casefold()  # a repo that cannot be checked out on macOS/Windows is no good either
        if key in folded and keys.get(folded[key]) == ro.key and folded[key] == rel:
            pf = plan[rel]
            pf.content += b"---\n" + dump_yaml(with_sync_wave(ro.obj) if sync_waves else ro.obj).encode("utf-8")
            pf.entry["components"] = [*pf.entry.get("components", [pf.entry["component"]]), ro.component]
            pf.entry["sha256"] = sha256_hex(pf.content)
            continue
        if key in folded:
            other = owners[folded[key]]
            raise ExportError(f"--format {template!r} maps {other} and {ro.ref()} to the same file "
                              f"{folded[key]}", hint="use a template with more fields, e.g. {component} or {apiVersion}")
        folded[key] = rel
        keys[rel] = ro.key
        owners[rel] = ro.ref()
        content = dump_yaml(with_sync_wave(ro.obj) if sync_waves else ro.obj).encode("utf-8")
        plan[rel] = PlannedFile(rel, content, {
            "env": render.env, "component": ro.component, "apiVersion": ro.api_version, "kind": ro.kind,
            "namespace": ro.namespace, "name": ro.name, "sha256": sha256_hex(content),
        })
    return plan


def _existing_files(directory: Path, skip_subdirs: Sequence[str] = ()) -> set[str]:
    """Relative POSIX paths of files under ``directory`` (skips .git and nested export roots)."""
    from kfctl.util.leftovers import is_kfctl_temp

    out: set[str] = set()
    if not directory.exists():
        return out
    check_export_dir(directory)
    skip = {s.strip("/") for s in skip_subdirs}
    for root, dirs, files in os.walk(directory):
        rel_root = Path(root).relative_to(directory).as_posix()
        rel_root = "" if rel_root == "." else rel_root
        keep = []
        for d in sorted(dirs):
            rel = f"{rel_root}/{d}" if rel_root else d
            if d == ".git" or rel in skip or (Path(root, d, INDEX_FILE).is_file()):
                continue
            keep.append(d)
        dirs[:] = keep
        for f in files:
            rel = f"{rel_root}/{f}" if rel_root else f
            if rel != INDEX_FILE and not is_kfctl_temp(f):  # a killed export's temp file is kfctl's own
                out.add(rel)
    return out


def check_export_dir(directory: Path | str) -> None:
    """``directory`` is a directory or can be made one: neither it nor a parent is a regular file."""
    d = Path(directory)
    for p in (d, *d.parents):
        if p.exists():
            if not p.is_dir():
                raise ExportError(f"{p} is a file; export writes one file per object into a directory")
            return


def _read_bytes(path: Path) -> bytes | None:
    try:
        return path.read_bytes()
    except (FileNotFoundError, IsADirectoryError, NotADirectoryError):
        return None


def tier_kustomizations(files: Sequence[str]) -> dict[str, bytes]:
    """``<tier>/kustomization.yaml`` for each tier directory the files are in (a Flux Kustomization's path)."""
    from kfctl.render.order import GITOPS_TIERS

    out: dict[str, list[str]] = {}
    for f in files:
        tier, _, rest = f.partition("/")
        if tier in GITOPS_TIERS and rest:
            out.setdefault(tier, []).append(rest)
    return {f"{t}/{KUSTOMIZATION_FILE}": _kustomization_text(fs) for t, fs in sorted(out.items())}


def _kustomization_text(files: Sequence[str]) -> bytes:
    doc = {"apiVersion": "kustomize.config.k8s.io/v1beta1", "kind": "Kustomization", "resources": sorted(files)}
    return ("# generated by kfctl export; do not edit\n" + dump_yaml(doc)).encode("utf-8")


def _example(paths: Sequence[str], n: int = 3) -> str:
    paths = sorted(paths)
    more = f" and {len(paths) - n} more" if len(paths) > n else ""
    return ", ".join(paths[:n]) + more


def write_export(render: Render, directory: Path | str, *, template: str | None = None,
                 merge_strategy: str = "fail", kustomization: bool | None = None,
                 components: Sequence[str] | None = None, skip_subdirs: Sequence[str] = (),
                 sync_waves: bool | None = None, tiers: bool | None = None,
                 label: str | None = None) -> ExportResult:
    """Reconcile ``directory`` with the export of ``render``.

    ``template``/``kustomization``/``sync_waves``/``tiers`` None mean "as this env's previous export
    did" (from the index), else the defaults.  ``components`` restricts stale-file removal to those
    components (a partial render must not delete the rest of the env).  ``sync_waves``: objects carry
    Argo CD sync waves; ``tiers``: files go to one directory per tier (``{tier}/`` leads the
    template), each with a kustomization.yaml (Flux Kustomizations point at them).
    """
    if merge_strategy not in MERGE_STRATEGIES:
        raise UsageError(f"unknown merge strategy {merge_strategy!r}: use {' or '.join(MERGE_STRATEGIES)}")
    directory = Path(directory)
    check_export_dir(directory)
    env = render.env
    if directory.is_dir():
        from kfctl.util.leftovers import clean_temp_files

        clean_temp_files(directory)  # a killed export's (the caller holds the export lock)
    index = load_index(directory)
    previous = index.envs.get(env, {})
    if sync_waves is None:
        sync_waves = bool(previous.get("syncWaves", False))
    if tiers is None:
        tiers = bool(previous.get("tiers", False))
    from kfctl.gitops.naming import TIERED_TEMPLATE

    template = check_template(template or previous.get("format") or (TIERED_TEMPLATE if tiers else DEFAULT_TEMPLATE))
    if tiers and not template.startswith("{tier}/"):
        raise UsageError(f"--format {template!r}: one directory per tier needs a template starting with '{{tier}}/'",
                         hint=f"use e.g. {TIERED_TEMPLATE}")
    if kustomization is None:
        kustomization = bool(previous.get("kustomization", False)) or tiers
    plan = plan_export(render, template, sync_waves=sync_waves)

    reserved = {INDEX_FILE, KUSTOMIZATION_FILE} if kustomization else {INDEX_FILE}
    if tiers:
        from kfctl.render.order import GITOPS_TIERS

        reserved |= {f"{t}/{KUSTOMIZATION_FILE}" for t in GITOPS_TIERS}
    for rel in plan:
        if rel in reserved or rel.casefold() in {r.casefold() for r in reserved}:
            raise ExportError(f"--format {template!r} maps {plan[rel].entry['kind']} {plan[rel].entry['name']} to "
                              f"{rel}, a file kfctl export reserves")

    ours = index.files_of(env)
    kust_ours = any(e.get("kustomization") for e in index.envs.values())
    existing = _existing_files(directory, skip_subdirs)

    # files on disk that this env did not export
    foreign = existing - set(ours)
    if kust_ours:
        foreign.discard(KUSTOMIZATION_FILE)
    tiers_ours = {f for e in index.envs.values() if e.get("tiers") for f in tier_kustomizations(list(index.files))}
    foreign -= tiers_ours
    if merge_strategy == "fail" and foreign:
        raise ExportError(
            f"{directory} already has {len(foreign)} file(s) that are not from a previous export of env "
            f"{env!r} ({_example(foreign)})",
            hint="export into an empty directory, or pass --merge-strategy replace-env to export next to them")
    clash = sorted(p for p in plan if p in foreign)
    if clash:
        owner = index.files.get(clash[0], {}).get("env")
        who = f"exported by env {owner!r}" if owner else "not written by kfctl export"
        raise ExportError(f"{directory / clash[0]} already exists ({who}); refusing to overwrite it"
                          + (f" ({len(clash) - 1} more such file(s))" if len(clash) > 1 else ""))
    if kustomization and not kust_ours and KUSTOMIZATION_FILE in existing:
        raise ExportError(f"{directory / KUSTOMIZATION_FILE} already exists and was not written by kfctl export; "
                          "refusing to overwrite it")

    result = ExportResult(env=env, directory=directory, label=label)
    # stale: this env's files (of the selected components) that no longer render
    selected = set(components) if components else None
    stale = sorted(p for p, e in ours.items()
                   if p not in plan and (selected is None or e.get("component") in selected))
    try:
        for rel, pf in sorted(plan.items()):
            target = directory / rel
            if _read_bytes(target) == pf.content:
                result.unchanged.append(rel)
                continue
            atomic_write(target, pf.content)
            result.written.append(rel)
        for rel in stale:
            target = directory / rel
            try:
                target.unlink()
                result.removed.append(rel)
            except FileNotFoundError:
                pass
            _prune_empty_dirs(target.parent, directory)

        # the index: other envs untouched, this env's entries replaced (only selected components with -c)
        for rel, e in ours.items():
            if selected is None or e.get("component") in selected or rel in plan:
                index.files.pop(rel, None)
        for rel, pf in plan.items():
            index.files[rel] = pf.entry
        index.envs[env] = {"app": render.app, "format": template, "kustomization": bool(kustomization),
                           **({"syncWaves": True} if sync_waves else {}), **({"tiers": True} if tiers else {})}

        kust_wanted = any(e.get("kustomization") for e in index.envs.values())
        kpath = directory / KUSTOMIZATION_FILE
        if kust_wanted:
            content = _kustomization_text(list(index.files))
            if _read_bytes(kpath) != content:
                atomic_write(kpath, content)
                result.written.append(KUSTOMIZATION_FILE)
            else:
                result.unchanged.append(KUSTOMIZATION_FILE)
        elif kust_ours and kpath.is_file():
            kpath.unlink()
            result.removed.append(KUSTOMIZATION_FILE)
        wanted_tiers = tier_kustomizations(list(index.files)) if any(
            e.get("tiers") for e in index.envs.values()) else {}
        for rel, content in sorted(wanted_tiers.items()):
            if _read_bytes(directory / rel) != content:
                atomic_write(directory / rel, content)
                result.written.append(rel)
            else:
                result.unchanged.append(rel)
        for rel in sorted(tiers_ours - set(wanted_tiers)):
            if (directory / rel).is_file():
                (directory / rel).unlink()
                result.removed.append(rel)
                _prune_empty_dirs((directory / rel).parent, directory)

        text = index.dumps().encode("utf-8")
        if _read_bytes(directory / INDEX_FILE) != text:
            atomic_write(directory / INDEX_FILE, text)
    except OSError as exc:
        where = exc.filename or directory
        raise ExportError(f"{where}: cannot write the export: {exc.strerror or exc}") from None
    return result


def _prune_empty_dirs(start: Path, stop: Path) -> None:
    d = start
    stop = stop.resolve()
    while d.resolve() != stop and stop in d.resolve().parents:
        try:
            d.rmdir()
        except OSError:
            return
        d = d.parent


def gitops_dir_of(app, env) -> Path:
    """The export directory recorded on a GitOps env (relative to the app root)."""
    if not env.gitops_dir:
        raise UsageError(f"environment {env.name!r} has no GitOps directory",
                         hint=f"run 'kfctl env set {env.name} --gitops-dir PATH' or pass a directory")
    p = Path(env.gitops_dir).expanduser()
    return p if p.is_absolute() else app.root / p
