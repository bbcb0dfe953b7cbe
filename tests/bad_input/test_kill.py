"""kill -9 at any point of a command that writes: the next kfctl run finds the app as it was before
the command or as the command would have left it, never in between, and no leftovers (orphan env
directories, vendor/*/.kfctl-old-*/.kfctl-new-*, temp files).  Two kinds of kill:

* at random moments (SIGKILL from outside, a few rounds per command, seeded), and
* at every fault point in turn: ``KFCTL_TEST_KILL_AT=N`` makes kfctl SIGKILL itself at its N-th
  fault point (each step of a multi-file change, each temp file about to be renamed into place),
  for N = 1, 2, ... until the command completes.
"""

from __future__ import annotations

import json
import os
import random
import re
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from tests.bad_input.helpers import NO_KUBE, run, snapshot

LEFTOVER = re.compile(r"(^|/)(\.kfctl-(new|old|rm)-|\..*\.tmp$)")


def _env(app: Path, extra: dict | None = None) -> dict:
    env = {**os.environ, "NO_COLOR": "1", "KUBECONFIG": str(app.parent / NO_KUBE)}
    env.pop("KFCTL_APP", None)
    env.update(extra or {})
    return env


def killed_at_random(app: Path, args: tuple[str, ...], delay: float) -> int:
    proc = subprocess.Popen([sys.executable, "-m", "kfctl", *args], cwd=app, env=_env(app),
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    time.sleep(delay)
    proc.send_signal(signal.SIGKILL)
    return proc.wait()


def killed_at_point(app: Path, args: tuple[str, ...], n: int) -> int:
    proc = subprocess.run([sys.executable, "-m", "kfctl", *args], cwd=app, env=_env(app, {"KFCTL_TEST_KILL_AT": str(n)}),
                          capture_output=True, text=True, timeout=120)
    return proc.returncode


def leftovers(root: Path) -> list[str]:
    return sorted(str(p.relative_to(root)) for p in root.rglob("*")
                  if LEFTOVER.search(str(p.relative_to(root))) and ".kfctl" not in p.relative_to(root).parts[:1])


def outcomes(app: Path, tmp_path: Path, args: tuple[str, ...]) -> tuple[dict, dict]:
    """Snapshots of the app before ``args`` and after ``args`` ran to completion (on a copy)."""
    done = tmp_path / "done" / app.name
    shutil.copytree(app, done, ignore=shutil.ignore_patterns(".kfctl"))
    res = run(done, *args)
    assert res.exit_code == 0, res
    return snapshot(app), snapshot(done)


def recover_and_check(app: Path, before: dict, after: dict, what: str) -> str:
    """The next (read-only) command rolls back or finds the change complete; nothing in between."""
    res = run(app, "env", "list")
    assert res.exit_code == 0, (what, res)
    now = snapshot(app)
    assert now in (before, after), (what, {k for k in set(now) | set(before) if now.get(k) != before.get(k)})
    assert leftovers(app) == [], what
    assert not (app / ".kfctl" / "journal.json").exists(), what
    return "before" if now == before else "after"


def _prepare_pkg(app: Path) -> None:
    res = run(app, "pkg", "install", "kubeflow/tf-serving")
    assert res.exit_code == 0, res


SCENARIOS = {
    "param set": (None, ("param", "set", "web", "replicas", "7")),
    "param set env": (None, ("param", "set", "web", "replicas", "7", "--env", "default")),
    "env add": (None, ("env", "add", "prd", "--server", "https://p:6443")),
    "env rename": (None, ("env", "set", "default", "--name", "eu")),
    "env rm": (None, ("env", "rm", "default")),
    "generate": (None, ("generate", "deployed-service", "api", "--image", "nginx")),
    "component rm": (None, ("component", "rm", "web")),
    "pkg upgrade": (_prepare_pkg, ("pkg", "install", "--force", "kubeflow/tf-serving")),
    "pkg remove": (_prepare_pkg, ("pkg", "remove", "kubeflow/tf-serving")),
}


def reset(app: Path, start: Path) -> None:
    shutil.rmtree(app)
    shutil.copytree(start, app)


@pytest.mark.parametrize("name", list(SCENARIOS))
def test_kill_at_every_fault_point(app, tmp_path, name):
    prepare, args = SCENARIOS[name]
    if prepare:
        prepare(app)
    start = tmp_path / "start"
    shutil.copytree(app, start, ignore=shutil.ignore_patterns(".kfctl"))
    before, after = outcomes(app, tmp_path, args)
    seen = []
    for n in range(1, 60):
        reset(app, start)
        rc = killed_at_point(app, args, n)
        if rc == 0:  # fewer than n fault points: the command ran to completion
            assert snapshot(app) == after
            break
        assert rc == -signal.SIGKILL, (n, rc)
        seen.append(recover_and_check(app, before, after, f"{name} killed at point {n}"))
    else:  # pragma: no cover
        raise AssertionError("the command never completed")
    assert "before" in seen  # the command has fault points, and a kill there was rolled back


@pytest.mark.parametrize("name", ["param set", "env add", "env rename", "generate", "pkg upgrade"])
def test_kill_at_random_moments(app, tmp_path, name):
    prepare, args = SCENARIOS[name]
    if prepare:
        prepare(app)
    start = tmp_path / "start"
    shutil.copytree(app, start, ignore=shutil.ignore_patterns(".kfctl"))
    before, after = outcomes(app, tmp_path, args)
    rng = random.Random(f"kill-{name}")
    for i in range(6):
        killed_at_random(app, args, rng.uniform(0.05, 0.9))
        if recover_and_check(app, before, after, f"{name} round {i}") == "after":
            shutil.rmtree(app)
            shutil.copytree(start, app)


def test_kill_during_export_leaves_nothing_later_exports_refuse(app, tmp_path):
    out = tmp_path / "out"
    res = run(app, "export", "default", str(out))
    assert res.exit_code == 0, res
    run(app, "param", "set", "web", "replicas", "5")
    exported = {p.name: p.read_bytes() for p in out.rglob("*") if p.is_file()}
    args = ("export", "default", str(out))

    def next_export_works(what) -> None:
        res = run(app, *args)
        assert res.exit_code == 0, (what, res)
        assert leftovers(out) == []

    n = 0
    while True:  # killed at each fault point in turn (each changed file, the index), until one completes
        n += 1
        assert run(app, "param", "set", "web", "replicas", str(10 + n)).exit_code == 0  # something to export
        if killed_at_point(app, args, n) == 0:
            break
        next_export_works(f"point {n}")
    assert n > 2
    rng = random.Random("export")
    for i in range(4):
        killed_at_random(app, args, rng.uniform(0.1, 0.8))
        next_export_works(f"random {i}")
    final = {p.name: p.read_bytes() for p in out.rglob("*") if p.is_file()}
    assert set(final) == set(exported) and final != exported  # the new replicas were exported


def test_an_old_kfctl_temp_file_in_an_export_directory_is_ignored_and_cleaned(app, tmp_path):
    out = tmp_path / "out"
    assert run(app, "export", "default", str(out)).exit_code == 0
    for name in (".Deployment-web.yaml.ab12cd_x.tmp", ".kfctl-export.json.zz99yy00.tmp"):
        (out / "default" / name).write_text("half")
    res = run(app, "export", "default", str(out))
    assert (res.exit_code, res.stderr) == (0, f"env default: 0 written, 2 unchanged, 0 removed in {out}\n"), res
    assert leftovers(out) == []


def test_a_foreign_dot_file_in_an_export_directory_is_still_foreign(app, tmp_path):
    out = tmp_path / "out"
    assert run(app, "export", "default", str(out)).exit_code == 0
    (out / "default" / ".notes.tmp").write_text("mine")
    res = run(app, "export", "default", str(out))
    assert res.exit_code == 1
    assert "already has 1 file(s) that are not from a previous export of env 'default' (default/.notes.tmp)" \
        in res.stderr


LEFTOVERS = [
    "components/.params.libsonnet.ab12cd34.tmp",
    "components/.params.libsonnet.kfctl-ab12cd34.tmp",
    "environments/.app.yaml.kfctl-00000000.tmp",
    ".app.yaml.x1y2z3w4.tmp",
    "environments/default/.main.jsonnet.kfctl-aaaa1111.tmp",
    "vendor/kubeflow/.kfctl-new-core-abc123/core/x.libsonnet",
    "vendor/kubeflow/.kfctl-old-core-abc123/0-core/x.libsonnet",
    "vendor/.kfctl-rm-abc123/0-core/x.libsonnet",
    "environments/.kfctl-new-stg-abc123/main.jsonnet",
]


@pytest.mark.parametrize("rel", LEFTOVERS)
def test_leftovers_of_an_older_kfctl_are_cleaned_by_the_next_write(app, rel):
    p = app / rel
    p.parent.mkdir(parents=True, exist_ok=True)
    p.write_text("left over\n")
    assert run(app, "param", "set", "web", "replicas", "2").exit_code == 0
    assert leftovers(app) == []


def test_a_user_file_that_looks_like_a_temp_file_but_is_not_kfctls_stays(app):
    (app / "components" / "notes.tmp").write_text("mine\n")
    (app / "components" / ".draft.tmp").write_text("mine\n")
    assert run(app, "param", "set", "web", "replicas", "2").exit_code == 0
    assert (app / "components" / "notes.tmp").read_text() == "mine\n"
    assert (app / "components" / ".draft.tmp").read_text() == "mine\n"


def test_an_orphan_env_directory_of_an_interrupted_env_add_is_reused(app):
    from kfctl.app.scaffold import ENV_GLOBALS, ENV_MAIN, ENV_PARAMS

    d = app / "environments" / "stg"
    d.mkdir()
    for name, text in (("main.jsonnet", ENV_MAIN), ("params.libsonnet", ENV_PARAMS), ("globals.libsonnet", ENV_GLOBALS)):
        (d / name).write_text(text)
    res = run(app, "env", "add", "stg", "--server", "https://s:6443")
    assert (res.exit_code, res.stderr) == (0, "✓ Created environment 'stg' with namespace 'default', "
                                              "server https://s:6443\n")


def test_an_env_directory_with_the_users_files_is_not_an_orphan(app):
    d = app / "environments" / "stg"
    d.mkdir()
    (d / "main.jsonnet").write_text("// mine\n{}\n")
    res = run(app, "env", "add", "stg", "--server", "https://s:6443")
    assert res.exit_code == 1
    assert res.stderr == (f"error: {d}: directory already holds an environment's main.jsonnet that no environment "
                          "in app.yaml uses; move it away or choose another name\n")
    assert (d / "main.jsonnet").read_text() == "// mine\n{}\n"


def test_init_git_ignores_what_a_kill_may_leave(tmp_path):
    res = run(tmp_path, "init", "a", "--server", "https://k:6443")
    assert res.exit_code == 0, res
    assert (tmp_path / "a" / ".gitignore").read_text().splitlines() == [
        "/lib/ksonnet-lib", "/.ksonnet/registries", "/app.override.yaml", "/.ks_environment", "/.kfctl/",
        ".*.kfctl-*.tmp", ".kfctl-new-*/", ".kfctl-old-*/", ".kfctl-rm-*/"]


def test_a_package_whose_dependency_fails_to_install_is_not_left_installed(app, tmp_path):
    """pkg install installs a package and its parts.yaml dependencies in one transaction."""
    reg = tmp_path / "reg"
    for pkg, parts in (("web", '{"name": "web", "dependencies": ["base"]}'), ("base", '{"name": "base"}')):
        (reg / pkg / "prototypes").mkdir(parents=True)
        (reg / pkg / "parts.yaml").write_text(parts + "\n")
        (reg / pkg / f"{pkg}.libsonnet").write_text("{}\n")
    # registry.yaml lists base at a path that does not exist: its install fails after web's
    (reg / "registry.yaml").write_text("apiVersion: '0.1'\nkind: ksonnet.io/registry\nlibraries:\n"
                                       "  web: {path: web}\n  base: {path: gone}\n")
    assert run(app, "registry", "add", "mine", str(reg)).exit_code == 0
    before = snapshot(app)
    res = run(app, "pkg", "install", "mine/web")
    assert res.exit_code == 1, res
    assert res.stderr == (f"error: registry 'mine' lists package 'base' at {(reg / 'gone').resolve()}, "
                          "which does not exist\n")
    assert snapshot(app) == before
    assert leftovers(app) == []
