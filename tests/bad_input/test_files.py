"""A careless user's app files and flags: every mistake is one `error:` line, a non-zero exit
(1 errors, 2 usage), no traceback, and no file of the app changed."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.bad_input.helpers import fails, snapshot  # noqa: F401 (snapshot: other suites import it from here)
from tests.conftest import run_kfctl


def test_non_utf8_values_file(app: Path, tmp_path: Path):
    values = tmp_path / "values.yaml"
    values.write_bytes(b"\xff\xfeimage: nginx\n")
    fails(app, "generate", "deployed-service", "web2", "--values-file", str(values), code=2,
          message=f"{values}: not UTF-8 text")


def test_values_file_that_is_a_directory(app: Path, tmp_path: Path):
    fails(app, "generate", "deployed-service", "web2", "--image", "x", "--values-file", str(tmp_path), code=2,
          message=f"{tmp_path}: is a directory, expected a values file")


@pytest.mark.parametrize("args", [
    ("param", "set", "web", "replicas", "3"),
    ("param", "set", "--global", "g", "1"),
    ("component", "rm", "web"),
    ("generate", "configMap", "cm"),
])
def test_non_utf8_params_file(app: Path, args):
    (app / "components" / "params.libsonnet").write_bytes(b"\xff\xfe{}")
    fails(app, *args, code=1, message="components/params.libsonnet: not UTF-8 text")


def test_non_utf8_env_params_file(app: Path):
    (app / "environments" / "default" / "params.libsonnet").write_bytes(b"{ \xff }")
    fails(app, "param", "set", "web", "replicas", "3", "--env", "default", code=1,
          message="environments/default/params.libsonnet: not UTF-8 text")


def test_params_file_that_is_a_directory(app: Path):
    p = app / "components" / "params.libsonnet"
    p.unlink()
    p.mkdir()
    # generate must not leave a component file behind without its params
    fails(app, "generate", "configMap", "cm", code=1, message="components/params.libsonnet: is a directory")
    fails(app, "param", "set", "web", "replicas", "3", code=1, message="components/params.libsonnet: is a directory")
    fails(app, "show", "default", code=1, message="components/params.libsonnet: is a directory, expected a file")
    fails(app, "param", "list", code=1, message="components/params.libsonnet: is a directory, expected a file")


def test_main_jsonnet_that_is_a_directory_is_not_silently_ignored(app: Path):
    p = app / "environments" / "default" / "main.jsonnet"
    p.unlink()
    p.mkdir()
    fails(app, "show", "default", code=1, message="environments/default/main.jsonnet: is a directory, expected a file")


def test_current_env_file_that_is_a_directory(app: Path):
    (app / ".ks_environment").mkdir()
    fails(app, "show", code=1, message=".ks_environment: is a directory")


def test_unparseable_params_file_names_the_file(app: Path):
    (app / "components" / "params.libsonnet").write_text("{ components: {\n")
    fails(app, "param", "set", "web", "replicas", "3", code=1,
          message="components/params.libsonnet: unbalanced brackets")
    fails(app, "generate", "configMap", "cm", code=1, message="components/params.libsonnet: unbalanced brackets")


def test_init_dir_is_a_file_or_under_a_file(tmp_path: Path):
    f = tmp_path / "afile"
    f.write_text("keep me\n")
    res = run_kfctl("init", "x", "--dir", str(f), "--server", "https://k:6443")
    assert res.exit_code == 1
    assert res.stderr.strip() == f"error: {f}: exists and is not a directory; choose another name or --dir"
    res = run_kfctl("init", "x", "--dir", str(f / "sub"), "--server", "https://k:6443")
    assert res.exit_code == 1
    assert res.stderr.strip() == (f"error: {f / 'sub'}: cannot create the app directory: "
                                  "a parent path is not a directory")
    assert f.read_text() == "keep me\n"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["afile"]


def test_init_rejects_a_bad_app_name_as_an_app_name(tmp_path: Path):
    res = run_kfctl("init", "my app", "--server", "https://k:6443", cwd=tmp_path)
    assert res.exit_code == 2
    assert res.stderr.startswith("error: invalid app name 'my app': ")
    assert list(tmp_path.iterdir()) == []
