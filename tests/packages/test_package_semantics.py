"""What the params do: behaviour of the kubeflow packages beyond the golden snapshots, the registry's
layout, platform profiles, error messages, and the packages through the real CLI."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from kfctl.jsonnet import JsonnetError
import yaml

from tests.packages.cases import CORE, DEVICE_PLUGIN, OPERATOR, TF_JOB, TF_SERVING, P
from tests.packages.render_helper import REGISTRY, render_prototype
from tests.packages.validation import crd_schemas, validate_objects

ROOT = Path(__file__).resolve().parents[2]
PACKAGES = ["core", "tf-job", "tf-serving", "gpu", "training-operator", "trainer", "mpi-operator", "jobset", "kueue",
            "scheduler-plugins", "katib", "notebooks", "kserve", "argo-workflows", "cert-manager", "platform"]


def by_key(objects):
    return {(o["kind"], o["metadata"]["name"]): o for o in objects}


@pytest.fixture(scope="module")
def schemas():
    return crd_schemas(render_prototype(CORE, {"name": "kubeflow-core"}))


# ------------------------------------------------------------------------------------ registry layout
def test_registry_yaml_lists_the_packages():
    doc = yaml.safe_load((REGISTRY / "registry.yaml").read_text())
    assert doc["apiVersion"] == "0.1" and doc["kind"] == "ksonnet.io/registry"
    assert list(doc["libraries"]) == PACKAGES
    for name, lib in doc["libraries"].items():
        pkg = REGISTRY / lib["path"]
        parts = json.loads((pkg / "parts.yaml").read_text())  # JSON text, as ksonnet's parts files were
        assert parts["apiVersion"] == "0.0.1" and parts["kind"] == "ksonnet.io/parts" and parts["name"] == name
        assert (pkg / "README.md").is_file()
        protos = [p.read_text() for p in (pkg / "prototypes").glob("*.jsonnet")]
        assert any(f"// @name {parts['quickStart']['prototype']}\n" in t for t in protos), name


def test_kfctl_reads_the_registry_and_parts():
    from kfctl.registry.registries import read_parts, read_registry_yaml

    doc = read_registry_yaml(REGISTRY, "builtin:kubeflow")
    assert list(doc["libraries"]) == PACKAGES
    assert read_parts(REGISTRY / "tf-serving")["name"] == "tf-serving"


def test_libraries_import_only_their_own_package_and_its_dependencies():
    """An installed package must render with only itself and the packages its parts.yaml lists as
    dependencies installed (kfctl installs those with it)."""
    from kfctl.registry.packages import package_dependencies

    for lib in REGISTRY.glob("*/**/*sonnet"):
        pkg = lib.relative_to(REGISTRY).parts[0]
        allowed = {pkg, *package_dependencies(REGISTRY / pkg)}
        for line in lib.read_text().splitlines():
            if 'import "kubeflow/' in line:
                imported = line.split('import "kubeflow/', 1)[1].split("/", 1)[0]
                assert imported in allowed, f"{lib}: {line.strip()}"
    assert package_dependencies(REGISTRY / "platform") == [
        "training-operator", "trainer", "kueue", "cert-manager", "kserve", "katib", "notebooks", "argo-workflows", "gpu"]
    assert package_dependencies(REGISTRY / "kserve") == []


# ------------------------------------------------------------------------------------ kubeflow-core
CORE_OBJECTS = 69  # TFJob operator 8, notebook controller 12, Katib 24, JupyterHub 24, version 1


def hub_values(objs) -> dict:
    import base64

    secret = by_key(objs)[("Secret", "hub")]
    return yaml.safe_load(base64.b64decode(secret["data"]["values.yaml"]))


def core_render(params: dict, namespace: str = "kubeflow") -> tuple[list[dict], list[str]]:
    warnings: list[str] = []
    objs = render_prototype(CORE, {"name": "kubeflow-core", **params}, namespace=namespace, component="kubeflow-core",
                            warnings=warnings)
    return objs, warnings


def test_core_default_is_the_2026_core_on_current_apis(schemas):
    objs, warnings = core_render({})
    validate_objects(objs, schemas)
    k = by_key(objs)
    assert len(objs) == CORE_OBJECTS
    # the upstream releases the core deploys, as their images say
    images = {c["image"] for o in objs if o["kind"] in ("Deployment", "StatefulSet", "DaemonSet")
              for c in o["spec"]["template"]["spec"]["containers"]}
    assert {"ghcr.io/kubeflow/training-v1/training-operator:v1-93c5489",
            "ghcr.io/kubeflow/notebooks/notebook-controller:v1.11.0",
            "ghcr.io/kubeflow/katib/katib-controller:v0.19.0", "ghcr.io/kubeflow/katib/katib-db-manager:v0.19.0",
            "ghcr.io/kubeflow/katib/katib-ui:v0.19.0", "mysql:8.0.29", "quay.io/jupyterhub/k8s-hub:4.4.0",
            "quay.io/jupyterhub/configurable-http-proxy:5.2.0"} <= images
    assert not any("datawire" in i or "kubeflow-images-public" in i or "spartakus" in i for i in images)
    assert {n for (kind, n) in k if kind == "CustomResourceDefinition"} == {
        "tfjobs.kubeflow.org", "notebooks.kubeflow.org", "experiments.kubeflow.org", "trials.kubeflow.org",
        "suggestions.kubeflow.org"}
    version = json.loads(k[("ConfigMap", "kubeflow-version")]["data"]["kubeflow-version"])
    assert version["components"] == {"training-operator": "v1.9.4", "notebooks": "v1.11.0", "katib": "v0.19.0",
                                     "zero-to-jupyterhub": "4.4.0"}
    # the TFJob operator is training-operator v1.9.4 as released, serving TFJob only
    op = k[("Deployment", "training-operator")]["spec"]["template"]["spec"]["containers"][0]
    assert (op["image"], op["args"]) == ("ghcr.io/kubeflow/training-v1/training-operator:v1-93c5489", ["--enable-scheme=tfjob"])
    # the notebook controller without Istio; JupyterHub reached through proxy-public
    nb = k[("ConfigMap", "notebook-controller-config-h659mh255b")]
    assert nb["data"]["USE_ISTIO"] == "false"
    assert k[("Service", "proxy-public")]["spec"]["type"] == "ClusterIP"
    assert {o["apiVersion"] for o in objs} == {
        "v1", "apps/v1", "rbac.authorization.k8s.io/v1", "apiextensions.k8s.io/v1", "admissionregistration.k8s.io/v1",
        "networking.k8s.io/v1", "policy/v1"}
    assert warnings == [
        "component 'kubeflow-core': jupyterHubSecret is unset: JupyterHub's proxy token and cookie secret are the "
        "placeholders of kfctl's vendored chart; set one: kfctl param set kubeflow-core jupyterHubSecret "
        "$(openssl rand -hex 32)"]


# the params a Kubeflow 0.1 app's generated component holds (generate wrote every default)
KUBEFLOW_01_PARAMS = {
    "cloud": "null", "disks": "null", "tfAmbassadorServiceType": "null", "tfJobImage": "null",
    "tfDefaultImage": "null", "tfJobUiServiceType": "null", "jupyterHubServiceType": "null",
    "jupyterHubImage": "gcr.io/kubeflow/jupyterhub-k8s:v20180531-3bb991b1", "jupyterHubAuthenticator": "null",
    "jupyterNotebookPVCMount": "null", "reportUsage": "false", "usageId": "unknown_cluster",
    "ambassadorImage": "quay.io/datawire/ambassador:0.30.1", "statsdImage": "quay.io/datawire/statsd:0.30.1",
    "centralUiImage": "gcr.io/kubeflow-images-public/centraldashboard:v20180618-v0.2.0-rc.0-5-g715aafc8-e3b0c4",
    "jupyterHubSecret": "0123abcd",
}


def test_core_accepts_kubeflow_01_params_with_one_warning(schemas):
    objs, warnings = core_render(KUBEFLOW_01_PARAMS)
    validate_objects(objs, schemas)
    assert len(objs) == CORE_OBJECTS
    assert warnings == [
        "component 'kubeflow-core': Kubeflow 0.1 params with no effect: ambassadorImage, statsdImage (Ambassador 0.30 "
        "is not deployed: JupyterHub is reached through its proxy-public Service (jupyterHubServiceType), other UIs "
        "through an Ingress (prototype ingress)); centralUiImage (the 2018 central dashboard is not deployed: its "
        "successor, Kubeflow Dashboard v2.0.0 (kubeflow/dashboard), needs Istio and Profiles); jupyterHubImage "
        "gcr.io/kubeflow/jupyterhub-k8s:v20180531-3bb991b1 (the 2018 Kubeflow hub: the hub runs "
        "quay.io/jupyterhub/k8s-hub:4.4.0, zero-to-jupyterhub 4.4.0)"]
    # the 2018 hub image does not replace the z2jh hub; the rest renders as without those params
    assert by_key(objs)[("Deployment", "hub")]["spec"]["template"]["spec"]["containers"][0]["image"] == \
        "quay.io/jupyterhub/k8s-hub:4.4.0"
    plain, _ = core_render({"jupyterHubSecret": "0123abcd"})
    assert objs == plain


def test_core_reported_usage_and_ambassador_service_type_warn_too():
    _, warnings = core_render({"reportUsage": "true", "usageId": "abc", "tfAmbassadorServiceType": "LoadBalancer",
                               "tfDefaultImage": "tf:1", "jupyterHubSecret": "x"})
    assert warnings == [
        "component 'kubeflow-core': Kubeflow 0.1 params with no effect: tfAmbassadorServiceType (Ambassador 0.30 is "
        "not deployed: JupyterHub is reached through its proxy-public Service (jupyterHubServiceType), other UIs "
        "through an Ingress (prototype ingress)); reportUsage, usageId (spartakus usage reporting to kubeflow.org "
        "ended: nothing is reported); tfDefaultImage (training-operator v1 has no default TensorFlow image: give "
        "each tf-job its image)"]


@pytest.mark.parametrize("cloud,hub,storage", [
    ("null", "ClusterIP", None),
    ("gke", "ClusterIP", "standard-rwo"),
    ("eks", "ClusterIP", "gp3"),
    ("aks", "ClusterIP", "managed-csi"),
    ("on-prem", "NodePort", "nfs-client"),
    ("kind", "ClusterIP", "standard"),
    ("minikube", "ClusterIP", "standard"),
])
def test_core_cloud_picks_service_types_and_storage(cloud, hub, storage):
    objs, _ = core_render({"cloud": cloud, "jupyterNotebookPVCMount": "/home/jovyan",
                           "tfJobUiImage": "example/tf-dashboard:v1"})
    k = by_key(objs)
    assert k[("Service", "proxy-public")]["spec"]["type"] == hub
    assert k[("Service", "tf-job-dashboard")]["spec"]["type"] == hub
    values = hub_values(objs)
    assert values["proxy"]["service"]["type"] == hub
    assert values["singleuser"]["storage"]["type"] == "dynamic"
    assert values["singleuser"]["storage"]["dynamic"]["storageClass"] == storage
    assert k[("PersistentVolumeClaim", "katib-mysql")]["spec"].get("storageClassName") == storage


def test_core_explicit_service_type_beats_cloud():
    objs, _ = core_render({"cloud": "on-prem", "jupyterHubServiceType": "LoadBalancer"})
    assert by_key(objs)[("Service", "proxy-public")]["spec"]["type"] == "LoadBalancer"


def test_core_disks_on_prem_are_static_nfs_volumes(schemas):
    objs, _ = core_render({"cloud": "on-prem", "disks": "a,b", "nfsServer": "nfs.local", "nfsPath": "/srv/",
                           "diskSize": "50Gi"}, namespace="ml")
    validate_objects(objs, schemas)
    k = by_key(objs)
    assert len(objs) == CORE_OBJECTS + 4
    pv = k[("PersistentVolume", "ml-a")]
    assert pv["spec"]["nfs"] == {"server": "nfs.local", "path": "/srv/a"}
    assert pv["spec"]["capacity"] == {"storage": "50Gi"}
    pvc = k[("PersistentVolumeClaim", "b")]
    assert pvc["spec"]["volumeName"] == "ml-b" and pvc["spec"]["storageClassName"] == ""
    storage = hub_values(objs)["singleuser"]["storage"]
    assert storage["extraVolumeMounts"] == [{"mountPath": "/mnt/a", "name": "a"}, {"mountPath": "/mnt/b", "name": "b"}]
    assert storage["extraVolumes"] == [{"name": "a", "persistentVolumeClaim": {"claimName": "a"}},
                                       {"name": "b", "persistentVolumeClaim": {"claimName": "b"}}]


def test_core_disks_on_gke_use_the_persistent_disks():
    objs, _ = core_render({"cloud": "gke", "disks": "d1"})
    k = by_key(objs)
    assert len(k) == CORE_OBJECTS + 4 + 4
    dep = k[("Deployment", "d1-provisioner")]
    assert dep["spec"]["template"]["spec"]["volumes"] == [
        {"name": "export-volume", "gcePersistentDisk": {"pdName": "d1", "fsType": "ext4"}}]
    assert k[("PersistentVolumeClaim", "d1")]["spec"]["storageClassName"] == "d1-nfs"
    assert k[("StorageClass", "d1-nfs")]["provisioner"] == "d1/nfs"
    assert "namespace" not in k[("ClusterRoleBinding", "kubeflow-core-nfs-role")]["metadata"]


def test_core_disks_elsewhere_export_a_claim_from_the_storage_class():
    objs, _ = core_render({"cloud": "aks", "disks": "d1"})
    k = by_key(objs)
    assert k[("PersistentVolumeClaim", "d1-export")]["spec"]["storageClassName"] == "managed-csi"
    assert k[("Deployment", "d1-provisioner")]["spec"]["template"]["spec"]["volumes"][0]["persistentVolumeClaim"] == {
        "claimName": "d1-export"}


def test_core_authenticator_and_namespace():
    objs, _ = core_render({"jupyterHubAuthenticator": "iap", "namespace": "team"}, namespace="ignored")
    k = by_key(objs)
    extra = hub_values(objs)["hub"]["extraConfig"]["kfctl-remote-user"]
    assert "class RemoteUserAuthenticator(Authenticator):" in extra
    assert 'self.request.headers.get("X-Goog-Authenticated-User-Email", \'\')' in extra
    assert extra.endswith("c.JupyterHub.authenticator_class = RemoteUserAuthenticator\nc.Authenticator.allow_all = True\n")
    compile(extra, "extraConfig", "exec")  # valid Python for the hub
    assert {o["metadata"].get("namespace") for o in k.values()} == {"team", None}
    crb = k[("ClusterRoleBinding", "training-operator")]
    assert crb["subjects"] == [{"kind": "ServiceAccount", "name": "training-operator", "namespace": "team"}]
    [hook] = k[("ValidatingWebhookConfiguration", "validator.training-operator.kubeflow.org")]["webhooks"]
    assert hook["clientConfig"]["service"]["namespace"] == "team"
    assert {w["clientConfig"]["service"]["namespace"] for w in k[("ValidatingWebhookConfiguration", "katib.kubeflow.org")]["webhooks"]} == {"team"}
    assert 'resourceNamespace: "team"' in k[("ConfigMap", "user-scheduler")]["data"]["config.yaml"]
    with pytest.raises(JsonnetError, match="jupyterHubAuthenticator must be iap, remote-user or null"):
        core_render({"jupyterHubAuthenticator": "ldap"})


def test_core_secret_param_rotates_the_hub():
    a, _ = core_render({"jupyterHubSecret": "one"})
    b, _ = core_render({"jupyterHubSecret": "two"})
    ka, kb = by_key(a), by_key(b)
    for name, key in (("hub", "checksum/secret"), ("proxy", "checksum/auth-token")):
        ann_a = ka[("Deployment", name)]["spec"]["template"]["metadata"]["annotations"][key]
        assert ann_a != kb[("Deployment", name)]["spec"]["template"]["metadata"]["annotations"][key]
    assert hub_values(a)["hub"]["config"]["JupyterHub"]["cookie_secret"] == __import__("hashlib").sha256(
        b"one:cookie-secret").hexdigest()


def test_tf_job_operator_alone():
    objs = render_prototype(OPERATOR, {"name": "anything"}, component="anything")
    assert sorted(o["kind"] for o in objs) == sorted([
        "CustomResourceDefinition", "ServiceAccount", "ClusterRole", "ClusterRoleBinding", "Secret", "Service",
        "Deployment", "ValidatingWebhookConfiguration"])
    # Kubeflow 0.1 params still render: tfDefaultImage has no effect on training-operator v1 (one
    # warning says so), the dashboard comes back when its image is given
    warnings: list[str] = []
    assert render_prototype(OPERATOR, {"name": "anything", "tfDefaultImage": "tf:1"}, component="anything",
                            warnings=warnings) == objs
    assert warnings == ["component 'anything': Kubeflow 0.1 params with no effect: tfDefaultImage (training-operator "
                        "v1 has no default TensorFlow image: give each tf-job its image)"]
    with_ui = by_key(render_prototype(OPERATOR, {"name": "x", "tfJobUiImage": "ui:1", "tfJobUiServiceType": "NodePort"}))
    assert with_ui[("Service", "tf-job-dashboard")]["spec"]["type"] == "NodePort"
    assert with_ui[("Deployment", "tf-job-dashboard")]["spec"]["template"]["spec"]["containers"][0]["image"] == "ui:1"


# ------------------------------------------------------------------------------------ tf-job
def test_tf_job_replicas_and_gpus(schemas):
    [job] = render_prototype(TF_JOB, {"name": "j", "num_ps": "2", "num_workers": "3", "num_evaluators": "1",
                                      "num_gpus": "4", "image": "me/cpu:1", "image_gpu": "me/gpu:1"})
    validate_objects([job], schemas)
    specs = job["spec"]["tfReplicaSpecs"]
    assert {k: v["replicas"] for k, v in specs.items()} == {"Chief": 1, "PS": 2, "Worker": 3, "Evaluator": 1}
    for rtype, image, gpus in (("Chief", "me/gpu:1", 4), ("Worker", "me/gpu:1", 4), ("PS", "me/cpu:1", None),
                               ("Evaluator", "me/cpu:1", None)):
        c = specs[rtype]["template"]["spec"]["containers"][0]
        assert c["name"] == "tensorflow" and c["image"] == image
        assert c.get("resources", {}).get("limits", {}).get("nvidia.com/gpu") == gpus


def test_tf_job_without_gpus_has_no_gpu_scheduling_even_with_profile_keys():
    [job] = render_prototype(TF_JOB, {"name": "j", "gpuNodeSelectorKey": "x", "gpuTolerationKey": "nvidia.com/gpu"})
    spec = job["spec"]["tfReplicaSpecs"]["Chief"]["template"]["spec"]
    assert set(spec) == {"containers"}


@pytest.mark.parametrize("params,message", [
    ({"num_masters": "2"}, "num_masters must be 0 or 1"),
    ({"num_masters": "0", "num_workers": "0"}, "needs a Chief or at least one Worker"),
    ({"num_evaluators": "2"}, "num_evaluators must be 0 or 1"),
])
def test_tf_job_rejects_impossible_shapes(params, message):
    with pytest.raises(JsonnetError, match=message):
        render_prototype(TF_JOB, {"name": "j", **params})


def test_required_param_is_enforced():
    from tests.packages.render_helper import MissingParam

    with pytest.raises(MissingParam, match="name"):
        render_prototype(TF_JOB, {})


# ------------------------------------------------------------------------------------ tf-serving
def test_tf_serving_ports_probe_and_model():
    k = by_key(render_prototype(TF_SERVING, {"name": "mnist", "model_name": "m", "model_path": "gs://b/m"}))
    svc, dep = k[("Service", "mnist")], k[("Deployment", "mnist")]
    assert [(p["name"], p["port"]) for p in svc["spec"]["ports"]] == [("grpc-tf-serving", 8500), ("http-tf-serving", 8501)]
    c = dep["spec"]["template"]["spec"]["containers"][0]
    assert "--model_name=m" in c["args"] and "--model_base_path=gs://b/m" in c["args"]
    assert c["readinessProbe"]["httpGet"] == {"path": "/v1/models/m", "port": 8501}
    assert "env" not in c and "volumes" not in dep["spec"]["template"]["spec"]


def test_tf_serving_credentials_follow_cloud():
    gke = by_key(render_prototype(TF_SERVING, {"name": "s", "cloud": "gke"}))[("Deployment", "s")]
    spec = gke["spec"]["template"]["spec"]
    assert spec["volumes"] == [{"name": "gcp-credentials", "secret": {"secretName": "user-gcp-sa"}}]
    assert spec["containers"][0]["env"][0]["name"] == "GOOGLE_APPLICATION_CREDENTIALS"
    eks = by_key(render_prototype(TF_SERVING, {"name": "s", "cloud": "eks", "s3AwsRegion": "eu-west-1"}))[("Deployment", "s")]
    env = {e["name"]: e.get("value") for e in eks["spec"]["template"]["spec"]["containers"][0]["env"]}
    assert env == {"AWS_REGION": "eu-west-1", "S3_ENDPOINT": "s3.eu-west-1.amazonaws.com", "S3_USE_HTTPS": "1",
                   "S3_VERIFY_SSL": "1"}
    onprem = by_key(render_prototype(TF_SERVING, {"name": "s", "cloud": "on-prem"}))[("Deployment", "s")]
    assert "env" not in onprem["spec"]["template"]["spec"]["containers"][0]


def test_tf_serving_rejects_pvc_path_without_claim():
    with pytest.raises(JsonnetError, match="needs a claim name"):
        render_prototype(TF_SERVING, {"name": "s", "model_path": "pvc:///x"})


# ------------------------------------------------------------------------------------ gpu
def test_device_plugin_defaults_to_kube_system_and_env_namespace_on_null():
    [ds] = render_prototype(DEVICE_PLUGIN, {"name": "p"}, namespace="kubeflow")
    assert ds["metadata"]["namespace"] == "kube-system"
    [ds] = render_prototype(DEVICE_PLUGIN, {"name": "p", "namespace": "null"}, namespace="kubeflow")
    assert ds["metadata"]["namespace"] == "kubeflow"
    with pytest.raises(JsonnetError, match="migStrategy must be none, single or mixed"):
        render_prototype(DEVICE_PLUGIN, {"name": "p", "migStrategy": "all"})


# ------------------------------------------------------------------------------------ general prototypes
def test_general_prototypes_default_namespace_to_env():
    for name, params in (("configmap", {}), ("cron-job", {"image": "busybox"}),
                         ("single-port-deployment", {"image": "nginx"}),
                         ("single-port-service", {"targetLabelSelector": "{app: 'x'}"}),
                         ("persistent-volume-claim", {}), ("ingress", {"serviceName": "x"}),
                         ("service-account-with-role", {})):
        objs = render_prototype(P(name), {"name": "x", **params}, namespace="envns")
        assert {o["metadata"]["namespace"] for o in objs} == {"envns"}, name
        objs = render_prototype(P(name), {"name": "x", "namespace": "mine", **params}, namespace="envns")
        assert {o["metadata"]["namespace"] for o in objs} == {"mine"}, name


def test_configmap_data_values_become_strings():
    [cm] = render_prototype(P("configmap"), {"name": "c", "data": "{a: 'x', b: {n: 1}, c: 2}"})
    assert cm["data"] == {"a": "x", "b": '{\n  "n": 1\n}', "c": "2"}


def test_service_account_with_role_cluster_scope_has_no_namespace():
    objs = by_key(render_prototype(P("service-account-with-role"), {"name": "w", "scope": "cluster"}))
    assert "namespace" not in objs[("ClusterRole", "w")]["metadata"]
    assert "namespace" not in objs[("ClusterRoleBinding", "w")]["metadata"]
    assert objs[("ClusterRoleBinding", "w")]["subjects"][0]["namespace"] == "kubeflow"
    with pytest.raises(JsonnetError, match="scope must be namespace or cluster"):
        render_prototype(P("service-account-with-role"), {"name": "w", "scope": "everywhere"})


def test_ingress_port_number_or_name():
    [ing] = render_prototype(P("ingress"), {"name": "i", "serviceName": "s", "servicePort": "8080"})
    assert ing["spec"]["rules"][0]["http"]["paths"][0]["backend"]["service"]["port"] == {"number": 8080}
    assert "ingressClassName" not in ing["spec"] and "host" not in ing["spec"]["rules"][0]
    [ing] = render_prototype(P("ingress"), {"name": "i", "serviceName": "s", "servicePort": "https"})
    assert ing["spec"]["rules"][0]["http"]["paths"][0]["backend"]["service"]["port"] == {"name": "https"}


# ------------------------------------------------------------------------------------ platform profiles
PROFILES = sorted((ROOT / "envs").glob("*.yaml"))


@pytest.mark.parametrize("profile", PROFILES, ids=[p.stem for p in PROFILES])
def test_platform_profiles_drive_the_packages(profile, schemas):
    """A profile's params override the same-named params (as the render pipeline applies them)."""
    from kfctl.registry.prototype import parse_prototype

    prof = yaml.safe_load(profile.read_text())["params"]
    for path, own in ((CORE, {"name": "kubeflow-core"}), (TF_JOB, {"name": "j", "num_gpus": "1", "num_workers": "1"}),
                      (TF_SERVING, {"name": "s", "num_gpus": "1"}), (DEVICE_PLUGIN, {"name": "p"}),
                      (P("persistent-volume-claim"), {"name": "pvc"}), (P("ingress"), {"name": "i", "serviceName": "s"})):
        declared = {p.name for p in parse_prototype(path).params}
        params = {**own, **{k: v for k, v in prof.items() if k in declared}}
        objs = render_prototype(path, params)
        validate_objects(objs, schemas)
        k = by_key(objs)
        if path == CORE:
            assert k[("Service", "proxy-public")]["spec"]["type"] == prof["jupyterHubServiceType"]
        elif path == TF_SERVING:
            assert k[("Service", "s")]["spec"]["type"] == prof["serviceType"]
        elif path == TF_JOB:
            spec = k[("TFJob", "j")]["spec"]["tfReplicaSpecs"]["Worker"]["template"]["spec"]
            if prof["gpuNodeSelectorKey"] and prof["gpuNodeSelectorValue"]:
                assert spec["nodeSelector"] == {prof["gpuNodeSelectorKey"]: prof["gpuNodeSelectorValue"]}
            elif prof["gpuNodeSelectorKey"]:
                terms = spec["affinity"]["nodeAffinity"]["requiredDuringSchedulingIgnoredDuringExecution"]
                assert terms["nodeSelectorTerms"][0]["matchExpressions"][0]["key"] == prof["gpuNodeSelectorKey"]
            else:
                assert "affinity" not in spec
            assert ("tolerations" in spec) == bool(prof["gpuTolerationKey"])
        elif path == P("persistent-volume-claim"):
            assert k[("PersistentVolumeClaim", "pvc")]["spec"]["storageClassName"] == prof["storageClass"]
        elif path == P("ingress"):
            assert k[("Ingress", "i")]["spec"]["ingressClassName"] == prof["ingressClass"]


# ------------------------------------------------------------------------------------ engines
@pytest.mark.parametrize("path,params", [(CORE, {"name": "c", "disks": "a", "reportUsage": "true", "cloud": "eks"}),
                                         (TF_SERVING, {"name": "s", "model_path": "pvc://m/x"})])
def test_rjsonnet_renders_the_same(path, params):
    """kfctl's fast engine (rjsonnet) and go-jsonnet agree on the packages."""
    assert render_prototype(path, params, engine="rjsonnet") == render_prototype(path, params)


@pytest.mark.parametrize("cloud,key", [("gke", "nvidia.com/gpu"), ("aks", "sku"), ("kind", None), ("null", None)])
def test_gpu_toleration_follows_cloud(cloud, key):
    singleuser = hub_values(render_prototype(CORE, {"name": "c", "cloud": cloud}))["singleuser"]
    assert singleuser["extraTolerations"] == ([{"effect": "NoSchedule", "key": key, "operator": "Exists"}] if key else [])
    [_, dep] = render_prototype(TF_SERVING, {"name": "s", "cloud": cloud, "num_gpus": "1"})
    tolerations = dep["spec"]["template"]["spec"].get("tolerations")
    assert tolerations == ([{"key": key, "operator": "Exists", "effect": "NoSchedule"}] if key else None)
