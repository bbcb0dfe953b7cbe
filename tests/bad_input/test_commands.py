"""Smaller things a careless user trips over: `validate -c X` evaluates only X (item 21), export
into a regular file, a warning printed twice, `-v` as the help describes it (item 22)."""

from __future__ import annotations

import json

import pytest

from tests.bad_input.helpers import fails, run, succeeds

BROKEN = 'error "component broken does not build"\n'


# --------------------------------------------------------------------------- item 21: validate -c
def test_validate_c_evaluates_only_the_named_component(app):
    (app / "components" / "broken.jsonnet").write_text(BROKEN)
    res = run(app, "validate", "default", "-c", "web")
    assert (res.exit_code, res.stdout) == (0, ""), res
    assert res.stderr == "✓ 2 object(s) of env default valid against Kubernetes 1.30\n"


def test_validate_c_of_the_broken_component_fails_on_it(app):
    (app / "components" / "broken.jsonnet").write_text(BROKEN)
    res = run(app, "validate", "default", "-c", "broken")
    assert (res.exit_code, res.stdout) == (1, "")
    # a jsonnet error: its line, then the evaluation's trace
    assert res.stderr.splitlines()[0] == "error: components/broken.jsonnet:1:1: component broken does not build"


def test_validate_c_of_a_component_that_does_not_exist(app):
    fails(app, "validate", "default", "-c", "nope", code=1,
          line="component 'nope' does not exist; see 'kfctl component list'")


CRD = """{
  apiVersion: "apiextensions.k8s.io/v1", kind: "CustomResourceDefinition",
  metadata: {name: "widgets.example.com"},
  spec: {group: "example.com", names: {kind: "Widget", plural: "widgets", singular: "widget", listKind: "WidgetList"},
         scope: "Namespaced",
         versions: [{name: "v1", served: true, storage: true,
                     schema: {openAPIV3Schema: {type: "object", properties: {spec: {type: "object",
                       properties: {size: {type: "integer"}}}}}}}]},
}
"""


def test_validate_c_still_finds_crds_of_other_components(app):
    (app / "components" / "crd.jsonnet").write_text(CRD)
    (app / "components" / "widget.jsonnet").write_text(
        '{apiVersion: "example.com/v1", kind: "Widget", metadata: {name: "w"}, spec: {size: "big"}}\n')
    res = run(app, "validate", "default", "-c", "widget")
    assert res.exit_code == 1, res
    assert res.stdout == 'widget/Widget/w: spec.size: expected integer, got string "big"\n'


def test_validate_c_with_a_broken_other_component_warns_about_custom_kinds(app):
    (app / "components" / "broken.jsonnet").write_text(BROKEN)
    (app / "components" / "widget.jsonnet").write_text(
        '{apiVersion: "example.com/v1", kind: "Widget", metadata: {name: "w"}, spec: {size: 1}}\n')
    res = run(app, "validate", "default", "-c", "widget")
    assert (res.exit_code, res.stdout) == (0, ""), res
    assert res.stderr.splitlines() == [
        "warning: widget/Widget/w: kind: no schema for example.com/v1 Widget (not a Kubernetes 1.30 kind and no "
        "CRD for it in the render; the other components, which could define it, do not render: "
        "components/broken.jsonnet:1:1: component broken does not build)",
        "✓ 1 object(s) of env default valid against Kubernetes 1.30"]


# --------------------------------------------------------------------------- item 22: export into a file
def test_export_into_a_regular_file(app, tmp_path):
    f = tmp_path / "afile"
    f.write_text("mine\n")
    fails(app, "export", "default", str(f), code=1,
          line=f"{f} is a file; export writes one file per object into a directory")
    assert f.read_text() == "mine\n"


def test_export_under_a_regular_file(app, tmp_path):
    f = tmp_path / "afile"
    f.write_text("mine\n")
    fails(app, "export", "default", str(f / "sub"), code=1,
          line=f"{f} is a file; export writes one file per object into a directory")


def test_export_all_envs_into_a_regular_file(app, tmp_path):
    f = tmp_path / "afile"
    f.write_text("mine\n")
    fails(app, "export", "--all-envs", str(f), code=1,
          line=f"{f} is a file; export writes one file per object into a directory")


# --------------------------------------------------------------------------- item 22: one warning, once
def test_a_warning_is_printed_once(app, tmp_path):
    succeeds(app, "env", "set", "default", "--k8s-version", "v1.5.0")
    (app / "components" / "uses-ksonnet-lib.jsonnet").write_text(  # ksonnet-lib is generated when first imported
        'local k = import "k.libsonnet";\n'
        '{ apiVersion: "v1", kind: "ConfigMap", metadata: { name: "ks" }, data: { n: std.toString(std.length(k)) } }\n')
    res = run(app, "validate", "default", env={"XDG_CACHE_HOME": str(tmp_path / "cache")})  # generates ksonnet-lib
    assert res.exit_code == 0, res
    assert res.stderr.splitlines() == [
        "warning: no Kubernetes API definitions for v1.5.0; generating ksonnet-lib from the nearest version v1.7",
        "warning: Kubernetes 1.5 is older than the oldest schema versions kubernetes-validate ships (1.25–1.37); "
        "validating against 1.25",
        "✓ 3 object(s) of env default valid against Kubernetes 1.25"]


# --------------------------------------------------------------------------- item 22: -v
def test_help_describes_v_as_the_flag_it_is(app):
    res = run(app, "--help")
    text = " ".join(ln.strip("│ ") for ln in res.stdout.splitlines())
    assert "--verbose -v More output: -v, -vv (or kubectl's -v N); with errors, show the traceback." in \
        " ".join(text.split())
    assert "<int>" not in res.stdout


@pytest.mark.parametrize("flags", [("-v",), ("-vv",), ("-v", "2"), ("-v=2",), ("--verbose",), ("--verbose", "3"),
                                   ("--verbose=1",)])
def test_each_documented_v_form_works(app, flags):
    res = run(app, *flags, "env", "list", "-o", "json")
    assert res.exit_code == 0, res
    assert [r["name"] for r in json.loads(res.stdout)["data"]] == ["default"]


def test_v_shows_the_traceback_of_an_error(app):
    (app / ".ks_environment").write_text("bogus\n")
    res = run(app, "-v", "2", "show")
    assert res.exit_code == 1
    assert "Traceback" in res.stderr
    assert res.stderr.rstrip().splitlines()[-1] == (
        "error: current environment 'bogus' (set in .ks_environment) does not exist; "
        "run 'kfctl env current --set NAME' or '--unset'")


@pytest.mark.parametrize("flags, line", [
    (("-v", "x"), "No such command 'x'; see 'kfctl --help'"),
    (("-v=many",), "-v takes a number (as kubectl's -v N) or is repeated (-vv), not 'many'; see 'kfctl --help'"),
    (("--verbose=",), "--verbose takes a number (as kubectl's -v N) or is repeated (-vv), not ''; "
                      "see 'kfctl --help'"),
])
def test_a_bad_v_value(app, flags, line):
    fails(app, *flags, "env", "list", code=2, line=line)
