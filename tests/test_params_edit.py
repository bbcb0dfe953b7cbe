"""In-place edits of params files: ksonnet's layout, comments survive, unsafe files left alone."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from kfctl.app import params_file as pf
from kfctl.app.jsonnet_text import EditError, to_jsonnet
from kfctl.app.scaffold import COMPONENT_PARAMS, ENV_GLOBALS, ENV_PARAMS
from tests.conftest import run_kfctl

GOLDEN = Path(__file__).parent / "golden"

GUESTBOOK = {"containerPort": "80", "image": '"gcr.io/heptio-images/ks-guestbook-demo:0.1"',
             "name": '"guestbook-ui"', "replicas": "1", "servicePort": "80", "type": '"ClusterIP"'}


def evaluate(text: str, ext: dict | None = None):
    from kfctl.jsonnet import evaluate as ev

    return ev(text, ext_codes=ext or {}, engine="gojsonnet")


def test_add_component_matches_ksonnet_golden():
    out = pf.add_component(COMPONENT_PARAMS, "guestbook-ui", GUESTBOOK, "p")
    assert out == (GOLDEN / "guestbook-params.libsonnet").read_text()


HAND_WRITTEN = """\
// Team params — do not reorder!
local registry = "gcr.io/acme";  # image registry
{
  global: {
    team: "ml", // owner
  },
  components: {
    /* the web front end */
    web: {
      image: registry + "/web:1.0",   // pinned
      replicas: 2,
      labels: { tier: "front" },
    },
    "train-job": { image: registry + '/train:2', workers: 1 },
    [if false then "hidden"]: {},
  },
}
"""


def test_set_keeps_everything_else_byte_for_byte():
    out = pf.set_component_param(HAND_WRITTEN, "web", ["replicas"], "5", "p")
    assert out == HAND_WRITTEN.replace("replicas: 2,", "replicas: 5,")
    out = pf.set_component_param(out, "train-job", ["workers"], "3", "p")
    assert out == HAND_WRITTEN.replace("replicas: 2,", "replicas: 5,").replace("workers: 1", "workers: 3")
    val = evaluate(out)
    assert val["components"]["web"]["replicas"] == 5
    assert val["components"]["train-job"] == {"image": "gcr.io/acme/train:2", "workers": 3}


def test_set_new_and_nested_keys_insert_lines():
    out = pf.set_component_param(HAND_WRITTEN, "web", ["labels", "env"], '"prd"', "p")
    assert 'labels: { tier: "front" , env: "prd"}' not in out
    val = evaluate(out)
    assert val["components"]["web"]["labels"] == {"tier": "front", "env": "prd"}
    out = pf.set_component_param(HAND_WRITTEN, "web", ["port"], "8080", "p")
    assert "      port: 8080,\n    },\n    \"train-job\"" in out
    assert out.replace("      port: 8080,\n", "") == HAND_WRITTEN
    # the one-line object gets a field appended with a comma fixed up
    out = pf.set_component_param(HAND_WRITTEN, "train-job", ["gpus"], "1", "p")
    assert evaluate(out)["components"]["train-job"]["gpus"] == 1
    assert "// Team params — do not reorder!" in out and "# image registry" in out


def test_unset_and_remove_component():
    out, changed = pf.unset_component_param(HAND_WRITTEN, "web", ["replicas"], "p")
    assert changed and out == HAND_WRITTEN.replace("      replicas: 2,\n", "")
    out, changed = pf.remove_component(HAND_WRITTEN, "web", "p")
    assert changed
    assert "web:" not in out and "/* the web front end */" in out
    assert set(evaluate(out)["components"]) == {"train-job"}
    same, changed = pf.remove_component(HAND_WRITTEN, "nope", "p")
    assert not changed and same == HAND_WRITTEN


def test_globals_and_env_files():
    out = pf.set_global(HAND_WRITTEN, ["replicas"], "4", "p")
    assert evaluate(out)["global"] == {"team": "ml", "replicas": 4}
    env = pf.set_env_param(ENV_PARAMS, "web", ["replicas"], "7", "e")
    env = pf.set_env_param(env, "web", ["image"], '"x:1"', "e")
    assert env.count('web+: {') == 1
    assert "    // Insert component parameter overrides here. Ex:" in env
    module = '{"components": {"web": {"replicas": 1, "image": "a"}, "db": {"size": 1}}}'
    val = evaluate(env.replace('import "globals.libsonnet"', "{}"), {"__ksonnet/params": module})
    assert val["components"] == {"web": {"replicas": 7, "image": "x:1"}, "db": {"size": 1}}
    env2, changed = pf.unset_env_param(env, "web", ["replicas"], "e")
    assert changed and "replicas: 7" not in env2 and 'image: "x:1"' in env2
    env3, changed = pf.remove_env_component(env, "web", "e")
    assert changed and env3 == ENV_PARAMS
    g = pf.set_top(ENV_GLOBALS, ["department"], '"eng"', "g")
    assert evaluate(g) == {"department": "eng"}


@pytest.mark.parametrize("text,needle", [
    ("{ components: std.mergePatch({}, {}) }", "'components' is not an object literal"),
    ("local x = 1; x + { components: {} }", "top-level expression is not an object literal"),
    ("{ components: { web: import 'web.libsonnet' } }", "'web' is not an object literal"),
    ("{ components: {} } + { components+: {} }", "followed by more code"),
])
def test_unsafe_files_are_refused(text, needle):
    with pytest.raises(EditError) as err:
        pf.set_component_param(text, "web", ["replicas"], "1", "components/params.libsonnet")
    assert needle in str(err.value)
    assert "components/params.libsonnet" in str(err.value)


def test_cli_refuses_unsafe_file_and_leaves_it(app_dir):
    params = app_dir / "components" / "params.libsonnet"
    run_kfctl("generate", "deployed-service", "web", "--image", "nginx", cwd=app_dir, check=0)
    text = "local base = import 'base.libsonnet';\nbase + { components+: { web+: { replicas: 2 } } }\n"
    params.write_text(text)
    res = run_kfctl("param", "set", "web", "replicas", "3", cwd=app_dir)
    assert res.exit_code == 1
    assert "components/params.libsonnet" in res.stderr and "not an object literal" in res.stderr
    assert params.read_text() == text


def test_generate_golden_component_and_params(app_dir):
    run_kfctl("generate", "deployed-service", "guestbook-ui", "--image",
              "gcr.io/heptio-images/ks-guestbook-demo:0.1", "--type", "ClusterIP", cwd=app_dir, check=0)
    assert (app_dir / "components" / "params.libsonnet").read_text() == \
        (GOLDEN / "guestbook-params.libsonnet").read_text()
    comp = (app_dir / "components" / "guestbook-ui.jsonnet").read_text()
    assert comp == (GOLDEN / "guestbook-ui.jsonnet").read_text()
    assert comp.startswith('local env = std.extVar("__ksonnet/environments");\n'
                           'local params = std.extVar("__ksonnet/params").components["guestbook-ui"];\n[\n')
    assert "param://" not in comp and '"image": params.image' in comp and "// @" not in comp


def test_param_set_cli_in_place_with_comments(app_dir):
    run_kfctl("generate", "deployed-service", "web", "--image", "nginx", cwd=app_dir, check=0)
    params = app_dir / "components" / "params.libsonnet"
    text = params.read_text().replace("      replicas: 1,", "      replicas: 1, // keep me")
    params.write_text(text)
    run_kfctl("param", "set", "web", "replicas", "4", cwd=app_dir, check=0)
    assert params.read_text() == text.replace("replicas: 1, // keep me", "replicas: 4, // keep me")
    env_params = app_dir / "environments" / "default" / "params.libsonnet"
    run_kfctl("param", "set", "web", "image", "nginx:2", "--env", "default", cwd=app_dir, check=0)
    assert 'web+: {\n      image: "nginx:2",\n    },' in env_params.read_text()
    run_kfctl("param", "set", "--global", "team", "ml", cwd=app_dir, check=0)
    run_kfctl("param", "set", "department", "eng", "--env", "default", cwd=app_dir, check=0)  # ksonnet 2-arg form
    rows = json.loads(run_kfctl("param", "list", "--env", "default", "-o", "json", cwd=app_dir, check=0).stdout)["data"]
    got = {(r["param"]): (r["value"], r["source"]) for r in rows}
    assert got["replicas"] == (4, "component")
    assert got["image"] == ("nginx:2", "env (default)")
    assert got["department"] == ("eng", "env (default)")
    assert got["containerPort"] == (80, "prototype default")
    # the module-level list does not see the env override
    rows = json.loads(run_kfctl("param", "list", "web", "-o", "json", cwd=app_dir, check=0).stdout)["data"]
    assert {r["param"]: r["value"] for r in rows}["image"] == "nginx"
    # unset restores the previous layer
    run_kfctl("param", "unset", "web", "image", "--env", "default", cwd=app_dir, check=0)
    rows = json.loads(run_kfctl("param", "list", "--env", "default", "-o", "json", cwd=app_dir, check=0).stdout)["data"]
    assert {r["param"]: r["value"] for r in rows}["image"] == "nginx"
    res = run_kfctl("param", "unset", "web", "image", "--env", "default", cwd=app_dir)
    assert res.exit_code == 1 and "has no parameter 'image'" in res.stderr


def test_param_values_decode_like_ksonnet(app_dir):
    run_kfctl("generate", "deployed-service", "web", "--image", "nginx", cwd=app_dir, check=0)
    cases = [("3", 3), ("2.5", 2.5), ("TRUE", True), ("false", False), ('["a", 1]', ["a", 1]),
             ('{"k": {"n": 1}}', {"k": {"n": 1}}), ("{a: 1}", {"a": 1}), ("hello world", "hello world"),
             ("1e3", 1000.0)]
    for raw, want in cases:
        run_kfctl("param", "set", "web", "v", raw, cwd=app_dir, check=0)
        rows = json.loads(run_kfctl("param", "list", "web", "-o", "json", cwd=app_dir, check=0).stdout)["data"]
        assert {r["param"]: r["value"] for r in rows}["v"] == want, raw
    run_kfctl("param", "set", "web", "v", "42", "--as-string", cwd=app_dir, check=0)
    rows = json.loads(run_kfctl("param", "list", "web", "-o", "json", cwd=app_dir, check=0).stdout)["data"]
    assert {r["param"]: r["value"] for r in rows}["v"] == "42"
    before = (app_dir / "components" / "params.libsonnet").read_text()
    res = run_kfctl("param", "set", "web", "v", "[1, 2}]", cwd=app_dir)
    assert res.exit_code == 2 and "looks like JSON but does not parse" in res.stderr and "--as-string" in res.stderr
    assert (app_dir / "components" / "params.libsonnet").read_text() == before
    run_kfctl("param", "set", "web", "v", "[1, 2", cwd=app_dir, check=0)  # not bracketed on both ends: a string
    rows = json.loads(run_kfctl("param", "list", "web", "-o", "json", cwd=app_dir, check=0).stdout)["data"]
    assert {r["param"]: r["value"] for r in rows}["v"] == "[1, 2"


def test_param_diff_table(app_dir):
    run_kfctl("generate", "deployed-service", "guestbook-ui", "--image", "img", cwd=app_dir, check=0)
    run_kfctl("env", "add", "env1", "--server", "http://example.com", cwd=app_dir, check=0)
    run_kfctl("env", "add", "env2", "--server", "http://example.com", cwd=app_dir, check=0)
    run_kfctl("param", "set", "guestbook-ui", "replicas", "4", "--env", "env1", cwd=app_dir, check=0)
    run_kfctl("param", "set", "guestbook-ui", "replicas", "3", "--env", "env2", cwd=app_dir, check=0)
    out = run_kfctl("param", "diff", "env1", "env2", cwd=app_dir, check=0).stdout
    assert out == ("COMPONENT    PARAM    ENV1 ENV2\n"
                   "=========    =====    ==== ====\n"
                   "guestbook-ui replicas 4    3\n")
    run_kfctl("param", "set", "guestbook-ui", "extra", "x", "--env", "env1", cwd=app_dir, check=0)
    data = json.loads(run_kfctl("param", "diff", "env1", "env2", "-o", "json", cwd=app_dir, check=0).stdout)["data"]
    assert data == [{"component": "guestbook-ui", "param": "replicas", "env1": 4, "env2": 3},
                    {"component": "guestbook-ui", "param": "extra", "env1": "x", "env2": None}]


json_values = st.recursive(
    st.none() | st.booleans() | st.integers(-10**12, 10**12) | st.text(max_size=30)
    | st.floats(allow_nan=False, allow_infinity=False, width=32).filter(lambda f: abs(f) < 1e12),
    lambda children: st.lists(children, max_size=4) | st.dictionaries(st.text(max_size=8), children, max_size=4),
    max_leaves=8,
)


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(value=json_values)
def test_any_value_survives_set_render_list(value):
    """param set → evaluate the params file → the same value (in-process, fast)."""
    text = pf.add_component(COMPONENT_PARAMS, "c", {"name": '"c"'}, "p")
    text = pf.set_component_param(text, "c", ["v"], to_jsonnet(value), "p")
    text = pf.set_component_param(text, "c", ["v"], to_jsonnet(value), "p")  # idempotent edit
    assert evaluate(text)["components"]["c"]["v"] == value
    env = pf.set_env_param(ENV_PARAMS, "c", ["v"], to_jsonnet(value), "e")
    got = evaluate(env.replace('import "globals.libsonnet"', "{}"), {"__ksonnet/params": '{"components": {"c": {}}}'})
    assert got["components"]["c"]["v"] == value


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(value=json_values, as_env=st.booleans())
def test_value_survives_param_set_and_param_list(tmp_path_factory, value, as_env):
    """Through the real code paths: set_param (in-place edit) → evaluate_env (render) → list_params."""
    from kfctl.app.app import App
    from kfctl.app.environments import Destination, init_app
    from kfctl.app.params import set_param
    from kfctl.ops.generate import add_from_prototype
    from kfctl.ops.params import list_params
    from kfctl.registry.index import PrototypeIndex

    root = tmp_path_factory.mktemp("app")
    app = init_app("p", root / "p", Destination("https://k", "ns", None), skip_default_registries=True)
    add_from_prototype(app, PrototypeIndex(app.root).find("deployed-service"), "web", {"image": "nginx"})
    app = App(app.root)
    env = app.env("default")
    set_param(app, "web", ["v"], value, env="default" if as_env else None)
    rows = {r.param: r for r in list_params(app, env, "web")}
    assert rows["v"].value == value
    assert rows["v"].source == ("env (default)" if as_env else "component")
