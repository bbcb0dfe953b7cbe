"""Environments a careless user makes: nested names, missing env files, a stale current env, names
too long.  Each mistake is one `error:` line with its exit code and leaves the app unchanged; apps
ks already left nested still load, and rm/rename never touch another env's directory."""

from __future__ import annotations

import json
import textwrap
from pathlib import Path

import pytest

from kfctl.app.scaffold import ENV_GLOBALS, ENV_MAIN, ENV_PARAMS
from tests.bad_input.helpers import changed, fails, run, snapshot, succeeds

SERVER = ("--server", "https://p.example:6443")
NEST = "environment directories must not nest: choose another name"


def add(app: Path, name: str) -> None:
    res = run(app, "env", "add", name, *SERVER)
    assert res.exit_code == 0, res


# --------------------------------------------------------------------------- item 1: nested names
@pytest.mark.parametrize("first, second, line", [
    ("us-west/prd", "us-west",
     "environments/us-west would contain the directory of environment 'us-west/prd' (environments/us-west/prd)"),
    ("us-west", "us-west/prd",
     "environments/us-west/prd would be inside the directory of environment 'us-west' (environments/us-west)"),
    ("a/b/c", "a",
     "environments/a would contain the directory of environment 'a/b/c' (environments/a/b/c)"),
    ("a", "a/b/c",
     "environments/a/b/c would be inside the directory of environment 'a' (environments/a)"),
])
def test_env_add_refuses_a_nesting_name(app, first, second, line):
    add(app, first)
    fails(app, "env", "add", second, *SERVER, code=1, line=f"{line}; {NEST}")


def test_env_add_refuses_nesting_with_the_first_env(app):
    fails(app, "env", "add", "default/sub", *SERVER, code=1,
          line="environments/default/sub would be inside the directory of environment 'default' "
               f"(environments/default); {NEST}")


def test_siblings_with_a_common_prefix_are_not_nested(app):
    add(app, "us-west/prd")
    succeeds(app, "env", "add", "us-west-2", *SERVER,
             stderr="✓ Created environment 'us-west-2' with namespace 'default', server https://p.example:6443\n")
    succeeds(app, "env", "add", "us-west/stg", *SERVER)
    rows = json.loads(run(app, "env", "list", "-o", "json").stdout)["data"]
    assert [r["name"] for r in rows] == ["default", "us-west-2", "us-west/prd", "us-west/stg"]


@pytest.mark.parametrize("existing, rename_to, line", [
    ("us-west/prd", "us-west",
     "environments/us-west would contain the directory of environment 'us-west/prd' (environments/us-west/prd)"),
    ("us-west", "us-west/prd",
     "environments/us-west/prd would be inside the directory of environment 'us-west' (environments/us-west)"),
])
def test_env_rename_refuses_a_nesting_name(app, existing, rename_to, line):
    add(app, existing)
    fails(app, "env", "set", "default", "--name", rename_to, code=1,
          line=f"cannot rename 'default' to {rename_to!r}: {line}; {NEST}")


def test_env_rename_into_its_own_subdirectory_is_refused(app):
    fails(app, "env", "set", "default", "--name", "default/inner", code=1,
          line="cannot rename 'default' to 'default/inner': environments/default/inner would be inside the "
               f"directory of environment 'default' (environments/default); {NEST}")


def nested_ks_app(app: Path) -> None:
    """An app as ks 0.13 let it be: 'us-west' and 'us-west/prd', one directory inside the other."""
    text = (app / "app.yaml").read_text()
    extra = textwrap.dedent("""\
      us-west:
        destination:
          namespace: west
          server: https://west.example:6443
        k8sVersion: v1.30.0
        path: us-west
      us-west/prd:
        destination:
          namespace: west-prd
          server: https://west.example:6443
        k8sVersion: v1.30.0
        path: us-west/prd
    """)
    text = text.replace("environments:\n", "environments:\n" + textwrap.indent(extra, "  "), 1)
    (app / "app.yaml").write_text(text)
    for env in ("us-west", "us-west/prd"):
        d = app / "environments" / env
        d.mkdir(parents=True)
        (d / "main.jsonnet").write_text(ENV_MAIN)
        (d / "globals.libsonnet").write_text(ENV_GLOBALS)
        (d / "params.libsonnet").write_text(ENV_PARAMS.replace(
            "  components +: {\n", f'  components +: {{\n    web +: {{ replicas: {3 if env == "us-west" else 5} }},\n'))


def replicas(app: Path, env: str) -> int:
    res = run(app, "show", env, "-o", "json", "--kind", "Deployment")
    assert res.exit_code == 0, res
    return json.loads(res.stdout)["items"][0]["spec"]["replicas"]


def test_an_app_ks_left_nested_still_loads_and_renders(app):
    nested_ks_app(app)
    rows = json.loads(run(app, "env", "list", "-o", "json").stdout)["data"]
    assert [(r["name"], r["namespace"]) for r in rows] == [
        ("default", "default"), ("us-west", "west"), ("us-west/prd", "west-prd")]
    assert (replicas(app, "us-west"), replicas(app, "us-west/prd")) == (3, 5)


def test_env_rm_of_the_outer_env_leaves_the_nested_env_alone(app):
    nested_ks_app(app)
    before = snapshot(app)
    succeeds(app, "env", "rm", "us-west", stderr="✓ Removed environment 'us-west'\n")
    assert changed(before, snapshot(app)) == {
        "app.yaml", "environments/us-west/main.jsonnet", "environments/us-west/params.libsonnet",
        "environments/us-west/globals.libsonnet"}
    assert replicas(app, "us-west/prd") == 5
    rows = json.loads(run(app, "env", "list", "-o", "json").stdout)["data"]
    assert [r["name"] for r in rows] == ["default", "us-west/prd"]


def test_env_rm_of_the_inner_env_leaves_the_outer_env_alone(app):
    nested_ks_app(app)
    before = snapshot(app)
    succeeds(app, "env", "rm", "us-west/prd", stderr="✓ Removed environment 'us-west/prd'\n")
    assert changed(before, snapshot(app)) == {
        "app.yaml", "environments/us-west/prd", "environments/us-west/prd/main.jsonnet",
        "environments/us-west/prd/params.libsonnet", "environments/us-west/prd/globals.libsonnet"}
    assert replicas(app, "us-west") == 3


def test_env_rename_of_the_outer_env_moves_only_its_own_files(app):
    nested_ks_app(app)
    before = snapshot(app)
    succeeds(app, "env", "set", "us-west", "--name", "eu", stderr="✓ Updated environment 'eu'\n")
    own = ("main.jsonnet", "params.libsonnet", "globals.libsonnet")
    assert changed(before, snapshot(app)) == {
        "app.yaml", "environments/eu", *(f"environments/eu/{f}" for f in own),
        *(f"environments/us-west/{f}" for f in own)}
    assert (replicas(app, "eu"), replicas(app, "us-west/prd")) == (3, 5)


def test_an_outer_env_with_its_own_subdirectories_is_removed_whole(app):
    add(app, "stg")
    (app / "environments" / "stg" / "lib").mkdir()
    (app / "environments" / "stg" / "lib" / "x.libsonnet").write_text("{}\n")
    succeeds(app, "env", "rm", "stg")
    assert not (app / "environments" / "stg").exists()


@pytest.mark.parametrize("path, shown", [("../outside", "'../outside'"), ("/etc", "'/etc'"),
                                         ("a/../../b", "'a/../../b'")])
def test_an_env_path_outside_environments_is_refused(app, path, shown):
    (app / "app.yaml").write_text((app / "app.yaml").read_text().replace("path: default", f"path: {path}"))
    for args in (("env", "list"), ("env", "rm", "default"), ("show", "default")):
        fails(app, *args, code=1,
              line=f"{app / 'app.yaml'}: 'environments.default.path' must be a relative path inside "
                   f"environments/, found {shown}")


# --------------------------------------------------------------------------- item 2: missing env files
@pytest.fixture(scope="module")
def emulator_app(emulator_module, template, tmp_path_factory):
    import shutil

    dest = tmp_path_factory.mktemp("emu") / "demo"
    shutil.copytree(template, dest, ignore=shutil.ignore_patterns(".kfctl"))
    res = run(dest, "env", "set", "default", "--server", emulator_module.url)
    assert res.exit_code == 0, res
    return dest


FILE_COMMANDS = [
    (("show", "default"), 1),
    (("validate", "default"), 1),
    (("export", "default", "../exported"), 1),
    (("diff", "default", "default"), 2),
    (("apply", "default", "--dry-run"), 1),
    (("diff", "default"), 2),
]


@pytest.mark.parametrize("missing", ["main.jsonnet", "params.libsonnet"])
@pytest.mark.parametrize("args, code", FILE_COMMANDS, ids=[" ".join(a) for a, _ in FILE_COMMANDS])
def test_a_missing_env_file_is_an_error_naming_it(emulator_app, tmp_path, missing, args, code):
    import shutil

    app = tmp_path / "demo"
    shutil.copytree(emulator_app, app, ignore=shutil.ignore_patterns(".kfctl"))
    (app / "environments" / "default" / missing).unlink()
    fails(app, *args, code=code,
          line=f"environments/default/{missing}: not found (environment 'default' needs it); "
               "restore it, e.g. from version control")
    assert not (tmp_path / "exported").exists()


@pytest.mark.parametrize("args", [("param", "list", "--env", "default"), ("param", "diff", "default", "default")])
def test_param_commands_need_the_env_params_file(app, args):
    (app / "environments" / "default" / "params.libsonnet").unlink()
    fails(app, *args, code=1, line="environments/default/params.libsonnet: not found (environment 'default' "
                                   "needs it); restore it, e.g. from version control")


def test_param_set_in_an_env_without_its_params_file_names_it(app):
    (app / "environments" / "default" / "params.libsonnet").unlink()
    fails(app, "param", "set", "web", "replicas", "2", "--env", "default", code=1,
          line="environments/default/params.libsonnet: not found (environment 'default' needs it); "
               "restore it, e.g. from version control")


def test_env_add_writes_every_env_file_into_a_partial_directory(app):
    d = app / "environments" / "stg"
    d.mkdir()
    (d / "globals.libsonnet").write_text("{ team: 'ml' }\n")  # a file the user kept
    succeeds(app, "env", "add", "stg", *SERVER)
    assert (d / "main.jsonnet").read_text() == ENV_MAIN
    assert (d / "params.libsonnet").read_text() == ENV_PARAMS
    assert (d / "globals.libsonnet").read_text() == "{ team: 'ml' }\n"


def test_init_writes_every_env_file(tmp_path):
    res = run(tmp_path, "init", "a", "--server", "https://k:6443", "--env", "us-west/prd")
    assert res.exit_code == 0, res
    d = tmp_path / "a" / "environments" / "us-west" / "prd"
    assert sorted(p.name for p in d.iterdir()) == ["globals.libsonnet", "main.jsonnet", "params.libsonnet"]


# --------------------------------------------------------------------------- item 22: the current env
@pytest.mark.parametrize("args", [("env", "current"), ("show",), ("validate",)])
def test_a_current_env_that_does_not_exist(app, args):
    (app / ".ks_environment").write_text("bogus\n")
    fails(app, *args, code=1, line="current environment 'bogus' (set in .ks_environment) does not exist; "
                                   "run 'kfctl env current --set NAME' or '--unset'")


def test_env_current_unset_repairs_a_stale_current_env(app):
    (app / ".ks_environment").write_text("bogus\n")
    succeeds(app, "env", "current", "--unset", stderr="✓ Current environment unset\n", touched={".ks_environment"})
    res = run(app, "env", "current")
    assert (res.exit_code, res.stdout, res.stderr) == (0, "", "no current environment set\n")


def test_env_current_set_to_a_missing_env(app):
    fails(app, "env", "current", "--set", "prd", code=1,
          line="environment 'prd' does not exist; see 'kfctl env list'")


# --------------------------------------------------------------------------- item 22: names too long
def test_a_300_letter_app_name_is_told_the_length_limit(tmp_path):
    name = "a" * 300
    res = run(tmp_path, "init", name, "--server", "https://k:6443")
    assert res.exit_code == 2
    assert res.stderr == (f"error: invalid app name {'a' * 40 + '…'!r}: 300 characters, at most 253 allowed\n")
    assert list(tmp_path.iterdir()) == []


@pytest.mark.parametrize("name, line", [
    ("e" * 64, f"invalid environment name {'e' * 40 + '…'!r}: '{'e' * 40}…' has 64 characters, "
               "at most 63 allowed between '/'"),
    ("ok/" + "e" * 64, f"invalid environment name {('ok/' + 'e' * 37) + '…'!r}: '{'e' * 40}…' has 64 characters, "
                       "at most 63 allowed between '/'"),
    ("/".join(["e" * 60] * 5), f"invalid environment name {('e' * 60)[:40] + '…'!r}: 304 characters, "
                               "at most 253 allowed"),
])
def test_an_env_name_too_long_is_told_the_length_limit(app, name, line):
    fails(app, "env", "add", name, *SERVER, code=2, line=line)


def test_a_component_name_too_long_is_told_the_length_limit(app):
    fails(app, "generate", "configMap", "c" * 254, code=2,
          line=f"invalid component name {'c' * 40 + '…'!r}: 254 characters, at most 253 allowed")


def test_a_namespace_too_long_is_told_the_length_limit(app):
    fails(app, "env", "add", "prd", *SERVER, "-n", "n" * 64, code=2,
          line=f"invalid namespace {'n' * 40 + '…'!r}: 64 characters, at most 63 allowed")
