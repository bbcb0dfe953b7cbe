"""CRD clashes of the training stack, every combination: `mpijobs.kubeflow.org` from arena (v1alpha1),
training-operator (v1) and mpi-operator (v2beta1); TFJob and PyTorchJob from arena (same versions,
other schemas) vs training-operator and kubeflow-core.  In one render (validate/diff/apply refuse,
show warns) and against the cluster (diff/apply refuse), each message naming both sources and the
param that resolves it.  The emulator runs the live path end to end (tests/cluster/test_training_stack.py)."""

from __future__ import annotations

import json
from functools import cache

import pytest

from kfctl.errors import RenderError
from tests.packages.render_helper import REGISTRY, render_prototype

ARENA = json.loads((REGISTRY / "foreign" / "arena" / "upstream.json").read_text())


def arena_crd(kind: str) -> dict:
    """arena-artifacts' CRD (kubeflow/arena v0.15.5) as a component or a cluster holds it: its name,
    versions and annotations as released (what identifies it; its schema is left out here)."""
    [c] = [c for c in ARENA["crds"] if c["kind"] == kind]
    plural = c["name"].split(".", 1)[0]
    return {"apiVersion": "apiextensions.k8s.io/v1", "kind": "CustomResourceDefinition",
            "metadata": {"name": c["name"], "annotations": dict(c["annotations"])},
            "spec": {"group": c["group"], "scope": c["scope"],
                     "names": {"kind": kind, "plural": plural, "singular": plural[:-1], "listKind": kind + "List"},
                     "versions": [{"name": v, "served": True, "storage": v == c["storage"],
                                   "schema": {"openAPIV3Schema": {"type": "object",
                                                                  "x-kubernetes-preserve-unknown-fields": True}}}
                                  for v in c["served"]]}}


@cache
def crds_of(package: str, proto: str) -> tuple[str, ...]:
    objs = render_prototype(REGISTRY / package / "prototypes" / f"{proto}.jsonnet", {"name": proto}, engine="rjsonnet")
    return tuple(json.dumps(o) for o in objs if o["kind"] == "CustomResourceDefinition")


def crd(source: str, name: str) -> dict:
    if source == "arena":
        return next(arena_crd(c["kind"]) for c in ARENA["crds"] if c["name"] == name)
    package, proto = {"training-operator": ("training-operator", "training-operator"),
                      "mpi-operator": ("mpi-operator", "mpi-operator"),
                      "kubeflow-core": ("core", "tf-job-operator")}[source]
    return next(json.loads(o) for o in crds_of(package, proto) if json.loads(o)["metadata"]["name"] == name)


# component → the package whose prototype made it (app.yaml's provenance); 'arena' is hand-written
PACKAGE_OF = {"to": "kubeflow/training-operator", "mpi": "kubeflow/mpi-operator", "kf": "kubeflow/core"}.get
COMPONENT = {"arena": "arena", "training-operator": "to", "mpi-operator": "mpi", "kubeflow-core": "kf"}
SOURCE = {"arena": "kubeflow/arena v0.15.5", "training-operator": "kubeflow/trainer v1.9.4",
          "mpi-operator": "kubeflow/mpi-operator v0.8.0", "kubeflow-core": "kubeflow/trainer v1.9.4"}
FIX = {"training-operator": "set to's param enabledKinds without {kind} (or installCrds=false)",
       "mpi-operator": "set mpi's param installCrds=false",
       "arena": "leave kubeflow/arena v0.15.5's CRD out of component 'arena'",
       "kubeflow-core": None}  # kubeflow-core always serves TFJob
VERSIONS = {("arena", "mpijobs.kubeflow.org"): "v1alpha1", ("training-operator", "mpijobs.kubeflow.org"): "v1",
            ("mpi-operator", "mpijobs.kubeflow.org"): "v2beta1"}

COMBINATIONS = [  # (first, second, CRD): components sort by name, 'arena' < 'kf' < 'mpi' < 'to'
    ("arena", "training-operator", "mpijobs.kubeflow.org"),
    ("arena", "mpi-operator", "mpijobs.kubeflow.org"),
    ("mpi-operator", "training-operator", "mpijobs.kubeflow.org"),
    ("arena", "training-operator", "tfjobs.kubeflow.org"),
    ("arena", "training-operator", "pytorchjobs.kubeflow.org"),
    ("arena", "kubeflow-core", "tfjobs.kubeflow.org"),
    ("kubeflow-core", "training-operator", "tfjobs.kubeflow.org"),
]


def described(source: str, name: str) -> str:
    v = VERSIONS.get((source, name), "v1")
    return f"{COMPONENT[source]!r} ({SOURCE[source]}, served {v}, storage {v})"


def expected_in_render(first: str, second: str, name: str) -> str:
    kind = name.split(".", 1)[0].rstrip("s")
    params = [FIX[s].format(kind=kind) for s in (second, first) if FIX[s] and FIX[s].startswith("set ")]
    outs = [FIX[s] for s in (second, first) if FIX[s] and not FIX[s].startswith("set ")]
    ways = ([("set " + ", or ".join(p[4:] for p in params))] if params else []) + outs
    same = "identical" if {first, second} == {"kubeflow-core", "training-operator"} else "different"
    return (f"CRD clash: {name} is defined by components {described(first, name)} and {described(second, name)} "
            f"({same} definitions); keep one: {', or '.join(ways)}")


def test_the_expected_messages_read_as_written():
    """The table above spelled out once, so a reader sees what users get."""
    assert expected_in_render("arena", "mpi-operator", "mpijobs.kubeflow.org") == (
        "CRD clash: mpijobs.kubeflow.org is defined by components 'arena' (kubeflow/arena v0.15.5, served v1alpha1, "
        "storage v1alpha1) and 'mpi' (kubeflow/mpi-operator v0.8.0, served v2beta1, storage v2beta1) (different "
        "definitions); keep one: set mpi's param installCrds=false, or leave kubeflow/arena v0.15.5's CRD out of "
        "component 'arena'")
    assert expected_in_render("kubeflow-core", "training-operator", "tfjobs.kubeflow.org") == (
        "CRD clash: tfjobs.kubeflow.org is defined by components 'kf' (kubeflow/trainer v1.9.4, served v1, storage "
        "v1) and 'to' (kubeflow/trainer v1.9.4, served v1, storage v1) (identical definitions); keep one: set to's "
        "param enabledKinds without tfjob (or installCrds=false)")


@pytest.mark.parametrize("first,second,name", COMBINATIONS, ids=[f"{a}-{b}-{n.split('.')[0]}" for a, b, n in COMBINATIONS])
def test_two_definitions_in_one_render(first, second, name):
    from kfctl.app.app import Environment
    from kfctl.render.pipeline import objects_from_value

    env = Environment(name="prod", path="prod", server="https://k8s", namespace="ml")
    value = {COMPONENT[s]: [crd(s, name)] for s in (first, second)}
    rendered = objects_from_value("app", env, value, package_of=PACKAGE_OF)
    want = expected_in_render(first, second, name)
    assert rendered.warnings == [f"{want}; every copy is output, as ks did"]  # show, export
    with pytest.raises(RenderError) as err:
        rendered.raise_crd_clash()  # validate
    assert err.value.message == want
    for command in ("diff", "apply"):
        with pytest.raises(RenderError) as err:
            rendered.unique_or_raise(command)
        assert err.value.message == want


KFCTL = {"app.kubernetes.io/managed-by": "kfctl", "kfctl.dev/app": "platform", "kfctl.dev/env": "prod"}

LIVE = [  # (rendered by, live CRD from, live owner labels, the line)
    ("training-operator", "arena", None, "tfjobs.kubeflow.org",
     "the cluster's is another definition, from kubeflow/arena v0.15.5; set to's param enabledKinds without tfjob "
     "(or installCrds=false), or uninstall kubeflow/arena v0.15.5 and delete its CRD first (deleting a CRD deletes "
     "every object of its kind)"),
    ("training-operator", "arena", None, "pytorchjobs.kubeflow.org",
     "the cluster's is another definition, from kubeflow/arena v0.15.5; set to's param enabledKinds without "
     "pytorchjob (or installCrds=false), or uninstall kubeflow/arena v0.15.5 and delete its CRD first (deleting a "
     "CRD deletes every object of its kind)"),
    ("training-operator", "arena", None, "mpijobs.kubeflow.org",
     "the cluster's (from kubeflow/arena v0.15.5) serves v1alpha1 and stores v1alpha1; set to's param enabledKinds "
     "without mpijob (or installCrds=false), or uninstall kubeflow/arena v0.15.5 and delete its CRD first (deleting "
     "a CRD deletes every object of its kind)"),
    ("mpi-operator", "arena", None, "mpijobs.kubeflow.org",
     "the cluster's (from kubeflow/arena v0.15.5) serves v1alpha1 and stores v1alpha1; set mpi's param "
     "installCrds=false, or uninstall kubeflow/arena v0.15.5 and delete its CRD first (deleting a CRD deletes every "
     "object of its kind)"),
    ("kubeflow-core", "arena", None, "tfjobs.kubeflow.org",
     "the cluster's is another definition, from kubeflow/arena v0.15.5; uninstall kubeflow/arena v0.15.5 and delete "
     "its CRD first (deleting a CRD deletes every object of its kind)"),
    # training-operator's MPIJob applied with kubectl (no owner), then mpi-operator's
    ("mpi-operator", "training-operator", None, "mpijobs.kubeflow.org",
     "the cluster's (from kubeflow/trainer v1.9.4) serves v1 and stores v1; set mpi's param installCrds=false, or "
     "uninstall kubeflow/trainer v1.9.4 and delete its CRD first (deleting a CRD deletes every object of its kind)"),
    # ... and the other way round, from another kfctl env
    ("training-operator", "mpi-operator", {**KFCTL, "kfctl.dev/component": "mpi"}, "mpijobs.kubeflow.org",
     "the cluster's (from kubeflow/mpi-operator v0.8.0) serves v2beta1 and stores v2beta1 and the cluster's belongs "
     "to kfctl app platform env prod component mpi; set to's param enabledKinds without mpijob (or "
     "installCrds=false)"),
    # arena's CRDs in a hand-written component, the cluster's from training-operator's release
    ("arena", "training-operator", None, "tfjobs.kubeflow.org",
     "the cluster's is another definition, from kubeflow/trainer v1.9.4; uninstall kubeflow/trainer v1.9.4 and "
     "delete its CRD first (deleting a CRD deletes every object of its kind)"),
    ("arena", "training-operator", {**KFCTL, "kfctl.dev/component": "to"}, "mpijobs.kubeflow.org",
     "the cluster's (from kubeflow/trainer v1.9.4) serves v1 and stores v1 and the cluster's belongs to kfctl app "
     "platform env prod component to"),
]


@pytest.mark.parametrize("mine,theirs,labels,name,line", LIVE,
                         ids=[f"{m}-over-{t}-{n.split('.')[0]}{'-owned' if lb else ''}" for m, t, lb, n, _ in LIVE])
def test_a_rendered_crd_against_the_clusters(mine, theirs, labels, name, line):
    from kfctl.render.model import RenderedObject
    from kfctl.validate.crds import live_clashes

    live = crd(theirs, name)
    if labels:
        live["metadata"]["labels"] = labels
    ro = RenderedObject(COMPONENT[mine], crd(mine, name))
    assert live_clashes([ro], {name: live}, PACKAGE_OF) == [
        f"CRD clash: {name} rendered by component {described(mine, name)}: {line}"]


@pytest.mark.parametrize("source,name", [("training-operator", "tfjobs.kubeflow.org"),
                                         ("kubeflow-core", "tfjobs.kubeflow.org"),
                                         ("mpi-operator", "mpijobs.kubeflow.org")])
def test_the_same_release_unowned_on_the_cluster_is_adopted(source, name):
    """The release applied before with kubectl (no owner, the same definition, as the API server keeps
    it: with kubectl's last-applied annotation): kfctl takes it over."""
    from kfctl.render.model import RenderedObject
    from kfctl.validate.crds import live_clashes

    live = crd("training-operator" if source == "kubeflow-core" else source, name)
    live["metadata"].setdefault("annotations", {})["kubectl.kubernetes.io/last-applied-configuration"] = "{}"
    assert live_clashes([RenderedObject(COMPONENT[source], crd(source, name))], {name: live}, PACKAGE_OF) == []
