"""Malformed app.yaml, bad flag values for generate/preview and bad namespaces: one `error:` line,
exit 1 (errors) or 2 (usage), and nothing in the app changed."""

from __future__ import annotations


import pytest

from tests.conftest import run_kfctl
from tests.bad_input.helpers import fails


@pytest.mark.parametrize("tail, message", [
    ("environments:\n  default:\n    destination: {namespace: [a]}\n",
     "'environments.default.destination.namespace' must be a string, found a list"),
    ("environments:\n  default:\n    k8sVersion: {v: 1}\n",
     "'environments.default.k8sVersion' must be a string, found a mapping"),
    ("environments:\n  default:\n    targets: 5\n", "'environments.default.targets' must be a list, found the number 5"),
    ("libraries:\n  kubeflow/tf-job: 5\n", "'libraries.kubeflow/tf-job' must be a mapping, found the number 5"),
    ("registries:\n  extra: oops\n", "'registries.extra' must be a mapping, found the string 'oops'"),
    ("kfctl:\n  components:\n    web: 5\n", "'kfctl.components.web' must be a mapping, found the number 5"),
])
def test_wrongly_typed_app_yaml_fields(app, tail, message):
    text = (app / "app.yaml").read_text()
    # replace the section with the broken one (the loader keeps the last duplicate key)
    key = tail.split(":")[0]
    kept = []
    skipping = False
    for line in text.splitlines(keepends=True):
        if not line.startswith(" "):
            skipping = line.startswith(f"{key}:")
        if not skipping:
            kept.append(line)
    (app / "app.yaml").write_text("".join(kept) + tail)
    for args in (("env", "list"), ("show", "default"), ("env", "add", "prd", "--server", "https://p:6443")):
        fails(app, *args, code=1, message=f"app.yaml: {message}")


def test_engine_of_the_wrong_type(app):
    with (app / "app.yaml").open("a") as fh:
        fh.write("  engine: 5\n")  # under the kfctl: mapping written by generate
    fails(app, "show", "default", code=2, message="unknown jsonnet engine '5'")


def test_prototype_commands_report_a_broken_app_instead_of_ignoring_it(app):
    (app / "app.yaml").write_text("{:\n")
    fails(app, "prototype", "list", code=1, message="app.yaml:1:2: malformed YAML")
    fails(app, "prototype", "preview", "configMap", "--name", "x", code=1, message="app.yaml:1:2: malformed YAML")


def test_prototype_list_outside_an_app_lists_the_builtins(tmp_path):
    res = run_kfctl("prototype", "list", cwd=tmp_path, check=0)
    assert "io.ksonnet.pkg.deployed-service" in res.stdout


@pytest.mark.parametrize("value", ["{bad", "}, evil: 1, x: {", ""])
def test_object_param_that_is_not_jsonnet_cannot_corrupt_params(app, value):
    msg = fails(app, "generate", "configMap", "cm", f"--data={value}", code=2, message="not a valid jsonnet object")
    assert msg.startswith(f"error: --data={value!r}: not a valid jsonnet object (")
    fails(app, "prototype", "preview", "configMap", "--name", "x", f"--data={value}", code=2,
          message="not a valid jsonnet object")


def test_object_param_in_jsonnet_syntax_is_accepted(app):
    run_kfctl("generate", "configMap", "cm", "--data", "{a: 'b'}", cwd=app, check=0)
    res = run_kfctl("show", "default", "-c", "cm", "-o", "json", cwd=app, check=0)
    import json

    assert json.loads(res.stdout)["items"][0]["data"] == {"a": "b"}


def test_number_param_with_a_word_is_a_usage_error(app):
    fails(app, "generate", "deployed-service", "web2", "--image", "nginx", "--replicas", "abc", code=2,
          message="--replicas='abc': not a number")


@pytest.mark.parametrize("args", [
    ("env", "add", "prd", "--server", "https://p:6443", "-n", "Bad NS"),
    ("env", "set", "default", "--namespace", "ünï"),
    ("prototype", "preview", "configMap", "--name", "x", "-n", "a_b"),
])
def test_invalid_namespace(app, args):
    ns = args[args.index("-n" if "-n" in args else "--namespace") + 1]
    fails(app, *args, code=2, message=f"invalid namespace {ns!r}")


def test_init_with_invalid_namespace_creates_nothing(tmp_path):
    res = run_kfctl("init", "x", "--server", "https://k:6443", "-n", "Prod", cwd=tmp_path)
    assert res.exit_code == 2
    assert res.stderr.startswith("error: invalid namespace 'Prod': ")
    assert list(tmp_path.iterdir()) == []
