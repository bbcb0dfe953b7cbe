"""kfctl show / diff ENV1 ENV2: the render pipeline end to end on real files."""

from __future__ import annotations

import json
import textwrap
from pathlib import Path

import pytest
import yaml

from tests.conftest import run_kfctl


def write(path: Path, text: str) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(textwrap.dedent(text))


def show(app_dir: Path, *args: str) -> list[dict]:
    res = run_kfctl("show", *args, "-o", "json", cwd=app_dir, check=0)
    doc = json.loads(res.stdout)
    assert doc["apiVersion"] == "v1" and doc["kind"] == "List"
    return doc["items"]


LABELS = {"app.kubernetes.io/managed-by": "kfctl", "kfctl.dev/app": "demo", "kfctl.dev/env": "default"}


def test_show_deployed_service_full_objects(app_dir):
    run_kfctl("generate", "deployed-service", "web", "--image", "nginx:1.27", "--replicas", "2", cwd=app_dir, check=0)
    items = show(app_dir, "default")
    labels = {**LABELS, "kfctl.dev/component": "web"}
    assert items == [
        {"apiVersion": "v1", "kind": "Service",
         "metadata": {"name": "web", "namespace": "demo-ns", "labels": labels},
         "spec": {"ports": [{"port": 80, "targetPort": 80}], "selector": {"app": "web"}, "type": "ClusterIP"}},
        {"apiVersion": "apps/v1", "kind": "Deployment",
         "metadata": {"name": "web", "namespace": "demo-ns", "labels": labels},
         "spec": {"replicas": 2, "selector": {"matchLabels": {"app": "web"}},
                  "template": {"metadata": {"labels": {"app": "web"}},
                               "spec": {"containers": [{"image": "nginx:1.27", "name": "web",
                                                        "ports": [{"containerPort": 80}]}]}}}},
    ]
    yaml_out = run_kfctl("show", "default", cwd=app_dir, check=0).stdout
    assert yaml_out == run_kfctl("show", "default", cwd=app_dir, check=0).stdout  # byte-identical
    assert yaml_out.startswith("---\napiVersion: v1\nkind: Service\n")
    assert list(yaml.safe_load_all(yaml_out)) == items


def test_shapes_scopes_and_order(app_dir):
    comps = app_dir / "components"
    write(comps / "nested.jsonnet", """\
        {
          ns: { apiVersion: "v1", kind: "Namespace", metadata: { name: "extra" } },
          deep: { more: [ { apiVersion: "v1", kind: "ConfigMap", metadata: { name: "cm" }, data: { a: "1" } }, null ] },
          empty: {},
          list: { apiVersion: "v1", kind: "List", items: [
            { apiVersion: "rbac.authorization.k8s.io/v1", kind: "ClusterRole", metadata: { name: "reader" }, rules: [] },
            { apiVersion: "v1", kind: "ServiceAccount", metadata: { name: "sa", namespace: "other" } },
          ] },
        }
        """)
    write(comps / "crd.jsonnet", """\
        [
          { apiVersion: "apiextensions.k8s.io/v1", kind: "CustomResourceDefinition",
            metadata: { name: "widgets.acme.io" },
            spec: { group: "acme.io", scope: "Cluster", names: { kind: "Widget", plural: "widgets" },
                    versions: [ { name: "v1", served: true, storage: true,
                                  schema: { openAPIV3Schema: { type: "object" } } } ] } },
          { apiVersion: "acme.io/v1", kind: "Widget", metadata: { name: "w" } },
          { apiVersion: "acme.io/v1", kind: "Gadget", metadata: { name: "g" } },
        ]
        """)
    items = show(app_dir, "default")
    got = [(o["kind"], o["metadata"].get("namespace"), o["metadata"]["name"], o["metadata"]["labels"]["kfctl.dev/component"])
           for o in items]
    assert got == [
        ("Namespace", None, "extra", "nested"),
        ("CustomResourceDefinition", None, "widgets.acme.io", "crd"),
        ("ClusterRole", None, "reader", "nested"),
        ("ServiceAccount", "other", "sa", "nested"),
        ("ConfigMap", "demo-ns", "cm", "nested"),
        ("Gadget", "demo-ns", "g", "crd"),   # unknown kind: namespaced by default
        ("Widget", None, "w", "crd"),        # cluster-scoped per the CRD in the same render
    ]
    assert [o["metadata"]["name"] for o in show(app_dir, "default", "--kind", "configmap", "--kind", "Widget")] == ["cm", "w"]
    assert [o["kind"] for o in show(app_dir, "default", "--name", "sa")] == ["ServiceAccount"]


@pytest.mark.parametrize("body,needle", [
    ('{ apiVersion: "v1", kind: "ConfigMap", metadata: {} }', "missing metadata.name"),
    ('[{ kind: "ConfigMap", metadata: { name: "x" } }]', "missing apiVersion"),
    ('{ a: "just a string" }', "yields a str"),
])
def test_invalid_objects_are_named(app_dir, body, needle):
    write(app_dir / "components" / "bad.jsonnet", body)
    res = run_kfctl("show", "default", cwd=app_dir)
    assert res.exit_code == 1
    assert "component 'bad'" in res.stderr and needle in res.stderr
    assert "Traceback" not in res.stderr


def test_jsonnet_error_points_at_the_file(app_dir):
    write(app_dir / "components" / "broken.jsonnet", '{\n  apiVersion: "v1",\n  kind: error "boom here",\n}\n')
    res = run_kfctl("show", "default", cwd=app_dir)
    assert res.exit_code == 1
    assert "components/broken.jsonnet:3" in res.stderr and "boom here" in res.stderr
    assert "Traceback" not in res.stderr


def test_component_filter_skips_broken_components(app_dir):
    run_kfctl("generate", "deployed-service", "web", "--image", "nginx", cwd=app_dir, check=0)
    write(app_dir / "components" / "broken.jsonnet", 'error "not me"')
    items = show(app_dir, "default", "-c", "web")
    assert {o["metadata"]["labels"]["kfctl.dev/component"] for o in items} == {"web"}
    res = run_kfctl("show", "default", "-c", "wbe", cwd=app_dir)
    assert res.exit_code == 1 and "component 'wbe' does not exist; did you mean 'web'" in res.stderr


def test_param_imports_at_eval_time_and_env_overrides(app_dir):
    """A hand-written ksonnet component using import 'param://x' renders unchanged."""
    params = app_dir / "components" / "params.libsonnet"
    text = params.read_text().replace(
        "  components: {\n", "  components: {\n    legacy: { name: 'legacy', replicas: 1 },\n")
    params.write_text(text)
    write(app_dir / "components" / "legacy.jsonnet", """\
        { apiVersion: "v1", kind: "ConfigMap",
          metadata: { name: import 'param://name', namespace: import 'env://namespace' },
          data: { replicas: std.toString(import 'param://replicas') } }
        """)
    run_kfctl("param", "set", "legacy", "replicas", "9", "--env", "default", cwd=app_dir, check=0)
    (cm,) = show(app_dir, "default")
    assert cm["metadata"]["name"] == "legacy" and cm["metadata"]["namespace"] == "demo-ns"
    assert cm["data"] == {"replicas": "9"}


def test_main_jsonnet_overrides_and_yaml_components(app_dir):
    write(app_dir / "components" / "cfg.yaml", "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: cfg\ndata:\n  a: '1'\n")
    params = app_dir / "components" / "params.libsonnet"
    params.write_text(params.read_text().replace("  components: {\n", "  components: {\n    cfg: { data: { b: '2' } },\n"))
    main = app_dir / "environments" / "default" / "main.jsonnet"
    main.write_text(main.read_text().replace(
        "base + {\n", 'base + {\n  cfg+: { metadata+: { annotations: { team: "ml" } } },\n'))
    (cm,) = show(app_dir, "default")
    assert cm["data"] == {"a": "1", "b": "2"}
    assert cm["metadata"]["annotations"] == {"team": "ml"}


def test_legacy_env_params_relative_import(app_dir):
    """ks 0.9-era env params import the module params by relative path."""
    run_kfctl("generate", "deployed-service", "web", "--image", "nginx", cwd=app_dir, check=0)
    (app_dir / "environments" / "default" / "params.libsonnet").write_text(
        "local params = import '../../components/params.libsonnet';\n"
        "params + { components +: { web +: { replicas: 5 } } }\n")
    dep = [o for o in show(app_dir, "default") if o["kind"] == "Deployment"][0]
    assert dep["spec"]["replicas"] == 5


def test_platform_profile_is_the_lowest_env_layer(app_dir):
    params = app_dir / "components" / "params.libsonnet"
    params.write_text(params.read_text().replace(
        "  components: {\n", "  components: {\n    svc: { serviceType: 'ClusterIP', other: 1 },\n"))
    write(app_dir / "components" / "svc.jsonnet", """\
        local params = std.extVar("__ksonnet/params").components.svc;
        { apiVersion: "v1", kind: "Service", metadata: { name: "svc" },
          spec: { type: params.serviceType, ports: [{ port: 80 }] } }
        """)
    run_kfctl("env", "add", "prem", "--server", "https://p", "--platform", "on-prem", cwd=app_dir, check=0)
    run_kfctl("env", "add", "cloud", "--server", "https://c", "--platform", "gke", cwd=app_dir, check=0)
    assert show(app_dir, "prem")[0]["spec"]["type"] == "NodePort"
    assert show(app_dir, "cloud")[0]["spec"]["type"] == "LoadBalancer"
    assert show(app_dir, "default")[0]["spec"]["type"] == "ClusterIP"
    run_kfctl("param", "set", "svc", "serviceType", "ClusterIP", "--env", "cloud", cwd=app_dir, check=0)
    assert show(app_dir, "cloud")[0]["spec"]["type"] == "ClusterIP"
    rows = json.loads(run_kfctl("param", "list", "svc", "--env", "prem", "-o", "json", cwd=app_dir, check=0).stdout)
    assert {r["param"]: r["source"] for r in rows["data"]} == {"serviceType": "platform (on-prem)", "other": "component"}


def test_secrets_redacted_unless_asked(app_dir):
    write(app_dir / "components" / "sec.jsonnet",
          '{ apiVersion: "v1", kind: "Secret", metadata: { name: "s" }, stringData: { password: "hunter2" },'
          ' data: { token: "dG9rZW4=" } }')
    out = run_kfctl("show", "default", cwd=app_dir, check=0).stdout
    assert "hunter2" not in out and "dG9rZW4=" not in out and "<redacted:" in out
    (sec,) = show(app_dir, "default", "--show-secrets")
    assert sec["stringData"] == {"password": "hunter2"} and sec["data"] == {"token": "dG9rZW4="}


def test_diff_between_envs(app_dir):
    run_kfctl("generate", "deployed-service", "web", "--image", "nginx", cwd=app_dir, check=0)
    run_kfctl("env", "add", "prd", "--server", "https://p", "-n", "demo-ns", cwd=app_dir, check=0)
    res = run_kfctl("diff", "default", "prd", cwd=app_dir)
    assert res.exit_code == 0, res.stderr
    assert res.stdout == ""
    run_kfctl("param", "set", "web", "replicas", "3", "--env", "prd", cwd=app_dir, check=0)
    res = run_kfctl("diff", "default", "prd", cwd=app_dir)
    assert res.exit_code == 1
    assert "--- default/web/Deployment/demo-ns/web\n+++ prd/web/Deployment/demo-ns/web\n" in res.stdout
    assert "-  replicas: 1\n+  replicas: 3\n" in res.stdout
    assert "Service" not in res.stdout
    res = run_kfctl("diff", "default", "prd", "--summary", cwd=app_dir)
    assert res.exit_code == 1
    assert res.stdout.strip() == "default → prd: 0 added, 0 removed, 1 changed, 1 unchanged"
    assert run_kfctl("diff", "default", "prd", "--exit-zero", cwd=app_dir).exit_code == 0
    data = json.loads(run_kfctl("diff", "default", "prd", "-o", "json", cwd=app_dir).stdout)
    assert data["summary"] == {"added": 0, "removed": 0, "changed": 1, "unchanged": 1}
    res = run_kfctl("diff", "default", "nope", cwd=app_dir)
    assert res.exit_code == 2 and "environment 'nope' does not exist" in res.stderr


def test_component_list_and_rm(app_dir):
    run_kfctl("generate", "deployed-service", "web", "--image", "nginx", cwd=app_dir, check=0)
    run_kfctl("generate", "deployed-service", "api", "--image", "api:1", cwd=app_dir, check=0)
    run_kfctl("param", "set", "web", "replicas", "3", "--env", "default", cwd=app_dir, check=0)
    rows = json.loads(run_kfctl("component", "list", "-o", "json", cwd=app_dir, check=0).stdout)["data"]
    assert [(r["component"], r["prototype"]) for r in rows] == [
        ("api", "io.ksonnet.pkg.deployed-service"), ("web", "io.ksonnet.pkg.deployed-service")]
    run_kfctl("component", "rm", "web", cwd=app_dir, check=0)
    assert not (app_dir / "components" / "web.jsonnet").exists()
    assert "web" not in (app_dir / "components" / "params.libsonnet").read_text()
    assert "web" not in (app_dir / "environments" / "default" / "params.libsonnet").read_text()
    assert "web:" not in (app_dir / "app.yaml").read_text()
    assert {o["metadata"]["name"] for o in show(app_dir, "default")} == {"api"}
    assert run_kfctl("component", "rm", "web", cwd=app_dir).exit_code == 1


def test_cluster_scoped_objects_lose_a_namespace(app_dir):
    write(app_dir / "components" / "rbac.jsonnet", """\
        [
          { apiVersion: "rbac.authorization.k8s.io/v1", kind: "ClusterRole", metadata: { name: "r", namespace: "x" } },
          { apiVersion: "v1", kind: "ConfigMap", metadata: { name: "c", namespace: "x" } },
        ]
        """)
    items = show(app_dir, "default")
    assert [(o["kind"], o["metadata"].get("namespace")) for o in items] == [("ClusterRole", None), ("ConfigMap", "x")]


def test_ownership_labels_are_valid_label_values(tmp_path):
    from kfctl.render.model import label_value

    assert label_value("us-west/prd") == "us-west.prd"
    assert label_value("My App!") == "My-App"
    long = label_value("a" * 80)
    assert len(long) == 63 and long != label_value("a" * 79)
    import re

    for name in ("us-west/prd", "My App!", "a" * 80, "-x-", "ünïcode"):
        assert re.fullmatch(r"([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]", label_value(name)), name


def test_prototype_warnings_are_shown_once_on_stderr(app_dir):
    """A List's kfctl.dev/warnings reach the user once per command, on stderr, prefixed with the
    component; stdout (the objects) does not change; validate reports them in its report."""
    write(app_dir / "components" / "old.jsonnet", """\
        local cm = { apiVersion: "v1", kind: "ConfigMap", metadata: { name: "cm" } };
        { apiVersion: "v1", kind: "List", "kfctl.dev/warnings": ["param ambassadorImage has no effect; use ingress"],
          items: [cm, { apiVersion: "v1", kind: "List", items: [],
                        "kfctl.dev/warnings": ["param ambassadorImage has no effect; use ingress", "second"] }] }
        """)
    res = run_kfctl("show", "default", "-o", "json", cwd=app_dir, check=0)
    assert res.stderr == ("warning: component 'old': param ambassadorImage has no effect; use ingress\n"
                          "warning: component 'old': second\n")
    assert [o["metadata"]["name"] for o in json.loads(res.stdout)["items"]] == ["cm"]
    res = run_kfctl("validate", "default", cwd=app_dir, check=0)
    assert res.stderr.count("warning: component 'old': second\n") == 1, res.stderr
    write(app_dir / "components" / "old.jsonnet",
          '{ apiVersion: "v1", kind: "List", items: [], "kfctl.dev/warnings": "not a list" }')
    res = run_kfctl("show", "default", cwd=app_dir)
    assert (res.exit_code, res.stderr) == (1, "error: component 'old': kfctl.dev/warnings must be an array of strings\n")
