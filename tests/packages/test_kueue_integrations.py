"""Kueue's integrations matched to what the env installs and queues (issue 14 item 4).

A component cannot see the others at jsonnet time; kfctl checks the render instead: a workload
queued with kueue.x-k8s.io/queue-name whose integration is off in the env's Kueue (the render's, or
the cluster's at diff/apply) is an error naming the param that enables it; a job kind the env
installs with its integration off, and a queue label Kueue does not read, are validate warnings.
kubeflow-platform matches its Kueue to its training operator itself."""

from __future__ import annotations

import json
from functools import cache

import pytest

from kfctl.render.kueue import KueueIntegrationError, check_integrations
from tests.conftest import run_kfctl
from tests.packages.render_helper import REGISTRY, render_prototype


def R(package: str, proto: str):
    return REGISTRY / package / "prototypes" / f"{proto}.jsonnet"


@cache
def _render(package: str, proto: str, params: str, namespace: str) -> str:
    return json.dumps(render_prototype(R(package, proto), json.loads(params), namespace=namespace, engine="rjsonnet"))


def render(package: str, proto: str, namespace: str = "kubeflow", **params) -> list[dict]:
    return json.loads(_render(package, proto, json.dumps({"name": proto, **params}, sort_keys=True), namespace))


def component(name: str, objs: list[dict]) -> list[tuple[str, dict]]:
    return [(name, o) for o in objs]


PACKAGE_OF = {"kueue": "kubeflow/kueue", "to": "kubeflow/training-operator", "platform": "kubeflow/platform"}.get


def kueue(**params):
    return component("kueue", render("kueue", "kueue", **params))


def training_operator(**params):
    return component("to", render("training-operator", "training-operator", **params))


def job(package: str, proto: str, name: str, **params):
    return component(name, render(package, proto, namespace="team-a", queue="team-a", **{"name": name, **params}))


def messages(check):
    return [f.message for f in check.errors], [f.message for f in check.warnings]


OFF = ("is queued to 'team-a', but the Kueue of component 'kueue' has integration {fw} off: it would run at once, "
       "outside the queue's quota; {fix}")
INSTALLS_OFF = (
    "component 'to' installs JAXJob, PaddleJob, PyTorchJob, TFJob and XGBoostJob, whose Kueue integrations "
    "(kubeflow.org/jaxjob, kubeflow.org/paddlejob, kubeflow.org/pytorchjob, kubeflow.org/tfjob, kubeflow.org/xgboostjob) "
    "the Kueue of component 'kueue' leaves off: such jobs queued with kueue.x-k8s.io/queue-name would run at once, "
    "outside their queues' quotas; set kueue's param trainingOperator=true")


def test_upstream_kueue_with_training_operator_refuses_its_queued_jobs():
    objs = kueue() + training_operator() + job("training-operator", "pytorch-job", "mnist") + \
        job("tf-job", "tf-job", "dist") + job("training-operator", "xgboost-job", "iris", image="example/xgb:1")
    check = check_integrations(objs, PACKAGE_OF)
    fix = "set kueue's param trainingOperator=true"
    assert messages(check) == ([
        "PyTorchJob team-a/mnist of component 'mnist' " + OFF.format(fw="kubeflow.org/pytorchjob", fix=fix),
        "TFJob team-a/dist of component 'dist' " + OFF.format(fw="kubeflow.org/tfjob", fix=fix),
        "XGBoostJob team-a/iris of component 'iris' " + OFF.format(fw="kubeflow.org/xgboostjob", fix=fix),
    ], [INSTALLS_OFF])
    assert [f.path for f in check.errors] == ['metadata.labels["kueue.x-k8s.io/queue-name"]'] * 3
    with pytest.raises(KueueIntegrationError) as err:
        check.raise_errors()
    assert err.value.message == ("Kueue integration off: PyTorchJob team-a/mnist of component 'mnist' "
                                 + OFF.format(fw="kubeflow.org/pytorchjob", fix=fix) + " (2 more like it)")
    # the param fixes it, and the installed kinds are then managed too
    assert messages(check_integrations(kueue(trainingOperator="true") + training_operator() + objs[len(kueue()):],
                                       PACKAGE_OF)) == ([], [])


def test_what_upstream_kueue_enables_needs_nothing():
    """Kueue v0.19.2 enables batch/job, MPIJob v2beta1, JobSet, TrainJob and pods by default."""
    objs = kueue() + job("mpi-operator", "mpi-job", "horovod", image="example/horovod:1") + \
        job("jobset", "jobset", "sleep", image="busybox:1.36") + job("trainer", "train-job", "llm") + \
        job("argo-workflows", "workflow", "etl") + job("katib", "katib-experiment", "tune")  # trials: batch Jobs
    assert messages(check_integrations(objs, PACKAGE_OF)) == ([], [])


def test_nested_workloads_and_other_fixes():
    """A Katib Experiment's trial PyTorchJobs, an integration outside training-operator's five (enableFrameworks),
    both at once."""
    spark = {"apiVersion": "sparkoperator.k8s.io/v1beta2", "kind": "SparkApplication",
             "metadata": {"name": "etl", "namespace": "team-a", "labels": {"kueue.x-k8s.io/queue-name": "team-a"}},
             "spec": {}}
    objs = kueue() + job("katib", "katib-experiment", "tune", trialKind="PyTorchJob") + [("spark", spark)]
    assert messages(check_integrations(objs, PACKAGE_OF))[0] == [
        "Experiment team-a/tune (PyTorchJob in spec.trialTemplate.trialSpec) of component 'tune' "
        + OFF.format(fw="kubeflow.org/pytorchjob", fix="set kueue's param trainingOperator=true"),
        "SparkApplication team-a/etl of component 'spark' "
        + OFF.format(fw="sparkoperator.k8s.io/sparkapplication",
                     fix="add sparkoperator.k8s.io/sparkapplication to kueue's param enableFrameworks"),
    ]
    # disabling what upstream enables is caught too; a Kueue rendered by hand-written YAML names its ConfigMap
    cm = [o for _, o in kueue(disableFrameworks="batch/job") if o["kind"] == "ConfigMap"]
    objs = [("queues", cm[0])] + job("katib", "katib-experiment", "tune")
    assert messages(check_integrations(objs))[0] == [
        "Experiment team-a/tune (Job in spec.trialTemplate.trialSpec) of component 'tune' is queued to 'team-a', but "
        "the Kueue of component 'queues' has integration batch/job off: it would run at once, outside the queue's "
        "quota; enable batch/job in integrations.frameworks of ConfigMap kueue-system/kueue-manager-config "
        "(component 'queues')"]


def test_queue_labels_kueue_does_not_read_are_warnings():
    v1_mpijob = {"apiVersion": "kubeflow.org/v1", "kind": "MPIJob",
                 "metadata": {"name": "old", "namespace": "team-a", "labels": {"kueue.x-k8s.io/queue-name": "team-a"}},
                 "spec": {}}
    workflow = {"apiVersion": "argoproj.io/v1alpha1", "kind": "Workflow",
                "metadata": {"name": "wf", "namespace": "team-a", "labels": {"kueue.x-k8s.io/queue-name": "team-a"}},
                "spec": {"entrypoint": "main", "templates": []}}
    widget = {"apiVersion": "acme.io/v1", "kind": "Widget",
              "metadata": {"name": "w", "namespace": "team-a", "labels": {"kueue.x-k8s.io/queue-name": "team-a"}}}
    objs = kueue() + [("old", v1_mpijob), ("wf", workflow), ("w", widget)]
    check = check_integrations(objs, PACKAGE_OF)
    assert messages(check) == ([], [
        "MPIJob team-a/old of component 'old' is queued to 'team-a', but Kueue's kubeflow.org/mpijob integration "
        "manages kubeflow.org/v2beta1 only, not kubeflow.org/v1: the label has no effect; run MPI jobs with "
        "mpi-operator's v2beta1 MPIJob (prototype mpi-job)",
        "Workflow team-a/wf of component 'wf' has the queue label on the Workflow itself, which Kueue does not read "
        "(it has no Argo integration): put it in spec.podMetadata.labels (Kueue's pod integration then admits each "
        "pod)",
        "Widget team-a/w of component 'w' is queued to 'team-a', but Kueue has no integration for acme.io/v1 Widget "
        "(and no externalFramework Widget.v1.acme.io is configured): the label has no effect",
    ])
    # without a Kueue in the render: what no Kueue reads still warns; an unknown kind may be an
    # externalFramework of the cluster's Kueue
    assert messages(check_integrations(objs[len(kueue()):], PACKAGE_OF)) == ([], messages(check)[1][:2])


def test_kubeflow_platform_matches_its_kueue_and_takes_more_frameworks():
    platform = component("platform", render("platform", "kubeflow-platform", installCrds="false", serving="false",
                                            workflows="false"))
    assert messages(check_integrations(platform + job("training-operator", "pytorch-job", "mnist"), PACKAGE_OF)) == ([], [])
    # without its training switch, another component's training-operator: kueueFrameworks
    alone = component("platform", render("platform", "kubeflow-platform", training="false", serving="false",
                                         workflows="false", tuning="false", notebooks="false"))
    check = check_integrations(alone + training_operator(enabledKinds="pytorchjob") + job("training-operator", "pytorch-job",
                                                                                          "mnist"), PACKAGE_OF)
    assert messages(check) == ([
        "PyTorchJob team-a/mnist of component 'mnist' is queued to 'team-a', but the Kueue of component 'platform' has "
        "integration kubeflow.org/pytorchjob off: it would run at once, outside the queue's quota; add "
        "kubeflow.org/pytorchjob to platform's param kueueFrameworks"], [
        "component 'to' installs PyTorchJob, whose Kueue integration (kubeflow.org/pytorchjob) the Kueue of component "
        "'platform' leaves off: such jobs queued with kueue.x-k8s.io/queue-name would run at once, outside their "
        "queues' quotas; add kubeflow.org/pytorchjob to platform's param kueueFrameworks"])
    fixed = component("platform", render("platform", "kubeflow-platform", training="false", serving="false",
                                         workflows="false", tuning="false", notebooks="false",
                                         kueueFrameworks="kubeflow.org/pytorchjob"))
    assert messages(check_integrations(fixed + training_operator(enabledKinds="pytorchjob"), PACKAGE_OF)) == ([], [])


# ------------------------------------------------------------------------------------ the CLI
@pytest.fixture(scope="module")
def app(tmp_path_factory):
    d = tmp_path_factory.mktemp("kueue")
    env = {"KUBECONFIG": str(d / "missing"), "XDG_CACHE_HOME": str(d / "cache")}
    run_kfctl("init", "ml", "--dir", str(d / "ml"), "--server", "https://127.0.0.1:9", "--namespace", "ml", check=0,
              env=env)
    return d / "ml", env


def kf(app, *args, check=None):
    root, env = app
    return run_kfctl(*args, cwd=root, env=env, check=check)


def test_validate_diff_and_apply_through_the_cli(app):
    kf(app, "generate", "kueue", "kueue", check=0)
    kf(app, "generate", "training-operator", "to", "--enabledKinds=pytorchjob,tfjob", check=0)
    kf(app, "generate", "pytorch-job", "mnist", "--namespace=team-a", "--queue=team-a", check=0)
    res = kf(app, "validate", "default", "-o", "json")
    assert res.exit_code == 1
    data = json.loads(res.stdout)
    fix = "set kueue's param trainingOperator=true"
    assert data["problems"] == [{
        "object": "mnist/PyTorchJob/mnist", "path": 'metadata.labels["kueue.x-k8s.io/queue-name"]', "severity": "error",
        "message": OFF.format(fw="kubeflow.org/pytorchjob", fix=fix)}]
    assert data["warnings"] == [
        "component 'to' installs PyTorchJob and TFJob, whose Kueue integrations (kubeflow.org/pytorchjob, "
        "kubeflow.org/tfjob) the Kueue of component 'kueue' leaves off: such jobs queued with "
        "kueue.x-k8s.io/queue-name would run at once, outside their queues' quotas; " + fix]
    # diff and apply refuse before talking to the cluster (there is none at 127.0.0.1:9)
    want = "error: Kueue integration off: PyTorchJob team-a/mnist of component 'mnist' " + OFF.format(
        fw="kubeflow.org/pytorchjob", fix=fix)
    for cmd, code in (("diff", 2), ("apply", 1)):
        res = kf(app, cmd, "default", "--yes") if cmd == "apply" else kf(app, cmd, "default")
        assert (res.exit_code, res.stdout, res.stderr.splitlines()[0]) == (code, "", want), cmd
    kf(app, "param", "set", "kueue", "trainingOperator", "true", check=0)
    res = kf(app, "validate", "default")
    assert (res.exit_code, res.stderr) == (0, f"✓ {len(json.loads(kf(app, 'show', '-o', 'json').stdout)['items'])} "
                                              "object(s) of env default valid against Kubernetes 1.30\n")
