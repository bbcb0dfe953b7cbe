"""Every container image an object will make a node pull: where it is, and how to rewrite it.

Found by shape, so any kind with a pod template works (Deployments and friends, Jobs, TFJob /
PyTorchJob / MPIJob replica specs, JobSet replicated jobs, TrainJob / TrainingRuntime, Notebook,
InferenceService and ServingRuntime, Argo Workflow templates, Katib trial templates):

* **containers** — every item of ``containers``, ``initContainers``, ``ephemeralContainers`` and
  ``sidecars`` lists, and ``container`` / ``script`` / ``customCollector`` objects (Argo templates,
  Katib's custom metrics collector), at any depth;
* **env** — a container's environment variable named ``*IMAGE`` or ``RELATED_IMAGE_*`` whose value is
  an image (KFP's ``V2_DRIVER_IMAGE``, the GPU Operator's ``DRIVER_MANAGER_IMAGE``);
* **flag** — a container argument ``--*-image=REF`` or ``--*-image REF`` (Argo's ``--executor-image``,
  the training operator's ``--pytorch-init-container-image``);
* **field** — any other ``image`` / ``*Image`` field holding an image reference (TrainJob's
  ``spec.trainer.image``, KServe's ``defaultJobImage``); ``image`` + ``defaultImageVersion`` (KServe
  explainers) and ``repository`` + ``image`` + ``version`` (NVIDIA's ClusterPolicy) are composed;
  a subtree with ``enabled: false`` is rewritten but its images are not listed (nothing pulls them);

plus a small table of known places where an image hides in text or in a default:

* **config** — ConfigMaps whose values are JSON/YAML documents naming images (:data:`CONFIG_MAPS`:
  KServe's ``inferenceservice-config``, Katib's ``katib-config`` and ``trial-templates``, Argo's
  ``workflow-controller-configmap``); rewritten in the text, so formatting and comments stay;
* **implied** — a controller's built-in default image, pulled at run time but written nowhere
  (:data:`IMPLIED`: Argo's executor, the training operator's PyTorch init and MPI delivery images);
  rewriting one adds the controller flag that sets it.

Pure: :func:`find_images` reads, :func:`rewrite_images` returns rewritten copies.
"""

from __future__ import annotations

import copy
import json
import re
from dataclasses import dataclass, field
from typing import Any, Callable, Iterable

from kfctl.util.imageref import looks_like_image, parse, try_parse

CONTAINER_LISTS = {"containers": "container", "initContainers": "init", "ephemeralContainers": "ephemeral",
                   "sidecars": "sidecar"}
SINGLE_CONTAINERS = {"container": "container", "script": "container", "customCollector": "container"}
# ConfigMap name (or a Helm release's <release>-<name>) → how its values are written
CONFIG_MAPS = {
    "inferenceservice-config": "json",  # KServe: storage initializer, agent, router, explainers, local models
    "katib-config": "yaml",  # Katib: suggestion, early-stopping and metrics-collector images
    "trial-templates": "yaml",  # Katib: the trial Job / TFJob / PyTorchJob templates
    "workflow-controller-configmap": "yaml",  # Argo Workflows: executor (and its config)
}
SKIPPED_KINDS = {"CustomResourceDefinition"}  # schemas, not pods (and the largest objects by far)
_FLAG = re.compile(r"^(--?[A-Za-z0-9_.-]*image)(?:=(.*))?$", re.I)


@dataclass(frozen=True)
class Implied:
    """A default image a controller pulls at run time unless a flag (or its config) names another."""

    controller: str  # the controller image's repository path ends with this
    image: str  # the default; {tag} is the controller's own tag
    flag: str  # the flag that sets it
    what: str
    scheme: str | None = None  # training operator: only when this --enable-scheme is on (or none is given)
    config_key: str | None = None  # Argo: set instead in the workflow-controller-configmap's executor.image


IMPLIED = (
    Implied("argoproj/workflow-controller", "quay.io/argoproj/argoexec:{tag}", "--executor-image",
            "Argo's executor (every workflow pod; the controller's default)", config_key="executor"),
    Implied("training-operator", "alpine:3.10", "--pytorch-init-container-image",
            "the training operator's PyTorchJob init container (its default)", scheme="pytorchjob"),
    Implied("training-operator", "ghcr.io/kubeflow/training-v1/kubectl-delivery:latest", "--mpi-kubectl-delivery-image",
            "the training operator's MPIJob launcher init container (its default)", scheme="mpijob"),
)


@dataclass
class Site:
    image: str  # the reference a node pulls (composed for split fields)
    where: str  # spec.template.spec.containers[manager].image
    kind: str  # container | init | ephemeral | sidecar | env | flag | field | config | implied
    active: bool = True  # False: under enabled: false
    note: str = ""
    _set: Callable[[str], None] | None = field(default=None, repr=False, compare=False)


class RewriteError(ValueError):
    pass


# --------------------------------------------------------------------------- walking one value
def _name_of(item: dict, i: int) -> str:
    name = item.get("name")
    return f"[{name}]" if isinstance(name, str) and name else f"[{i}]"


def _container(c: dict, where: str, kind: str, active: bool, out: list[Site]) -> None:
    img = c.get("image")
    if isinstance(img, str) and img:
        out.append(Site(img, f"{where}.image", kind, active, _set=lambda new, c=c: c.__setitem__("image", new)))
    for i, e in enumerate(c.get("env") or []):
        if not isinstance(e, dict):
            continue
        name, value = str(e.get("name") or ""), e.get("value")
        if (name.upper().endswith("IMAGE") or name.upper().startswith("RELATED_IMAGE")) and looks_like_image(value):
            out.append(Site(value, f"{where}.env[{name}]", "env", active,
                            _set=lambda new, e=e: e.__setitem__("value", new)))
    for key in ("command", "args"):
        args = c.get(key)
        if not isinstance(args, list):
            continue
        for i, a in enumerate(args):
            if not isinstance(a, str):
                continue
            m = _FLAG.match(a)
            if not m:
                continue
            if m.group(2) is not None:
                if looks_like_image(m.group(2)):
                    flag = m.group(1)
                    out.append(Site(m.group(2), f"{where}.{key}[{flag}]", "flag", active,
                                    _set=lambda new, args=args, i=i, flag=flag: args.__setitem__(i, f"{flag}={new}")))
            elif i + 1 < len(args) and looks_like_image(args[i + 1]):
                out.append(Site(args[i + 1], f"{where}.{key}[{m.group(1)}]", "flag", active,
                                _set=lambda new, args=args, i=i: args.__setitem__(i + 1, new)))


def _split_setter(d: dict, repo_key: str | None, name_key: str, tag_key: str) -> Callable[[str], None]:
    """Write a reference back into split fields: (repository, image name, version) or (image, version)."""

    def put(new: str) -> None:
        ref = parse(new)
        if ref.digest:
            raise RewriteError(f"{new}: a reference written as separate repository and tag fields cannot "
                               "take a digest")
        repo = ref.repository
        if repo_key is None:
            d[name_key] = repo
        else:
            head, _, last = repo.rpartition("/")
            d[repo_key], d[name_key] = head, last
        if ref.tag:
            d[tag_key] = ref.tag

    return put


def walk(node: Any, where: str, out: list[Site], active: bool = True) -> None:
    """Append the sites of ``node`` (an object, or a document parsed from a ConfigMap) to ``out``."""
    if isinstance(node, list):
        for i, v in enumerate(node):
            if isinstance(v, (dict, list)):
                walk(v, f"{where}[{i}]", out, active)
        return
    if not isinstance(node, dict):
        return
    if node.get("enabled") is False:
        active = False
    repo, name, version = node.get("repository"), node.get("image"), node.get("version")
    split_done = False
    if isinstance(repo, str) and isinstance(name, str) and isinstance(version, str) and repo and name and version:
        full = f"{repo.rstrip('/')}/{name}:{version}"
        if try_parse(full) is not None:
            note = ("the operator appends the node's OS to the driver tag (e.g. -ubuntu24.04)"
                    if name == "driver" and repo.rstrip("/").endswith("nvidia") else "")
            out.append(Site(full, f"{where}.{{repository,image,version}}", "field", active, note,
                            _split_setter(node, "repository", "image", "version")))
            split_done = True
    for key, value in node.items():
        path = f"{where}.{key}" if where else key
        if key in CONTAINER_LISTS and isinstance(value, list):
            for i, c in enumerate(value):
                if isinstance(c, dict):
                    _container(c, f"{path}{_name_of(c, i)}", CONTAINER_LISTS[key], active, out)
            continue
        if key in SINGLE_CONTAINERS and isinstance(value, dict) and isinstance(value.get("image"), str):
            _container(value, path, SINGLE_CONTAINERS[key], active, out)
            continue
        if isinstance(value, str):
            if split_done and key in ("repository", "image", "version"):
                continue
            if key == "image" or key.endswith("Image"):
                if not looks_like_image(value):
                    continue
                version = node.get("defaultImageVersion") if key == "image" else None
                ref = parse(value)
                if isinstance(version, str) and version and ref.tag is None and ref.digest is None:
                    out.append(Site(f"{value}:{version}", f"{path}+defaultImageVersion", "field", active,
                                    _set=_split_setter(node, None, "image", "defaultImageVersion")))
                else:
                    out.append(Site(value, path, "field", active,
                                    _set=lambda new, node=node, key=key: node.__setitem__(key, new)))
            continue
        if isinstance(value, (dict, list)):
            walk(value, path, out, active)


# --------------------------------------------------------------------------- ConfigMap text
def config_map_format(obj: dict) -> str | None:
    if obj.get("kind") != "ConfigMap" or str(obj.get("apiVersion", "")) != "v1":
        return None
    name = str((obj.get("metadata") or {}).get("name") or "")
    for known, fmt in CONFIG_MAPS.items():
        if name == known or name.endswith("-" + known):
            return fmt
    return None


def _parse_text(text: str, fmt: str) -> list[Any]:
    if fmt == "json":
        try:
            return [json.loads(text)]
        except ValueError:
            pass  # some write YAML anyway
    import yaml

    try:
        return [d for d in yaml.safe_load_all(text) if d is not None]
    except yaml.YAMLError:
        return []


def _text_sites(key: str, text: str, fmt: str) -> list[Site]:
    out: list[Site] = []
    for i, doc in enumerate(_parse_text(text, fmt)):
        walk(doc, f"data[{key}]" + (f"#{i}" if i else ""), out)
    for s in out:
        s.kind = "config"
    return out


def _rewrite_text(text: str, sites: list[Site], new: list[str], where: str) -> str:
    """Replace the references in the text itself (formatting and comments stay), in one pass."""
    pairs: dict[str, str] = {}
    for s, n in zip(sites, new):
        if n == s.image:
            continue
        if "{repository" in s.where:
            raise RewriteError(f"{where}: cannot rewrite the split reference {s.image} inside text")
        if "+defaultImageVersion" in s.where:
            old_ref, new_ref = parse(s.image), parse(n)
            if old_ref.tag != new_ref.tag or new_ref.digest:
                raise RewriteError(f"{where}: {s.image} is written as separate image and defaultImageVersion "
                                   "fields; an override may change its repository, not its tag")
            old_text, new_text = s.image.rsplit(":", 1)[0], new_ref.repository
        else:
            old_text, new_text = s.image, n
        if pairs.setdefault(old_text, new_text) != new_text:
            raise RewriteError(f"{where}: {old_text} would be rewritten two ways ({pairs[old_text]}, {new_text})")
    if not pairs:
        return text
    alternatives = "|".join(re.escape(o) for o in sorted(pairs, key=len, reverse=True))
    pattern = re.compile(r"(?<![\w./:@-])(?:" + alternatives + r")(?![\w./:@-])")
    seen: set[str] = set()

    def sub(m: re.Match) -> str:
        seen.add(m.group(0))
        return pairs[m.group(0)]

    out = pattern.sub(sub, text)
    missing = sorted(set(pairs) - seen)
    if missing:
        raise RewriteError(f"{where}: {missing[0]} is not written literally; cannot rewrite it")
    return out


# --------------------------------------------------------------------------- objects
def object_sites(obj: dict) -> list[Site]:
    """The sites of one object (its ConfigMap text included; implied defaults need the whole render)."""
    if obj.get("kind") in SKIPPED_KINDS:
        return []
    fmt = config_map_format(obj)
    if fmt is not None:
        out: list[Site] = []
        for key, text in sorted((obj.get("data") or {}).items()):
            if isinstance(text, str) and not key.startswith("_"):
                out += _text_sites(key, text, fmt)
        return out
    if obj.get("kind") in ("ConfigMap", "Secret") and str(obj.get("apiVersion", "")) == "v1":
        return []  # data, not pod specs
    out = []
    walk({k: v for k, v in obj.items() if k not in ("metadata", "status")}, "", out)
    return out


def _controller_containers(obj: dict) -> Iterable[tuple[dict, str]]:
    spec = ((obj.get("spec") or {}).get("template") or {}).get("spec") or {}
    for i, c in enumerate(spec.get("containers") or []):
        if isinstance(c, dict) and isinstance(c.get("image"), str):
            yield c, f"spec.template.spec.containers{_name_of(c, i)}"


def implied_sites(obj: dict, configured: set[str]) -> list[Site]:
    """Defaults of :data:`IMPLIED` for a controller Deployment/StatefulSet not overriding them.
    ``configured``: the config keys the render sets (``executor`` when Argo's ConfigMap names one)."""
    if obj.get("kind") not in ("Deployment", "StatefulSet", "DaemonSet"):
        return []
    out = []
    for c, where in _controller_containers(obj):
        ref = try_parse(c["image"])
        if ref is None:
            continue
        args = [a for a in (c.get("command") or []) + (c.get("args") or []) if isinstance(a, str)]
        schemes = {a.split("=", 1)[1].lower() for a in args if a.startswith("--enable-scheme=")}
        for imp in IMPLIED:
            if ref.path != imp.controller and not ref.path.endswith("/" + imp.controller):
                continue
            if any(a == imp.flag or a.startswith(imp.flag + "=") for a in args):
                continue  # set: found as a flag site
            if imp.config_key and imp.config_key in configured:
                continue
            if imp.scheme and schemes and imp.scheme not in schemes:
                continue
            image = imp.image.format(tag=ref.tag or "latest")

            def add_flag(new: str, c=c, flag=imp.flag, default=image) -> None:
                if new != default:
                    c["args"] = [*(c.get("args") or []), f"{flag}={new}"]

            out.append(Site(image, f"{where}.args[{imp.flag}] (unset: the default)", "implied", True, imp.what,
                            add_flag))
    return out


def _configured_keys(objects: Iterable[dict]) -> set[str]:
    keys: set[str] = set()
    for o in objects:
        if config_map_format(o) and str((o.get("metadata") or {}).get("name", "")).endswith(
                "workflow-controller-configmap"):
            if any(s.where.startswith(("data[executor]", "data[config].executor")) for s in object_sites(o)):
                keys.add("executor")
    return keys


def find_images(objects: list[dict]) -> list[list[Site]]:
    """Per object (same order): its sites, implied defaults last."""
    configured = _configured_keys(objects)
    return [object_sites(o) + implied_sites(o, configured) for o in objects]


def rewrite_images(objects: list[dict], mapping: Callable[[str], str]) -> list[dict]:
    """Each object with every image site rewritten by ``mapping`` (the same object when nothing
    changes; a deep copy otherwise).  Raises :class:`RewriteError` when text cannot be rewritten safely."""
    configured = _configured_keys(objects)
    out = []
    for obj in objects:
        sites = object_sites(obj) + implied_sites(obj, configured)
        new = [mapping(s.image) for s in sites]
        if all(n == s.image for s, n in zip(sites, new)):
            out.append(obj)
            continue
        fmt = config_map_format(obj)
        copy_ = copy.deepcopy(obj)
        meta = copy_.get("metadata") or {}
        if fmt is not None:
            data = copy_.get("data") or {}
            for key, text in sorted(data.items()):
                if not isinstance(text, str) or key.startswith("_"):
                    continue
                ks = _text_sites(key, text, fmt)
                kn = [mapping(s.image) for s in ks]
                if all(n == s.image for s, n in zip(ks, kn)):
                    continue
                where = f"ConfigMap {meta.get('namespace', '')}/{meta.get('name')} key {key}"
                data[key] = _rewrite_text(text, ks, kn, where)
                got = [s.image for s in _text_sites(key, data[key], fmt)]
                if got != kn:
                    raise RewriteError(f"{where}: rewriting images in the text gave {got}, expected {kn}")
        else:
            fresh = object_sites(copy_) + implied_sites(copy_, configured)
            for s, n in zip(fresh, new):
                if n != s.image and s._set is not None:
                    s._set(n)
        out.append(copy_)
    return out
