"""Prototype headers, name resolution, describe/search/preview."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
import yaml

from kfctl.registry.prototype import PrototypeError, parse_prototype_text, rewrite_param_imports
from tests.conftest import run_kfctl

HEADER = """\
// @apiVersion 0.1
// @name io.ksonnet.pkg.example
// @description A long description
//   that continues on a second line.
// @shortDescription Short one
// @param name string Name of the thing
// @optionalParam replicas number 1 How many
// @optionalParam labels object {} Extra labels
{ kind: "X", n: import 'param://name' }
"""


def test_header_parses():
    p = parse_prototype_text(HEADER, Path("example.jsonnet"))
    assert p.name == "io.ksonnet.pkg.example"
    assert p.description == "A long description\nthat continues on a second line."
    assert p.short_description == "Short one"
    assert [(x.name, x.type, x.default, x.description) for x in p.params] == [
        ("name", "string", None, "Name of the thing"),
        ("replicas", "number", "1", "How many"),
        ("labels", "object", "{}", "Extra labels"),
    ]
    assert p.template == "{ kind: \"X\", n: import 'param://name' }\n"
    assert p.template_line == 9


@pytest.mark.parametrize("bad,line,needle", [
    ("// @name x\n// @param n strng desc\n{}", 2, "unknown type 'strng'"),
    ("// @name x\n// @bogus y\n{}", 2, "unknown prototype directive @bogus"),
    ("// @name x\n// @optionalParam n string\n{}", 2, "needs 'NAME TYPE DEFAULT DESCRIPTION'"),
    ("// @description no name\n{}", 1, "no '// @name' directive"),
])
def test_header_errors_name_file_and_line(bad, line, needle):
    with pytest.raises(PrototypeError) as err:
        parse_prototype_text(bad, Path("protos/p.jsonnet"))
    assert str(err.value).startswith(f"protos/p.jsonnet:{line}:")
    assert needle in str(err.value)


def test_quote_by_type():
    p = parse_prototype_text(HEADER + "", Path("e.jsonnet"))
    assert p.param("name").quote('say "hi"') == '"say \\"hi\\""'
    assert p.param("replicas").quote("3") == "3"
    assert p.param("labels").quote("{a: 'b'}") == "{a: 'b'}"
    with pytest.raises(PrototypeError):
        p.param("replicas").quote("three")


def test_rewrite_param_imports():
    src = "{a: import 'param://name', b: import \"param://replicas\", c: import 'env://namespace'}"
    assert rewrite_param_imports(src) == "{a: params.name, b: params.replicas, c: env.namespace}"


def _own_prototype(app_dir: Path, name: str, body: str = '{ apiVersion: "v1", kind: "ConfigMap", metadata: { name: import "param://name" } }'):
    d = app_dir / "prototypes"
    d.mkdir(exist_ok=True)
    (d / f"{name}.jsonnet").write_text(f"// @apiVersion 0.1\n// @name io.acme.{name}\n// @shortDescription {name} thing\n"
                                       f"// @param name string Name\n{body}\n")


def test_resolution_by_suffix_ambiguity_and_suggestions(app_dir):
    _own_prototype(app_dir, "web-service")
    _own_prototype(app_dir, "db-service")
    out = run_kfctl("prototype", "describe", "deployed-service", cwd=app_dir, check=0).stdout
    assert out.startswith("PROTOTYPE NAME:\nio.ksonnet.pkg.deployed-service\n")
    res = run_kfctl("prototype", "describe", "service", cwd=app_dir)
    assert res.exit_code == 2 and "ambiguous prototype name 'service'" in res.stderr
    assert "io.acme.db-service" in res.stderr and "io.ksonnet.pkg.deployed-service" in res.stderr
    res = run_kfctl("generate", "deployed-servce", "x", cwd=app_dir)
    assert res.exit_code == 1 and "did you mean 'deployed-service'" in res.stderr
    names = [r["name"] for r in json.loads(run_kfctl("prototype", "list", "-o", "json", cwd=app_dir, check=0).stdout)["data"]]
    assert {"io.acme.web-service", "io.acme.db-service", "io.ksonnet.pkg.deployed-service"} <= set(names)
    assert names == sorted(names)
    out = run_kfctl("prototype", "search", "db", cwd=app_dir, check=0).stdout
    assert "io.acme.db-service" in out and "web-service" not in out


def test_broken_prototype_header_is_reported_with_file(app_dir):
    d = app_dir / "prototypes"
    d.mkdir()
    (d / "bad.jsonnet").write_text("// @name io.acme.bad\n// @param x weird desc\n{}\n")
    res = run_kfctl("prototype", "list", cwd=app_dir)
    assert res.exit_code == 1 and "prototypes/bad.jsonnet:2: parameter 'x' has unknown type 'weird'" in res.stderr


def test_preview_renders_without_touching_the_app(app_dir):
    before = sorted(p.relative_to(app_dir) for p in app_dir.rglob("*") if ".kfctl" not in p.parts)
    out = run_kfctl("prototype", "preview", "deployed-service", "--name", "aName", "--image", "image:tag",
                    "-n", "ns1", cwd=app_dir, check=0).stdout
    objs = list(yaml.safe_load_all(out))
    assert [(o["kind"], o["metadata"]["name"], o["metadata"]["namespace"]) for o in objs] == [
        ("Service", "aName", "ns1"), ("Deployment", "aName", "ns1")]
    assert objs[1]["spec"]["template"]["spec"]["containers"][0]["image"] == "image:tag"
    src = run_kfctl("prototype", "preview", "deployed-service", "--image", "i", "-o", "jsonnet", cwd=app_dir, check=0).stdout
    assert src.startswith('local env = std.extVar("__ksonnet/environments");\n'
                          'local params = std.extVar("__ksonnet/params").components.preview;\n')
    after = sorted(p.relative_to(app_dir) for p in app_dir.rglob("*") if ".kfctl" not in p.parts)
    assert before == after
    res = run_kfctl("prototype", "preview", "deployed-service", cwd=app_dir)
    assert res.exit_code == 2 and "--image=<image>" in res.stderr


def test_generate_with_values_file_and_force(app_dir, tmp_path):
    vf = tmp_path / "values.yaml"
    vf.write_text("image: nginx:9\nreplicas: 4\n")
    run_kfctl("generate", "deployed-service", "web", "--values-file", str(vf), cwd=app_dir, check=0)
    text = (app_dir / "components" / "params.libsonnet").read_text()
    assert 'image: "nginx:9",' in text and "replicas: 4," in text
    res = run_kfctl("generate", "deployed-service", "web", "--image", "other", cwd=app_dir)
    assert res.exit_code == 1 and "--force" in res.stderr
    assert (app_dir / "components" / "params.libsonnet").read_text() == text
    run_kfctl("generate", "deployed-service", "web", "--image=other", "--force", cwd=app_dir, check=0)
    text = (app_dir / "components" / "params.libsonnet").read_text()
    assert text.count("web: {") == 1 and 'image: "other",' in text and "replicas: 1," in text
