"""Where images hide, by shape: every pod-template kind and the known configuration places, found and
rewritten (small objects of each shape, including kinds whose packages live on other branches)."""

from __future__ import annotations

import copy
import json

import pytest

from kfctl.render.images import find_images, rewrite_images


def pod(image="app:1", **extra):
    return {"containers": [{"name": "main", "image": image}], **extra}


def sites(obj, *more):
    return [[(s.image, s.where, s.kind, s.active) for s in found] for found in find_images([obj, *more])]


SHAPES = [
    ({"apiVersion": "v1", "kind": "Pod", "metadata": {"name": "p"},
      "spec": pod("app:1", initContainers=[{"name": "init", "image": "busybox:1.36"}],
                  ephemeralContainers=[{"name": "debug", "image": "nicolaka/netshoot:v0.13"}])},
     [("app:1", "spec.containers[main].image", "container"),
      ("busybox:1.36", "spec.initContainers[init].image", "init"),
      ("nicolaka/netshoot:v0.13", "spec.ephemeralContainers[debug].image", "ephemeral")]),
    *[({"apiVersion": "apps/v1", "kind": k, "metadata": {"name": "w"}, "spec": {"template": {"spec": pod(f"{k.lower()}:1")}}},
       [(f"{k.lower()}:1", "spec.template.spec.containers[main].image", "container")])
      for k in ("Deployment", "StatefulSet", "DaemonSet", "ReplicaSet")],
    ({"apiVersion": "batch/v1", "kind": "Job", "metadata": {"name": "j"}, "spec": {"template": {"spec": pod("job:1")}}},
     [("job:1", "spec.template.spec.containers[main].image", "container")]),
    ({"apiVersion": "batch/v1", "kind": "CronJob", "metadata": {"name": "c"},
      "spec": {"jobTemplate": {"spec": {"template": {"spec": pod("cron:1")}}}}},
     [("cron:1", "spec.jobTemplate.spec.template.spec.containers[main].image", "container")]),
    ({"apiVersion": "kubeflow.org/v1", "kind": "TFJob", "metadata": {"name": "t"},
      "spec": {"tfReplicaSpecs": {"PS": {"template": {"spec": pod("tf:ps")}},
                                  "Worker": {"template": {"spec": pod("tf:worker")}}}}},
     [("tf:ps", "spec.tfReplicaSpecs.PS.template.spec.containers[main].image", "container"),
      ("tf:worker", "spec.tfReplicaSpecs.Worker.template.spec.containers[main].image", "container")]),
    ({"apiVersion": "kubeflow.org/v1", "kind": "PyTorchJob", "metadata": {"name": "pt"},
      "spec": {"pytorchReplicaSpecs": {"Master": {"template": {"spec": pod("pytorch/pytorch:2")}}}}},
     [("pytorch/pytorch:2", "spec.pytorchReplicaSpecs.Master.template.spec.containers[main].image", "container")]),
    ({"apiVersion": "kubeflow.org/v2beta1", "kind": "MPIJob", "metadata": {"name": "m"},
      "spec": {"mpiReplicaSpecs": {"Launcher": {"template": {"spec": pod("mpi:l")}},
                                   "Worker": {"template": {"spec": pod("mpi:w")}}}}},
     [("mpi:l", "spec.mpiReplicaSpecs.Launcher.template.spec.containers[main].image", "container"),
      ("mpi:w", "spec.mpiReplicaSpecs.Worker.template.spec.containers[main].image", "container")]),
    ({"apiVersion": "jobset.x-k8s.io/v1alpha2", "kind": "JobSet", "metadata": {"name": "js"},
      "spec": {"replicatedJobs": [{"name": "workers", "template": {"spec": {"template": {"spec": pod("js:1")}}}}]}},
     [("js:1", "spec.replicatedJobs[0].template.spec.template.spec.containers[main].image", "container")]),
    ({"apiVersion": "trainer.kubeflow.org/v1alpha1", "kind": "TrainJob", "metadata": {"name": "tj"},
      "spec": {"runtimeRef": {"name": "torch-distributed"}, "trainer": {"image": "ghcr.io/me/train:3", "numNodes": 2}}},
     [("ghcr.io/me/train:3", "spec.trainer.image", "field")]),
    ({"apiVersion": "trainer.kubeflow.org/v1alpha1", "kind": "ClusterTrainingRuntime", "metadata": {"name": "rt"},
      "spec": {"template": {"spec": {"replicatedJobs": [
          {"name": "node", "template": {"spec": {"template": {"spec": pod("pytorch/pytorch:2.13")}}}}]}}}},
     [("pytorch/pytorch:2.13", "spec.template.spec.replicatedJobs[0].template.spec.template.spec.containers[main].image",
       "container")]),
    ({"apiVersion": "kubeflow.org/v1", "kind": "Notebook", "metadata": {"name": "nb"},
      "spec": {"template": {"spec": pod("kubeflownotebookswg/jupyter-scipy:v1.10.0")}}},
     [("kubeflownotebookswg/jupyter-scipy:v1.10.0", "spec.template.spec.containers[main].image", "container")]),
    ({"apiVersion": "serving.kserve.io/v1beta1", "kind": "InferenceService", "metadata": {"name": "isvc"},
      "spec": {"predictor": {"sklearn": {"storageUri": "gs://m", "image": "kserve/sklearnserver:v0.20.0"},
                             "containers": [{"name": "kserve-container", "image": "me/predictor:1"}]},
               "transformer": {"containers": [{"name": "t", "image": "me/transformer:1"}]}}},
     [("kserve/sklearnserver:v0.20.0", "spec.predictor.sklearn.image", "field"),
      ("me/predictor:1", "spec.predictor.containers[kserve-container].image", "container"),
      ("me/transformer:1", "spec.transformer.containers[t].image", "container")]),
    ({"apiVersion": "serving.kserve.io/v1alpha1", "kind": "ClusterServingRuntime", "metadata": {"name": "sk"},
      "spec": {"supportedModelFormats": [{"name": "sklearn"}],
               "containers": [{"name": "kserve-container", "image": "kserve/sklearnserver:v0.20.0"}]}},
     [("kserve/sklearnserver:v0.20.0", "spec.containers[kserve-container].image", "container")]),
    ({"apiVersion": "argoproj.io/v1alpha1", "kind": "Workflow", "metadata": {"name": "wf"},
      "spec": {"templates": [
          {"name": "a", "container": {"image": "alpine:3.20", "command": ["echo"]}},
          {"name": "b", "script": {"image": "python:3.12", "source": "print(1)"},
           "sidecars": [{"name": "db", "image": "postgres:17"}], "initContainers": [{"name": "i", "image": "busybox"}]},
          {"name": "c", "containerSet": {"containers": [{"name": "x", "image": "ghcr.io/x/y:1"}]}},
          {"name": "d", "steps": [[{"name": "s", "template": "a"}]]}]}},
     [("alpine:3.20", "spec.templates[0].container.image", "container"),
      ("python:3.12", "spec.templates[1].script.image", "container"),
      ("postgres:17", "spec.templates[1].sidecars[db].image", "sidecar"),
      ("busybox", "spec.templates[1].initContainers[i].image", "init"),
      ("ghcr.io/x/y:1", "spec.templates[2].containerSet.containers[x].image", "container")]),
    ({"apiVersion": "kubeflow.org/v1beta1", "kind": "Experiment", "metadata": {"name": "e"},
      "spec": {"metricsCollectorSpec": {"collector": {"kind": "Custom", "customCollector": {
          "name": "c", "image": "me/collector:1"}}},
               "trialTemplate": {"trialSpec": {"apiVersion": "batch/v1", "kind": "Job",
                                               "spec": {"template": {"spec": pod("me/trial:1")}}}}}},
     [("me/collector:1", "spec.metricsCollectorSpec.collector.customCollector.image", "container"),
      ("me/trial:1", "spec.trialTemplate.trialSpec.spec.template.spec.containers[main].image", "container")]),
]


@pytest.mark.parametrize("obj,expected", SHAPES, ids=[f"{o['kind']}" for o, _ in SHAPES])
def test_every_pod_template_shape(obj, expected):
    assert sites(obj) == [[(*e, True) for e in expected]]


def test_env_and_flags_of_a_container():
    dep = {"apiVersion": "apps/v1", "kind": "Deployment", "metadata": {"name": "ml-pipeline"}, "spec": {"template": {"spec": {
        "containers": [{"name": "api", "image": "ghcr.io/kubeflow/kfp-api-server:2.5.0",
                        "args": ["--executor-image=quay.io/argoproj/argoexec:v3.6", "--image-pull-policy=Always",
                                 "--kubectl-delivery-image", "ghcr.io/x/kubectl:1", "--verbose"],
                        "env": [{"name": "V2_DRIVER_IMAGE", "value": "ghcr.io/kubeflow/kfp-driver:2.5.0"},
                                {"name": "RELATED_IMAGE_DB", "value": "mysql:8.4"},
                                {"name": "IMAGE_PULL_POLICY", "value": "Always"},
                                {"name": "BASE_IMAGE", "value": "python"}]}]}}}}
    assert sites(dep) == [[
        ("ghcr.io/kubeflow/kfp-api-server:2.5.0", "spec.template.spec.containers[api].image", "container", True),
        ("ghcr.io/kubeflow/kfp-driver:2.5.0", "spec.template.spec.containers[api].env[V2_DRIVER_IMAGE]", "env", True),
        ("mysql:8.4", "spec.template.spec.containers[api].env[RELATED_IMAGE_DB]", "env", True),
        ("quay.io/argoproj/argoexec:v3.6", "spec.template.spec.containers[api].args[--executor-image]", "flag", True),
        ("ghcr.io/x/kubectl:1", "spec.template.spec.containers[api].args[--kubectl-delivery-image]", "flag", True),
    ]]


KSERVE_CONFIG = {"apiVersion": "v1", "kind": "ConfigMap", "metadata": {"name": "inferenceservice-config", "namespace": "kserve"},
                 "data": {
                     "_example": "# storageInitializer: |-\n#   {\"image\": \"kserve/storage-initializer:old\"}\n",
                     "agent": '{\n    "image" : "kserve/agent:v0.20.0",\n    "memoryRequest": "100Mi"\n}',
                     "explainers": '{\n    "art": {\n        "image" : "kserve/art-explainer",\n'
                                   '        "defaultImageVersion": "latest"\n    }\n}',
                     "localModel": '{\n  "enabled": false,\n  "defaultJobImage" : "kserve/storage-initializer:v0.20.0"\n}',
                     "router": '{\n    "image" : "kserve/router:v0.20.0",\n    "imagePullPolicy": "IfNotPresent"\n}'}}
KATIB_CONFIG = {"apiVersion": "v1", "kind": "ConfigMap", "metadata": {"name": "katib-config", "namespace": "kubeflow"},
                "data": {"katib-config.yaml": (
                    "---\napiVersion: config.kubeflow.org/v1beta1\nkind: KatibConfig\nruntime:\n  metricsCollectors:\n"
                    "    - kind: StdOut\n      image: ghcr.io/kubeflow/katib/file-metrics-collector:v0.19.0\n"
                    "    - kind: File\n      image: ghcr.io/kubeflow/katib/file-metrics-collector:v0.19.0\n"
                    "  suggestions:\n    - algorithmName: random  # hyperopt\n"
                    "      image: ghcr.io/kubeflow/katib/suggestion-hyperopt:v0.19.0\n")}}
ARGO_CONTROLLER = {"apiVersion": "apps/v1", "kind": "Deployment", "metadata": {"name": "workflow-controller", "namespace": "argo"},
                   "spec": {"template": {"spec": {"containers": [
                       {"name": "workflow-controller", "image": "quay.io/argoproj/workflow-controller:v4.1.2",
                        "command": ["workflow-controller"]}]}}}}


def test_known_configuration():
    kserve, katib, argo = sites(KSERVE_CONFIG, KATIB_CONFIG, ARGO_CONTROLLER)
    assert kserve == [("kserve/agent:v0.20.0", "data[agent].image", "config", True),
                      ("kserve/art-explainer:latest", "data[explainers].art.image+defaultImageVersion", "config", True),
                      ("kserve/storage-initializer:v0.20.0", "data[localModel].defaultJobImage", "config", False),
                      ("kserve/router:v0.20.0", "data[router].image", "config", True)]
    assert katib == [
        ("ghcr.io/kubeflow/katib/file-metrics-collector:v0.19.0", "data[katib-config.yaml].runtime.metricsCollectors[0].image",
         "config", True),
        ("ghcr.io/kubeflow/katib/file-metrics-collector:v0.19.0", "data[katib-config.yaml].runtime.metricsCollectors[1].image",
         "config", True),
        ("ghcr.io/kubeflow/katib/suggestion-hyperopt:v0.19.0", "data[katib-config.yaml].runtime.suggestions[0].image",
         "config", True)]
    assert argo == [
        ("quay.io/argoproj/workflow-controller:v4.1.2", "spec.template.spec.containers[workflow-controller].image",
         "container", True),
        ("quay.io/argoproj/argoexec:v4.1.2",
         "spec.template.spec.containers[workflow-controller].args[--executor-image] (unset: the default)", "implied", True)]


def test_argo_executor_set_in_its_config_map_is_not_implied():
    cm = {"apiVersion": "v1", "kind": "ConfigMap", "metadata": {"name": "workflow-controller-configmap"},
          "data": {"executor": "image: ghcr.io/me/argoexec:v4.1.2\nresources: {}\n"}}
    got = sites(cm, ARGO_CONTROLLER)
    assert got == [[("ghcr.io/me/argoexec:v4.1.2", "data[executor].image", "config", True)],
                   [("quay.io/argoproj/workflow-controller:v4.1.2",
                     "spec.template.spec.containers[workflow-controller].image", "container", True)]]


def test_cluster_policy_triplets_and_disabled_components():
    cp = {"apiVersion": "nvidia.com/v1", "kind": "ClusterPolicy", "metadata": {"name": "cluster-policy"}, "spec": {
        "driver": {"enabled": True, "repository": "nvcr.io/nvidia", "image": "driver", "version": "595.91.07",
                   "manager": {"repository": "nvcr.io/nvidia/cloud-native", "image": "k8s-driver-manager", "version": "v0.12.0"}},
        "dcgm": {"enabled": False, "repository": "nvcr.io/nvidia/cloud-native", "image": "dcgm", "version": "4.6.0"},
        "vgpuManager": {"enabled": False, "image": "vgpu-manager"}}}
    (found,) = find_images([cp])
    assert [(s.image, s.where, s.active, s.note) for s in found] == [
        ("nvcr.io/nvidia/driver:595.91.07", "spec.driver.{repository,image,version}", True,
         "the operator appends the node's OS to the driver tag (e.g. -ubuntu24.04)"),
        ("nvcr.io/nvidia/cloud-native/k8s-driver-manager:v0.12.0", "spec.driver.manager.{repository,image,version}", True, ""),
        ("nvcr.io/nvidia/cloud-native/dcgm:4.6.0", "spec.dcgm.{repository,image,version}", False, "")]
    (out,) = rewrite_images([cp], lambda i: "m.local/" + i.split("/", 1)[1])
    assert out["spec"]["driver"] == {"enabled": True, "repository": "m.local/nvidia", "image": "driver",
                                     "version": "595.91.07", "manager": {"repository": "m.local/nvidia/cloud-native",
                                                                         "image": "k8s-driver-manager", "version": "v0.12.0"}}
    assert out["spec"]["dcgm"]["repository"] == "m.local/nvidia/cloud-native"  # rewritten, though nothing pulls it


def test_crds_secrets_and_plain_config_maps_are_not_read():
    crd = {"apiVersion": "apiextensions.k8s.io/v1", "kind": "CustomResourceDefinition", "metadata": {"name": "x.y"},
           "spec": {"versions": [{"schema": {"openAPIV3Schema": {"properties": {"containers": {"items": {
               "properties": {"image": {"type": "string"}}}}}}}}]}}
    secret = {"apiVersion": "v1", "kind": "Secret", "metadata": {"name": "s"}, "stringData": {"image": "me/secret:1"}}
    cm = {"apiVersion": "v1", "kind": "ConfigMap", "metadata": {"name": "app-config"}, "data": {"image": "me/x:1"}}
    assert sites(crd, secret, cm) == [[], [], []]


def test_rewrite_keeps_config_text_formatting_and_adds_the_executor_flag():
    mapping = {"kserve/agent:v0.20.0": "m.local/kserve/agent:v0.20.0",
               "kserve/art-explainer:latest": "m.local/kserve/art-explainer:latest",
               "kserve/router:v0.20.0": "m.local/kserve/router:v0.20.0",
               "kserve/storage-initializer:v0.20.0": "m.local/kserve/storage-initializer:v0.20.0",
               "ghcr.io/kubeflow/katib/file-metrics-collector:v0.19.0": "m.local/kubeflow/katib/file-metrics-collector:v0.19.0",
               "ghcr.io/kubeflow/katib/suggestion-hyperopt:v0.19.0": "m.local/kubeflow/katib/suggestion-hyperopt:v0.19.0",
               "quay.io/argoproj/workflow-controller:v4.1.2": "m.local/argoproj/workflow-controller:v4.1.2",
               "quay.io/argoproj/argoexec:v4.1.2": "m.local/argoproj/argoexec:v4.1.2"}
    before = copy.deepcopy([KSERVE_CONFIG, KATIB_CONFIG, ARGO_CONTROLLER])
    kserve, katib, argo = rewrite_images([KSERVE_CONFIG, KATIB_CONFIG, ARGO_CONTROLLER], mapping.__getitem__)
    assert [KSERVE_CONFIG, KATIB_CONFIG, ARGO_CONTROLLER] == before  # inputs untouched
    assert kserve["data"] == {**KSERVE_CONFIG["data"],
                              "agent": '{\n    "image" : "m.local/kserve/agent:v0.20.0",\n    "memoryRequest": "100Mi"\n}',
                              "explainers": '{\n    "art": {\n        "image" : "m.local/kserve/art-explainer",\n'
                                            '        "defaultImageVersion": "latest"\n    }\n}',
                              "localModel": '{\n  "enabled": false,\n  "defaultJobImage" : '
                                            '"m.local/kserve/storage-initializer:v0.20.0"\n}',
                              "router": '{\n    "image" : "m.local/kserve/router:v0.20.0",\n'
                                        '    "imagePullPolicy": "IfNotPresent"\n}'}
    assert kserve["data"]["_example"] == KSERVE_CONFIG["data"]["_example"]
    assert katib["data"]["katib-config.yaml"] == KATIB_CONFIG["data"]["katib-config.yaml"].replace(
        "ghcr.io/kubeflow/katib/", "m.local/kubeflow/katib/")
    assert "  # hyperopt" in katib["data"]["katib-config.yaml"]
    c = argo["spec"]["template"]["spec"]["containers"][0]
    assert (c["image"], c["command"], c["args"]) == ("m.local/argoproj/workflow-controller:v4.1.2",
                                                     ["workflow-controller"], ["--executor-image=m.local/argoproj/argoexec:v4.1.2"])
    assert find_images([argo])[0][1].kind == "flag"  # once set, the executor is a flag site


def test_rewrite_of_an_unchanged_object_is_the_same_object():
    dep = SHAPES[1][0]
    assert rewrite_images([dep], lambda i: i)[0] is dep


def test_an_override_cannot_change_the_tag_of_a_split_reference_in_text():
    from kfctl.render.images import RewriteError

    with pytest.raises(RewriteError) as exc:
        rewrite_images([KSERVE_CONFIG], lambda i: "m.local/art:v2" if "art-explainer" in i else i)
    assert str(exc.value) == ("ConfigMap kserve/inferenceservice-config key explainers: kserve/art-explainer:latest is "
                              "written as separate image and defaultImageVersion fields; an override may change its "
                              "repository, not its tag")
    json.dumps(KSERVE_CONFIG)
