"""kfctl.gitops.export over synthetic renders: names, index, idempotence, merge strategies."""

from __future__ import annotations

import hashlib
import json
import os
from pathlib import Path

import pytest
import yaml

from kfctl.errors import KfctlError, UsageError
from kfctl.gitops.export import ExportError, plan_export, write_export
from kfctl.gitops.index import INDEX_FILE, load_index
from kfctl.gitops.naming import check_template, sanitize
from kfctl.output.formats import dump_yaml

from .helpers import cluster_role, deployment, make_render, service, widget, widget_crd


def files_under(d: Path) -> dict[str, bytes]:
    return {p.relative_to(d).as_posix(): p.read_bytes() for p in sorted(d.rglob("*")) if p.is_file()}


def base_render(env="default", **kw):
    return make_render(("web", deployment("web")), ("web", service("web")), ("rbac", cluster_role("reader")),
                       env=env, **kw)


def test_default_names_and_content(tmp_path):
    res = write_export(base_render(), tmp_path)
    files = files_under(tmp_path)
    assert sorted(files) == [INDEX_FILE, "_cluster/ClusterRole-reader.yaml", "demo-ns/Deployment-web.yaml",
                             "demo-ns/Service-web.yaml"]
    assert files["demo-ns/Deployment-web.yaml"] == dump_yaml(deployment("web")).encode()
    assert yaml.safe_load(files["demo-ns/Service-web.yaml"]) == service("web")
    assert sorted(res.written) == sorted(f for f in files if f != INDEX_FILE)
    assert res.unchanged == [] and res.removed == []


def test_index_records_every_file(tmp_path):
    write_export(base_render(), tmp_path)
    data = json.loads((tmp_path / INDEX_FILE).read_text())
    assert data["apiVersion"] == "kfctl.dev/v1alpha1" and data["kind"] == "ExportIndex"
    assert data["envs"] == {"default": {"app": "demo", "format": "{namespace}/{kind}-{name}.yaml",
                                        "kustomization": False}}
    content = (tmp_path / "demo-ns/Deployment-web.yaml").read_bytes()
    assert data["files"]["demo-ns/Deployment-web.yaml"] == {
        "env": "default", "component": "web", "apiVersion": "apps/v1", "kind": "Deployment",
        "namespace": "demo-ns", "name": "web", "sha256": hashlib.sha256(content).hexdigest()}
    assert data["files"]["_cluster/ClusterRole-reader.yaml"]["namespace"] is None
    # every file on disk is in the index with its real hash, and nothing else is
    on_disk = {k: v for k, v in files_under(tmp_path).items() if k != INDEX_FILE}
    assert {k: hashlib.sha256(v).hexdigest() for k, v in on_disk.items()} == \
        {k: e["sha256"] for k, e in data["files"].items()}


def test_same_input_same_bytes(tmp_path):
    write_export(base_render(), tmp_path / "a")
    write_export(base_render(), tmp_path / "b")
    assert files_under(tmp_path / "a") == files_under(tmp_path / "b")


def test_second_export_changes_nothing(tmp_path):
    write_export(base_render(), tmp_path)
    before = {p: (p.stat().st_mtime_ns, p.stat().st_ino) for p in tmp_path.rglob("*") if p.is_file()}
    old = 1_000_000_000
    for p in before:
        os.utime(p, ns=(old, old))
    res = write_export(base_render(), tmp_path)
    assert res.written == [] and res.removed == [] and len(res.unchanged) == 3
    after = {p: (p.stat().st_mtime_ns, p.stat().st_ino) for p in tmp_path.rglob("*") if p.is_file()}
    assert set(after) == set(before)
    assert all(m == old for m, _ in after.values())  # not rewritten (index included)
    assert all(after[p][1] == before[p][1] for p in before)  # not replaced either


def test_changed_object_rewrites_only_its_file(tmp_path):
    write_export(base_render(), tmp_path)
    svc_mtime = (tmp_path / "demo-ns/Service-web.yaml").stat().st_mtime_ns
    os.utime(tmp_path / "demo-ns/Service-web.yaml", ns=(1, 1))
    r = make_render(("web", deployment("web", replicas=3)), ("web", service("web")), ("rbac", cluster_role("reader")))
    res = write_export(r, tmp_path)
    assert res.written == ["demo-ns/Deployment-web.yaml"]
    assert (tmp_path / "demo-ns/Service-web.yaml").stat().st_mtime_ns == 1 != svc_mtime
    assert yaml.safe_load((tmp_path / "demo-ns/Deployment-web.yaml").read_text())["spec"]["replicas"] == 3
    idx = load_index(tmp_path)
    assert idx.files["demo-ns/Deployment-web.yaml"]["sha256"] == \
        hashlib.sha256((tmp_path / "demo-ns/Deployment-web.yaml").read_bytes()).hexdigest()


def test_removed_object_file_is_deleted_with_empty_dir(tmp_path):
    write_export(base_render(), tmp_path)
    r = make_render(("web", deployment("web")), ("web", service("web")))
    res = write_export(r, tmp_path)
    assert res.removed == ["_cluster/ClusterRole-reader.yaml"]
    assert not (tmp_path / "_cluster").exists()
    assert "_cluster/ClusterRole-reader.yaml" not in load_index(tmp_path).files


def test_fail_strategy_refuses_foreign_files(tmp_path):
    (tmp_path / "README.md").write_text("hand-written\n")
    with pytest.raises(ExportError) as ei:
        write_export(base_render(), tmp_path)
    assert "README.md" in ei.value.message and "default" in ei.value.message
    assert "\n" not in ei.value.message
    assert "replace-env" in ei.value.hint
    assert sorted(files_under(tmp_path)) == ["README.md"]  # nothing written


def test_fail_strategy_refuses_other_envs_export(tmp_path):
    write_export(base_render(env="dev"), tmp_path, template="{env}/{namespace}/{kind}-{name}.yaml")
    with pytest.raises(ExportError, match="not from a previous export of env 'prd'"):
        write_export(base_render(env="prd"), tmp_path, template="{env}/{namespace}/{kind}-{name}.yaml")


def test_replace_env_keeps_other_envs_and_hand_written_files(tmp_path):
    t = "{env}/{namespace}/{kind}-{name}.yaml"
    write_export(base_render(env="dev"), tmp_path, template=t)
    (tmp_path / "README.md").write_text("hand-written\n")
    write_export(base_render(env="prd"), tmp_path, template=t, merge_strategy="replace-env")
    dev_files = {k: v for k, v in files_under(tmp_path).items() if k.startswith("dev/")}
    # prd drops its ClusterRole and Service: only prd's files go
    r = make_render(("web", deployment("web")), env="prd")
    res = write_export(r, tmp_path, template=t, merge_strategy="replace-env")
    assert sorted(res.removed) == ["prd/_cluster/ClusterRole-reader.yaml", "prd/demo-ns/Service-web.yaml"]
    files = files_under(tmp_path)
    assert {k: v for k, v in files.items() if k.startswith("dev/")} == dev_files
    assert files["README.md"] == b"hand-written\n"
    assert "prd/demo-ns/Deployment-web.yaml" in files
    idx = load_index(tmp_path)
    assert set(idx.envs) == {"dev", "prd"}
    assert sorted(idx.files_of("prd")) == ["prd/demo-ns/Deployment-web.yaml"]
    assert len(idx.files_of("dev")) == 3


def test_replace_env_refuses_to_overwrite_foreign_file(tmp_path):
    (tmp_path / "demo-ns").mkdir()
    (tmp_path / "demo-ns/Service-web.yaml").write_text("mine\n")
    with pytest.raises(ExportError, match=r"Service-web.yaml already exists \(not written by kfctl export\)"):
        write_export(base_render(), tmp_path, merge_strategy="replace-env")
    assert (tmp_path / "demo-ns/Service-web.yaml").read_text() == "mine\n"
    assert not (tmp_path / INDEX_FILE).exists()


def test_replace_env_refuses_to_overwrite_other_envs_file(tmp_path):
    write_export(base_render(env="dev"), tmp_path)
    with pytest.raises(ExportError, match="exported by env 'dev'"):
        write_export(base_render(env="prd"), tmp_path, merge_strategy="replace-env")


def test_partial_component_export_keeps_other_components(tmp_path):
    write_export(base_render(), tmp_path)
    r = make_render(("web", deployment("web", replicas=2)))  # render of -c web only: the service went away
    res = write_export(r, tmp_path, components=["web"])
    assert res.removed == ["demo-ns/Service-web.yaml"]
    assert (tmp_path / "_cluster/ClusterRole-reader.yaml").is_file()  # component rbac untouched
    assert "_cluster/ClusterRole-reader.yaml" in load_index(tmp_path).files


def test_name_collision_names_both_objects(tmp_path):
    r = make_render(("a", deployment("web")), ("b", deployment("web", ns="other")))
    with pytest.raises(ExportError) as ei:
        write_export(r, tmp_path, template="{kind}-{name}.yaml")
    msg = ei.value.message
    assert "a/Deployment/demo-ns/web" in msg and "b/Deployment/other/web" in msg and "Deployment-web.yaml" in msg
    assert not tmp_path.exists() or files_under(tmp_path) == {}


def test_collision_ignoring_case(tmp_path):
    r = make_render(("a", cluster_role("Reader")), ("a", cluster_role("reader")))
    with pytest.raises(ExportError, match="same file"):
        plan_export(r)


def test_template_fields_and_sanitising(tmp_path):
    crd = widget_crd()
    r = make_render(("crds", crd), ("w", widget("w1")), ("web", deployment("web")))
    plan = plan_export(r, "{env}/{component}/{group}_{version}/{apiVersion}/{kind}.{name}")
    assert sorted(plan) == [
        "default/crds/apiextensions.k8s.io_v1/apiextensions.k8s.io-v1/CustomResourceDefinition.widgets.example.com.yaml",
        "default/w/example.com_v1/example.com-v1/Widget.w1.yaml",
        "default/web/apps_v1/apps-v1/Deployment.web.yaml",
    ]
    core = plan_export(make_render(("s", service("s"))), "{group}/{name}.yaml")
    assert list(core) == ["core/s.yaml"]
    assert sanitize("../../etc") == "..-..-etc"
    assert sanitize("..") == "__" and sanitize("") == "_" and sanitize("a b/c") == "a-b-c"


def test_cluster_scoped_custom_resource_goes_to_cluster_dir():
    crd = widget_crd(scope="Cluster")
    w = widget("w1")
    del w["metadata"]["namespace"]
    plan = plan_export(make_render(("crds", crd), ("w", w)))
    assert "_cluster/Widget-w1.yaml" in plan


@pytest.mark.parametrize("template", ["/etc/{name}.yaml", "../{name}.yaml", "a/../../{name}.yaml", "{kind}.yaml",
                                      "{nope}-{name}", "{name!r}", "{name:>10}", ""])
def test_bad_templates_refused(template):
    with pytest.raises(UsageError):
        check_template(template)


def test_template_gets_yaml_extension():
    assert check_template("{name}") == "{name}.yaml"
    assert check_template("{name}.yml") == "{name}.yml"


def test_object_names_cannot_escape(tmp_path):
    evil = deployment("x")
    evil["metadata"]["name"] = "../../../../tmp/evil"
    plan = plan_export(make_render(("c", evil)))
    (rel,) = plan
    assert rel == "demo-ns/Deployment-..-..-..-..-tmp-evil.yaml"
    assert ".." not in rel.split("/")


def test_kustomization_lists_files_sorted(tmp_path):
    res = write_export(base_render(), tmp_path, kustomization=True)
    assert "kustomization.yaml" in res.written
    k = yaml.safe_load((tmp_path / "kustomization.yaml").read_text())
    assert k == {"apiVersion": "kustomize.config.k8s.io/v1beta1", "kind": "Kustomization",
                 "resources": ["_cluster/ClusterRole-reader.yaml", "demo-ns/Deployment-web.yaml",
                               "demo-ns/Service-web.yaml"]}
    # remembered: a later export without the flag keeps it up to date, and it is not "foreign"
    res2 = write_export(make_render(("web", deployment("web"))), tmp_path)
    assert yaml.safe_load((tmp_path / "kustomization.yaml").read_text())["resources"] == ["demo-ns/Deployment-web.yaml"]
    assert "kustomization.yaml" in res2.written
    res3 = write_export(make_render(("web", deployment("web"))), tmp_path, kustomization=False)
    assert res3.removed == ["kustomization.yaml"] and not (tmp_path / "kustomization.yaml").exists()


def test_kustomization_not_clobbered(tmp_path):
    (tmp_path / "kustomization.yaml").write_text("resources: [mine.yaml]\n")
    with pytest.raises(ExportError, match="kustomization.yaml already exists"):
        write_export(base_render(), tmp_path, kustomization=True, merge_strategy="replace-env")
    assert (tmp_path / "kustomization.yaml").read_text() == "resources: [mine.yaml]\n"


def test_previous_template_is_reused(tmp_path):
    write_export(base_render(), tmp_path, template="{component}/{kind}-{name}.yaml")
    res = write_export(base_render(), tmp_path)
    assert res.written == [] and sorted(res.unchanged) == ["rbac/ClusterRole-reader.yaml", "web/Deployment-web.yaml",
                                                           "web/Service-web.yaml"]
    # a new template moves the files: old names are removed
    res = write_export(base_render(), tmp_path, template="{kind}-{name}.yaml")
    assert len(res.written) == 3 and len(res.removed) == 3
    assert not (tmp_path / "web").exists() and not (tmp_path / "rbac").exists()


def test_merge_strategy_checked(tmp_path):
    with pytest.raises(UsageError):
        write_export(base_render(), tmp_path, merge_strategy="merge")


def test_malformed_index_is_clear_error(tmp_path):
    (tmp_path / INDEX_FILE).write_text("{not json")
    with pytest.raises(KfctlError, match="malformed export index"):
        write_export(base_render(), tmp_path)


def test_git_dir_and_nested_exports_are_not_foreign(tmp_path):
    (tmp_path / ".git").mkdir()
    (tmp_path / ".git/HEAD").write_text("ref: refs/heads/main\n")
    write_export(base_render(env="sub"), tmp_path / "nested")
    res = write_export(base_render(), tmp_path)
    assert len(res.written) == 3
    assert (tmp_path / ".git/HEAD").is_file() and (tmp_path / "nested" / INDEX_FILE).is_file()
