"""YAML a careless user writes: duplicate keys in every YAML file kfctl reads (app.yaml,
app.override.yaml, registry.yaml, parts.yaml, values files, YAML components), an empty app.yaml,
and malformed YAML components.  One `error:` line naming file:line, nothing changed."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.bad_input.helpers import fails, run

COMMANDS = [("env", "list"), ("show", "default"), ("env", "add", "prd", "--server", "https://p:6443"),
            ("param", "set", "web", "replicas", "2")]


def _line_of(text: str, needle: str, nth: int = 1) -> int:
    seen = 0
    for i, line in enumerate(text.splitlines(), 1):
        if line.lstrip().startswith(needle):
            seen += 1
            if seen == nth:
                return i
    raise AssertionError(needle)


DUPLICATES = {
    # name: (edit of app.yaml's text, the duplicated key, its indentation)
    "env": (lambda t: t.replace("environments:\n", "environments:\n  default:\n    path: default\n", 1), "default:", 3),
    "top-level": (lambda t: t + "name: other\n", "name:", 1),
    "destination": (lambda t: t.replace("      namespace: default\n",
                                        "      namespace: default\n      namespace: prod\n", 1), "namespace:", 7),
}


@pytest.mark.parametrize("args", COMMANDS, ids=[" ".join(a[:2]) for a in COMMANDS])
@pytest.mark.parametrize("kind", list(DUPLICATES))
def test_a_duplicate_key_in_app_yaml_is_an_error_with_its_line(app, kind, args):
    edit, key, col = DUPLICATES[kind]
    text = edit((app / "app.yaml").read_text())
    (app / "app.yaml").write_text(text)
    first, second = _line_of(text, key, 1), _line_of(text, key, 2)
    fails(app, *args, code=1,
          line=f"{app / 'app.yaml'}:{second}:{col}: duplicate key {key[:-1]!r} (first on line {first})")


def test_a_duplicate_key_in_app_override_yaml(app):
    (app / "app.override.yaml").write_text(
        "apiVersion: 0.3.0\nkind: ksonnet.io/app-override\nenvironments:\n  default:\n    destination:\n"
        "      namespace: a\n      namespace: b\n")
    fails(app, "env", "list", code=1,
          line=f"{app / 'app.override.yaml'}:7:7: duplicate key 'namespace' (first on line 6)")


def fs_registry(tmp_path: Path, registry_yaml: str, parts: str) -> Path:
    reg = tmp_path / "reg"
    (reg / "web" / "prototypes").mkdir(parents=True)
    (reg / "registry.yaml").write_text(registry_yaml)
    (reg / "web" / "parts.yaml").write_text(parts)
    (reg / "web" / "web.libsonnet").write_text("{}\n")
    return reg


REGISTRY = "apiVersion: '0.1'\nkind: ksonnet.io/registry\nlibraries:\n  web:\n    version: master\n    path: web\n"
PARTS = '{"name": "web", "apiVersion": "0.0.1", "kind": "ksonnet.io/parts", "description": "Web."}\n'


def test_a_duplicate_key_in_registry_yaml(app, tmp_path):
    reg = fs_registry(tmp_path, REGISTRY + "  web:\n    path: other\n", PARTS)
    fails(app, "registry", "add", "mine", str(reg), code=1,
          line=f"{reg / 'registry.yaml'}:7:3: duplicate key 'web' (first on line 4)")


@pytest.mark.parametrize("parts, where", [
    ('{"name": "web", "apiVersion": "0.0.1",\n "kind": "ksonnet.io/parts", "name": "other"}\n', "2:30"),
    ("name: web\napiVersion: 0.0.1\nkind: ksonnet.io/parts\nname: other\n", "4:1"),
])
def test_a_duplicate_key_in_parts_yaml(app, tmp_path, parts, where):
    reg = fs_registry(tmp_path, REGISTRY, parts)
    res = run(app, "registry", "add", "mine", str(reg))
    assert res.exit_code == 0, res
    first = 1
    fails(app, "pkg", "describe", "mine/web", code=1,
          line=f"{reg / 'web' / 'parts.yaml'}:{where}: duplicate key 'name' (first on line {first})")


@pytest.mark.parametrize("name, text, where", [
    ("v.yaml", "image: nginx\nreplicas: 2\nimage: busybox\n", "3:1"),
    ("v.json", '{"image": "nginx",\n "replicas": 2,\n "image": "busybox"}\n', "3:2"),
])
def test_a_duplicate_key_in_a_values_file(app, tmp_path, name, text, where):
    values = tmp_path / name
    values.write_text(text)
    fails(app, "generate", "deployed-service", "web2", "--values-file", str(values), code=2,
          line=f"{values}:{where}: duplicate key 'image' (first on line 1)")


def test_merge_keys_are_not_duplicates(app, tmp_path):
    values = tmp_path / "v.yaml"
    values.write_text("base: &b {image: nginx, replicas: 2}\n<<: *b\nreplicas: 3\n")
    # base is no parameter of the prototype: the merge itself was read without a duplicate-key error
    fails(app, "generate", "deployed-service", "web2", "--values-file", str(values), code=2,
          line="prototype io.ksonnet.pkg.deployed-service has no parameter 'base'; "
               "see 'kfctl prototype describe deployed-service'")


# --------------------------------------------------------------------------- item 22: an empty app.yaml
@pytest.mark.parametrize("text", ["", "\n\n", "# nothing yet\n", "---\n", "{}\n", "null\n", "~\n"],
                         ids=["empty", "blank", "comment", "document", "empty-mapping", "null", "tilde"])
def test_an_empty_app_yaml_is_not_an_app(app, text):
    (app / "app.yaml").write_text(text)
    for args in (("env", "list"), ("show", "default")):
        fails(app, *args, code=1, line=f"{app / 'app.yaml'}: empty, not a kfctl app; "
                                       "run 'kfctl init NAME' to create one")


def test_an_empty_app_yaml_found_from_a_subdirectory(app):
    (app / "app.yaml").write_text("")
    fails(app / "components", "component", "list", code=1,
          line=f"{app / 'app.yaml'}: empty, not a kfctl app; run 'kfctl init NAME' to create one")


# --------------------------------------------------------------------------- item 19: YAML components
BROKEN_YAML = [
    ("apiVersion: v1\nkind: ConfigMap\nmetadata: {name: x\n", "4:1: malformed YAML: did not find expected ',' or '}'"),
    ("apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: x\n    labels: {}\n",
     "5:11: malformed YAML: mapping values are not allowed in this context"),
    ("apiVersion: v1\n\tkind: ConfigMap\n", "2:1: malformed YAML: found a tab character that violates indentation"),
    ("apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: x\n  name: y\n", "5:3: duplicate key 'name' (first on line 4)"),
    ("---\napiVersion: v1\nkind: ConfigMap\nmetadata: {name: a}\n---\nkind: [\n",
     "7:1: malformed YAML: did not find expected node content"),
]


@pytest.mark.parametrize("args, code", [(("show", "default"), 1), (("validate", "default"), 1),
                                        (("export", "default", "../out"), 1), (("diff", "default", "default"), 2)],
                         ids=["show", "validate", "export", "diff"])
@pytest.mark.parametrize("text, where", BROKEN_YAML, ids=["flow", "indent", "tab", "duplicate", "second-doc"])
def test_a_broken_yaml_component_names_its_file_and_line(app, text, where, args, code):
    (app / "components" / "cm.yaml").write_text(text)
    fails(app, *args, code=code, line=f"components/cm.yaml:{where}")
    assert not (app.parent / "out").exists()


def test_a_broken_yaml_component_does_not_stop_rendering_another(app):
    (app / "components" / "cm.yaml").write_text("metadata: {name: x\n")
    res = run(app, "show", "default", "-c", "web", "-o", "json")
    assert res.exit_code == 0, res
