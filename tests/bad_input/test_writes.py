"""How kfctl writes a careless user's files: through symlinks (at the target, atomically, the link
kept), keeping CRLF line endings, and on a read-only app (one clear line for every command that
writes; the commands that only read still work)."""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest

from tests.bad_input.helpers import (
    changed, fails, make_read_only, make_writable, run, run_as_user, snapshot, succeeds,
)

SET_WEB = "✓ Set web.replicas = 3 (number) in components/params.libsonnet\n"

# --------------------------------------------------------------------------- item 6: symlinks
# (file in the app, command, the success line, what the shared file holds afterwards)
LINKED = [
    ("components/params.libsonnet", ("param", "set", "web", "replicas", "3"), SET_WEB, "replicas: 3,"),
    ("components/params.libsonnet", ("param", "unset", "web", "image"),
     "✓ Removed web.image from components/params.libsonnet\n", None),
    ("components/params.libsonnet", ("param", "set", "--global", "team", "ml"),
     '✓ Set global team = "ml" (string) in components/params.libsonnet\n', 'team: "ml",'),
    ("components/params.libsonnet", ("generate", "configMap", "cm"),
     "✓ Wrote component 'cm' at components/cm.jsonnet from io.ksonnet.pkg.configMap\n", "    cm: {"),
    ("environments/default/params.libsonnet", ("param", "set", "web", "replicas", "4", "--env", "default"),
     "✓ Set web.replicas = 4 (number) in environments/default/params.libsonnet\n", "replicas: 4,"),
    ("environments/default/globals.libsonnet", ("param", "set", "team", "ml", "--env", "default"),
     '✓ Set global team = "ml" (string) in environments/default/globals.libsonnet\n', 'team: "ml",'),
    ("app.yaml", ("env", "set", "default", "--namespace", "ml"), "✓ Updated environment 'default'\n",
     "namespace: ml"),
    ("app.yaml", ("env", "add", "prd", "--server", "https://p:6443"),
     "✓ Created environment 'prd' with namespace 'default', server https://p:6443\n", "  prd:"),
]


@pytest.mark.parametrize("rel, args, stderr, expect", LINKED, ids=[f"{r}-{a[0]}-{a[1]}" for r, a, *_ in LINKED])
def test_an_edit_writes_through_a_symlink(app, tmp_path, rel, args, stderr, expect):
    shared = tmp_path / "shared" / Path(rel).name
    shared.parent.mkdir()
    os.replace(app / rel, shared)
    shared.chmod(0o640)
    os.symlink(os.path.relpath(shared, (app / rel).parent), app / rel)
    original = shared.read_text()
    before = snapshot(app)
    succeeds(app, *args, stderr=stderr)
    after = snapshot(app)
    assert after[rel] == before[rel]  # still the same link
    assert (app / rel).is_symlink()
    text = shared.read_text()
    assert text != original
    if expect is not None:
        assert expect in text
    else:
        assert "image:" not in text
    assert shared.stat().st_mode & 0o777 == 0o640
    assert sorted(p.name for p in shared.parent.iterdir()) == [shared.name]  # no temp file left at the target


def test_an_edit_follows_a_chain_of_symlinks(app, tmp_path):
    real = tmp_path / "real.libsonnet"
    os.replace(app / "components" / "params.libsonnet", real)
    os.symlink(real, tmp_path / "middle.libsonnet")
    os.symlink(tmp_path / "middle.libsonnet", app / "components" / "params.libsonnet")
    succeeds(app, "param", "set", "web", "replicas", "3", stderr=SET_WEB, touched=set())
    assert (tmp_path / "middle.libsonnet").is_symlink()
    assert "replicas: 3," in real.read_text()


def test_a_dangling_symlink_is_an_error_naming_it(app, tmp_path):
    p = app / "components" / "params.libsonnet"
    p.unlink()
    os.symlink(tmp_path / "gone.libsonnet", p)
    fails(app, "param", "set", "web", "replicas", "3", code=1,
          line="components/params.libsonnet: file not found")
    assert not (tmp_path / "gone.libsonnet").exists()


# --------------------------------------------------------------------------- item 8: CRLF
CRLF_EDITS = [
    ("components/params.libsonnet", ("param", "set", "web", "replicas", "3")),
    ("components/params.libsonnet", ("param", "set", "web", "labels", '{"a": "b"}')),
    ("components/params.libsonnet", ("param", "unset", "web", "extra")),
    ("components/params.libsonnet", ("generate", "configMap", "cm")),
    ("components/params.libsonnet", ("component", "rm", "web")),
    ("environments/default/params.libsonnet", ("param", "set", "web", "replicas", "4", "--env", "default")),
    ("environments/default/globals.libsonnet", ("param", "set", "team", "ml", "--env", "default")),
    ("app.yaml", ("env", "set", "default", "--namespace", "ml")),
    ("app.yaml", ("env", "add", "prd", "--server", "https://p:6443")),
]


@pytest.mark.parametrize("rel, args", CRLF_EDITS, ids=[f"{r}-{a[0]}-{a[1]}" for r, a in CRLF_EDITS])
def test_a_crlf_file_keeps_crlf_after_an_edit(app, rel, args):
    if rel.startswith("environments/default/params") or args[0] == "component":
        succeeds(app, "param", "set", "web", "replicas", "2", "--env", "default")
    if args[:2] == ("param", "unset"):
        succeeds(app, "param", "set", "web", "extra", "1")
    p = app / rel
    original = p.read_bytes()
    p.write_bytes(original.replace(b"\n", b"\r\n"))
    succeeds(app, *args)
    data = p.read_bytes()
    assert data != original.replace(b"\n", b"\r\n")
    assert data.count(b"\n") == data.count(b"\r\n") >= 3  # every line ends CRLF, the new ones too
    res = run(app, "show", "default", "-o", "json")
    assert res.exit_code == 0, res


def test_a_crlf_file_keeps_its_untouched_bytes(app):
    p = app / "components" / "params.libsonnet"
    text = p.read_text().replace("\n", "\r\n").replace("  global: {", "  global: { // mine\t ")
    p.write_bytes(text.encode())
    succeeds(app, "param", "set", "web", "replicas", "3")
    new = p.read_bytes().decode()
    assert new == text.replace("replicas: 1,", "replicas: 3,")


def test_a_file_with_lf_stays_lf(app):
    succeeds(app, "param", "set", "web", "replicas", "3")
    assert b"\r" not in (app / "components" / "params.libsonnet").read_bytes()


# --------------------------------------------------------------------------- item 10: a read-only app
READ_ONLY_LINE = ("{root}: the app directory is read-only (permission denied), kfctl cannot change it; "
                  "commands that only read (show, diff, validate, param list, env list) still work")

WRITERS = [
    ("param", "set", "web", "replicas", "3"),
    ("param", "set", "web", "replicas", "3", "--env", "default"),
    ("param", "unset", "web", "image"),
    ("env", "add", "prd", "--server", "https://p:6443"),
    ("env", "set", "default", "--namespace", "ml"),
    ("env", "rm", "default"),
    ("env", "current", "--set", "default"),
    ("generate", "configMap", "cm"),
    ("component", "rm", "web"),
    ("registry", "rm", "kubeflow"),
]


@pytest.fixture
def ro_app(app):
    make_read_only(app)
    yield app
    make_writable(app)


@pytest.mark.parametrize("args", WRITERS, ids=[" ".join(a[:3]) for a in WRITERS])
def test_a_write_to_a_read_only_app_is_one_clear_line(ro_app, args):
    before = snapshot(ro_app)
    res = run_as_user(*args, cwd=ro_app)
    assert (res.exit_code, res.stdout) == (1, ""), res
    assert res.stderr == "error: " + READ_ONLY_LINE.format(root=ro_app) + "\n"
    assert snapshot(ro_app) == before


READERS = [
    (("show", "default", "-o", "json"), '"kind": "List"'),
    (("param", "list"), "web       replicas      1"),
    (("param", "list", "--env", "default", "-o", "json"), '"param": "replicas"'),
    (("env", "list"), "default"),
    (("env", "describe", "default"), "name: default"),
    (("component", "list"), "web       jsonnet"),
    (("validate", "default"), ""),
    (("diff", "default", "default"), ""),
    (("env", "current"), ""),
    (("prototype", "list"), "io.ksonnet.pkg.configMap"),
    (("param", "diff", "default", "default"), "COMPONENT PARAM ENV1 ENV2"),
]


@pytest.mark.parametrize("args, out", READERS, ids=[" ".join(a[:2]) for a, _ in READERS])
def test_reading_a_read_only_app_works(ro_app, args, out):
    before = snapshot(ro_app)
    res = run_as_user(*args, cwd=ro_app)
    assert res.exit_code == 0, res
    assert out in res.stdout
    assert "error" not in res.stderr
    assert snapshot(ro_app) == before
    assert not (ro_app / ".kfctl").exists()


def test_export_of_a_read_only_app_into_a_writable_directory(ro_app, tmp_path):
    out = tmp_path / "out"
    res = run_as_user("export", "default", str(out), cwd=ro_app)
    assert res.exit_code == 0, res
    assert sorted(p.name for p in (out / "default").iterdir()) == ["Deployment-web.yaml", "Service-web.yaml"]


def test_export_into_a_read_only_directory(app, tmp_path):
    out = tmp_path / "out"
    out.mkdir()
    make_read_only(out)
    try:
        res = run_as_user("export", "default", str(out), cwd=app)
    finally:
        make_writable(out)
    assert res.exit_code == 1
    assert res.stderr == f"error: {out / 'default' / 'Deployment-web.yaml'}: cannot write: permission denied\n"
    assert list(out.iterdir()) == []


def test_init_in_a_read_only_directory(tmp_path):
    parent = tmp_path / "ro"
    parent.mkdir()
    make_read_only(parent)
    try:
        res = run_as_user("init", "x", "--server", "https://k:6443", cwd=parent)
    finally:
        make_writable(parent)
    assert res.exit_code == 1
    assert res.stderr == f"error: {parent / 'x'}: cannot create the app directory: permission denied\n"
    assert list(parent.iterdir()) == []


def test_reading_a_read_only_app_with_a_versioned_vendor_folder(app, tmp_path):
    """ks 0.12+ vendored packages as vendor/<reg>/<pkg>@<version>/; their import map goes to the user
    cache when the app cannot hold it."""
    lib = app / "vendor" / "kf" / "util@1.0"
    lib.mkdir(parents=True)
    (lib / "util.libsonnet").write_text("{ x: 42 }\n")
    (app / "components" / "uses.jsonnet").write_text(
        'local u = import "kf/util/util.libsonnet";\n'
        '{ apiVersion: "v1", kind: "ConfigMap", metadata: { name: "u" }, data: { x: std.toString(u.x) } }\n')
    make_read_only(app)
    try:
        before = snapshot(app)
        res = run_as_user("show", "default", "-c", "uses", "-o", "json", cwd=app,
                          env={"XDG_CACHE_HOME": str(tmp_path / "cache")})
        assert res.exit_code == 0, res
        assert json.loads(res.stdout)["items"][0]["data"] == {"x": "42"}
        assert snapshot(app) == before
    finally:
        make_writable(app)
