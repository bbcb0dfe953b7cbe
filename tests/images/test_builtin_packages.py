"""`kfctl images --all-envs` over an app generating every built-in package: it lists every image of the
vendored upstream objects, and exactly the images an independent walk of the render finds (plus the
controllers' documented defaults nothing writes down)."""

from __future__ import annotations

import json
import re
from pathlib import Path

import yaml

from tests.conftest import run_kfctl

ROOT = Path(__file__).resolve().parents[2]
REGISTRY = ROOT / "registry"

# the components (package prototypes and the job prototypes): one env can hold them all once the CRD
# clashes are resolved the way the clash message says; kubeflow-core serves the same training
# operator as the training-operator package, so it gets an env of its own (a ksonnet target module)
COMPONENTS = [
    ("training-operator", "to", {"enabledKinds": '["pytorchjob","xgboostjob","paddlejob","jaxjob"]'}),
    ("trainer", "trainer", {"jobset": "external", "runtimes": "true"}),
    ("jobset-controller", "jobset", {}),
    ("kueue", "kueue", {}),
    ("mpi-operator", "mpi", {}),
    ("scheduler-plugins", "sp", {}),
    ("gpu-operator", "gpuop", {}),
    ("nvidia-device-plugin", "dp", {}),
    ("gpu-stack", "gpus", {}),
    ("tf-job", "tfj", {}),
    ("tf-serving", "tfs", {}),
    ("pytorch-job", "ptj", {}),
    ("xgboost-job", "xgb", {"image": "docker.io/kubeflow/xgboost:1"}),
    ("mpi-job", "mpij", {"image": "mpioperator/mpi-pi:openmpi"}),
    ("jobset", "js", {"image": "busybox:1.36"}),
    ("train-job", "tj", {}),
    ("team-queues", "q", {"teams": "[{name: 'a', cpu: 1, memory: '1Gi'}]"}),
    ("cert-manager", "cm", {}),
    ("katib", "katib", {"namespace": "katib", "database": "postgres"}),  # core's Katib has MySQL
    ("katib-experiment", "exp", {}),
    ("notebook-controller", "nbc", {}),
    ("notebook", "nb", {}),
    ("kserve", "kserve", {}),
    ("inference-service", "isvc", {}),
    ("argo-workflows", "argo", {}),
    ("workflow", "wf", {}),
]
# envs of their own (ksonnet target modules): kubeflow-core and kubeflow-platform bundle operators the
# components above install too
MODULES = {"core": ("kubeflow-core", "kf", "kubeflow"), "platform": ("kubeflow-platform", "platform", "kubeflow")}
# documented defaults of controllers in the render (kfctl/render/images.py IMPLIED): the training
# operator's PyTorchJob init container and MPIJob delivery image (its --pytorch-init-container-image
# and --mpi-kubectl-delivery-image defaults, v1.9.4 pkg/config/config.go; MPIJob is on in the
# platform env) and Argo's executor (quay.io/argoproj/argoexec:<the controller's tag>,
# v4.1.2 workflow/controller/config.go)
IMPLIED = {"docker.io/library/alpine:3.10", "ghcr.io/kubeflow/training-v1/kubectl-delivery:latest",
           "quay.io/argoproj/argoexec:v4.1.2"}


def pull_name(ref: str) -> str:
    """Docker's normalisation, written out independently of kfctl.util.imageref."""
    first, _, rest = ref.partition("/")
    if not rest or not ("." in first or ":" in first or first == "localhost"):
        ref = "docker.io/" + (ref if "/" in ref else "library/" + ref)
    last = ref.rsplit("/", 1)[-1]
    return ref if ("@" in ref or ":" in last) else ref + ":latest"


def image_shaped(value, found: set[str], key: str = "") -> None:
    """Every image-shaped field: container images, *Image fields holding a reference, *IMAGE env values,
    --*-image flags, repository/image/version triplets; multi-line strings are parsed as YAML and walked."""
    if isinstance(value, list):
        for v in value:
            image_shaped(v, found, key)
        return
    if isinstance(value, str):
        if "\n" in value:
            try:
                docs = list(yaml.safe_load_all(value))
            except yaml.YAMLError:
                return
            for d in docs:
                image_shaped(d, found)
        m = re.match(r"^--[\w-]*image=(.+)$", value)
        if m and ("/" in m.group(1) or ":" in m.group(1)):
            found.add(m.group(1))
        return
    if not isinstance(value, dict):
        return
    if value.get("kind") == "CustomResourceDefinition" or value.get("enabled") is False:
        return
    if all(isinstance(value.get(k), str) for k in ("repository", "image", "version")):
        found.add(f"{value['repository']}/{value['image']}:{value['version']}")
    if isinstance(value.get("name"), str) and value["name"].endswith("IMAGE") and isinstance(value.get("value"), str):
        found.add(value["value"])
    for k, v in value.items():
        if isinstance(v, str) and (k == "image" or k.endswith("Image")) and ("/" in v or ":" in v or key in (
                "containers", "initContainers")) and "repository" not in value:
            version = value.get("defaultImageVersion")
            found.add(f"{v}:{version}" if version and ":" not in v.rsplit("/", 1)[-1] else v)
        else:
            image_shaped(v, found, k)


def upstream_images() -> set[str]:
    found: set[str] = set()
    for path in sorted(REGISTRY.glob("*/upstream*/**/*.json")):
        parts = path.relative_to(REGISTRY).parts
        if "crds" in parts or "schemas" in parts or path.name == "upstream.json":
            continue  # CRDs, OpenAPI documents, kfctl's records; registry/schemas/: other tools' schemas
        image_shaped(json.loads(path.read_text()), found)
    return {pull_name(i) for i in found}


def make_app(tmp_path: Path):
    """In-process (the CLI's generate is tested elsewhere): envs default, core (target module core:
    kubeflow-core) and air (default's components, pulled from a mirror)."""
    from kfctl.app.environments import Destination, add_env, init_app
    from kfctl.ops.generate import generate

    app = init_app("demo", tmp_path / "demo", Destination("https://k8s.example:6443", "ml", None))
    for proto, name, params in COMPONENTS:
        generate(app, proto, name, [a for k, v in params.items() for a in (f"--{k}", v)])
        app.reload()
    text = None
    for module, (proto, name, namespace) in MODULES.items():
        generate(app, proto, name, [])
        (app.root / "components" / module).mkdir()
        (app.root / "components" / f"{name}.jsonnet").rename(app.root / "components" / module / f"{name}.jsonnet")
        add_env(app, module, Destination("https://k8s.example:6443", namespace, None))
        text = (app.root / "app.yaml").read_text()
        (app.root / "app.yaml").write_text(text.replace(f"    path: {module}\n", f"    path: {module}\n    targets: [{module}]\n"))
        app.reload()
    add_env(app, "air", Destination("https://air.example:6443", "ml", None), image_registry="mirror.example.com/air")
    return app


def objects(app, env: str, **kw) -> list[dict]:
    from kfctl.ops.render import render

    return [o.obj for o in render(app, env, **kw).objects]


def test_every_image_of_the_builtin_packages(tmp_path, monkeypatch):
    env = {"KUBECONFIG": str(tmp_path / "none"), "XDG_CACHE_HOME": str(tmp_path / "cache")}
    for k, v in env.items():
        monkeypatch.setenv(k, v)
    app = make_app(tmp_path)
    res = run_kfctl("images", "--all-envs", "-o", "json", cwd=app.root, env=env, check=0)
    report = json.loads(res.stdout)
    assert report["envs"] == ["air", "core", "default", "platform"]
    listed = {i["image"] for i in report["images"]}

    walked: set[str] = set()
    for e in ("core", "default", "platform"):
        shown = objects(app, e)
        assert shown, e
        image_shaped(shown, walked)
    assert listed == {pull_name(i) for i in walked} | IMPLIED
    assert upstream_images() <= listed, sorted(upstream_images() - listed)

    by = {i["image"]: i for i in report["images"]}
    core_only = {u["env"] for u in by["ghcr.io/kubeflow/training-v1/training-operator:v1-93c5489"]["usedBy"]}
    assert core_only == {"air", "core", "default", "platform"}
    for i in report["images"]:
        envs = {u["env"] for u in i["usedBy"]}
        assert ("air" in envs) == ("default" in envs), i["image"]  # same components
        if "air" in envs:
            assert i["mirrors"] == {"air": "mirror.example.com/air/" + i["image"].split("/", 1)[1]}, i["image"]
        else:
            assert i["mirrors"] == {}, i["image"]
    driver = by["nvcr.io/nvidia/driver:595.91.07"]
    assert driver["notes"] == ["the operator appends the node's OS to the driver tag (e.g. -ubuntu24.04)"]
    assert {(u["kind"], u["field"], u["type"]) for u in driver["usedBy"]} == {
        ("ClusterPolicy", "spec.driver.{repository,image,version}", "field")}
    # the mirrored env renders the mirror's names everywhere
    air = objects(app, "air")
    air_images: set[str] = set()
    image_shaped(air, air_images)
    assert air_images and all(i.startswith("mirror.example.com/air/") for i in air_images), sorted(air_images)[:5]
