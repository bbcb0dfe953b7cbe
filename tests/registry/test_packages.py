"""registry + pkg commands end to end against local git repositories and ksonnet-format folders."""

from __future__ import annotations

import hashlib
import json
import shutil
import time
from pathlib import Path

import pytest
import yaml

from kfctl.registry.lock import tree_files, tree_hash
from tests.conftest import run_kfctl
from tests.registry.conftest import write_package


def _app(tmp_path: Path, env: dict) -> Path:
    run_kfctl("init", "demo", "--dir", str(tmp_path / "demo"), "--server", "https://k8s.example:6443",
              check=0, env={**env, "KUBECONFIG": str(tmp_path / "missing")})
    return tmp_path / "demo"


def _appyaml(app: Path) -> dict:
    return yaml.safe_load((app / "app.yaml").read_text())


def _lock(app: Path) -> dict:
    return json.loads((app / "kfctl.lock").read_text())


def _snapshot(root: Path) -> dict[str, str]:
    """Every file under root (except the app lock dir) with its content hash."""
    out = {}
    for p in sorted(root.rglob("*")):
        if p.is_file() and ".kfctl" not in p.relative_to(root).parts:
            out[p.relative_to(root).as_posix()] = hashlib.sha256(p.read_bytes()).hexdigest()
    return out


def test_git_subdir_tags_and_upgrade(tmp_path, git_registry, cache_env):
    app = _app(tmp_path, cache_env)
    uri = f"{git_registry['url']}/tree/v1/kf"
    r = run_kfctl("registry", "add", "kf", uri, cwd=app, env=cache_env, check=0)
    assert "2 package(s)" in r.stderr
    assert _appyaml(app)["registries"]["kf"] == {"protocol": "git", "uri": uri}
    assert _appyaml(app)["registries"]["kubeflow"] == {"protocol": "builtin", "uri": "builtin:kubeflow"}

    out = run_kfctl("registry", "describe", "kf", cwd=app, env=cache_env, check=0).stdout
    assert out == f"REGISTRY NAME:\nkf\n\nURI:\n{uri}\n\nPROTOCOL:\ngit\n\nPACKAGES:\n  core\n  tf-job\n"
    listing = json.loads(run_kfctl("registry", "list", "-o", "json", cwd=app, env=cache_env, check=0).stdout)
    assert {"name": "kf", "override": False, "protocol": "git", "uri": uri} in listing["data"]

    run_kfctl("pkg", "install", "kf/core", cwd=app, env=cache_env, check=0)
    vend = app / "vendor" / "kf" / "core"
    assert 'v: "1"' in (vend / "core.libsonnet").read_text()
    assert sorted(tree_files(vend)) == ["README.md", "core.libsonnet", "parts.yaml", "prototypes/core.jsonnet",
                                        "tests/util_test.jsonnet", "util.libsonnet"]
    assert _appyaml(app)["libraries"] == {"kf/core": {"name": "core", "registry": "kf", "version": "v1"}}
    lock1 = _lock(app)["packages"]["kf/core"]
    assert lock1["version"] == "v1" and lock1["commit"] == git_registry["v1"]
    assert lock1["sha256"] == tree_hash(tree_files(vend))

    # upgrade to an annotated tag: the tree is replaced, app.yaml and the lock follow
    r = run_kfctl("pkg", "install", "kf/core@v2", cwd=app, env=cache_env, check=0)
    assert "Upgraded kf/core from v1 to v2" in r.stderr
    assert 'v: "2"' in (vend / "core.libsonnet").read_text()
    assert _appyaml(app)["libraries"]["kf/core"]["version"] == "v2"
    lock2 = _lock(app)["packages"]["kf/core"]
    assert lock2["commit"] == git_registry["v2"] and lock2["sha256"] != lock1["sha256"]
    assert lock2["sha256"] == tree_hash(tree_files(vend))
    assert sorted(p.name for p in (app / "vendor" / "kf").iterdir()) == ["core"]  # no leftovers
    run_kfctl("pkg", "verify", cwd=app, env=cache_env, check=0)

    # a branch: recorded by its commit? no — by the ref asked for; the lock pins the commit
    run_kfctl("pkg", "install", "kf/core@dev", cwd=app, env=cache_env, check=0)
    assert _lock(app)["packages"]["kf/core"]["commit"] == git_registry["dev"]
    assert 'v: "3"' in (vend / "core.libsonnet").read_text()

    # a commit sha (no shallow --branch possible): full clone + checkout
    run_kfctl("pkg", "install", f"kf/core@{git_registry['v1']}", cwd=app, env=cache_env, check=0)
    assert 'v: "1"' in (vend / "core.libsonnet").read_text()
    assert _appyaml(app)["libraries"]["kf/core"]["version"] == git_registry["v1"]

    table = run_kfctl("pkg", "list", cwd=app, env=cache_env, check=0).stdout.splitlines()
    assert table[0].split() == ["REGISTRY", "NAME", "VERSION", "INSTALLED", "ENVIRONMENTS"]
    assert table[2].split() == ["kf", "core", git_registry["v1"], "*"]
    assert table[3].split() == ["kf", "tf-job", "master"]
    inst = json.loads(run_kfctl("pkg", "list", "--installed", "-o", "json", cwd=app, env=cache_env, check=0).stdout)
    assert [(d["registry"], d["name"], d["installed"]) for d in inst["data"]] == [("kf", "core", True)]


def test_default_branch_is_pinned_by_commit_and_cache_works_offline(tmp_path, git_registry, cache_env):
    app = _app(tmp_path, cache_env)
    run_kfctl("registry", "add", "kf", f"{git_registry['url']}/tree/main/kf", cwd=app, env=cache_env, check=0)
    run_kfctl("pkg", "install", "kf/tf-job", cwd=app, env=cache_env, check=0)
    # a branch installs record the resolved commit (ksonnet did the same)
    assert _appyaml(app)["libraries"]["kf/tf-job"]["version"] == git_registry["v2"]
    # the remote goes away: listing still works from the cache, a refresh warns and uses the cached copy
    shutil.move(git_registry["repo"], tmp_path / "gone")
    out = run_kfctl("pkg", "list", cwd=app, env=cache_env, check=0).stdout
    rows = [line.split() for line in out.splitlines()[2:]]
    assert [r for r in rows if r[0] == "kf"] == [["kf", "core", "master"], ["kf", "tf-job", git_registry["v2"], "*"]]
    r = run_kfctl("pkg", "install", "kf/core", cwd=app, env=cache_env, check=0)
    assert "cannot refresh" in r.stderr
    r = run_kfctl("pkg", "install", "kf/core@v1", cwd=app, env=cache_env, check=1)
    assert r.stderr.count("\n") == 1 and r.stderr.startswith("error: cannot fetch")


def test_ksonnet_registry_used_untouched(tmp_path, ks_registry, cache_env):
    app = _app(tmp_path, cache_env)
    before = _snapshot(ks_registry.parent)
    run_kfctl("registry", "add", "kf", str(ks_registry), cwd=app, env=cache_env, check=0)
    assert _appyaml(app)["registries"]["kf"] == {"protocol": "fs", "uri": str(ks_registry)}
    run_kfctl("pkg", "install", "kf/core", cwd=app, env=cache_env, check=0)
    assert _appyaml(app)["libraries"]["kf/core"] == {"name": "core", "registry": "kf", "version": "master"}
    for rel, digest in _snapshot(ks_registry / "core").items():
        assert hashlib.sha256((app / "vendor/kf/core" / rel).read_bytes()).hexdigest() == digest
    assert _snapshot(ks_registry.parent) == before
    out = run_kfctl("pkg", "describe", "kf/core", cwd=app, env=cache_env, check=0).stdout
    assert out == ("LIBRARY NAME:\nkf/core\n\nDESCRIPTION:\nThe core package.\n\n"
                   "PROTOTYPES:\n  io.ksonnet.pkg.core - core in one line\n")
    out = run_kfctl("pkg", "describe", "kf/tf-job", cwd=app, env=cache_env, check=0).stdout
    assert out == "LIBRARY NAME:\nkf/tf-job\n\nDESCRIPTION:\nThe tf-job package.\n\n"
    # a folder registry has one version
    r = run_kfctl("pkg", "install", "kf/tf-job@v9", cwd=app, env=cache_env, check=1)
    assert r.stderr == (f"error: registry 'kf' is a plain folder ({ks_registry}), which holds one version of tf-job "
                        f"(master), "
                        f"not 'v9'; a folder in a git work tree serves the repository's tags: make it one "
                        f"(cd {ks_registry} && git init && git add -A && git commit -m v9 && git tag v9), or add a "
                        f"git registry ('kfctl registry add NAME https://HOST/REPO.git')\n")
    # a package folder left out of registry.yaml (Kubeflow 0.1's seldon) still installs
    run_kfctl("pkg", "install", "kf/seldon", cwd=app, env=cache_env, check=0)
    assert (app / "vendor/kf/seldon/prototypes/seldon.jsonnet").is_file()


def test_verify_detects_tampering(tmp_path, ks_registry, cache_env):
    app = _app(tmp_path, cache_env)
    run_kfctl("registry", "add", "kf", str(ks_registry), cwd=app, env=cache_env, check=0)
    run_kfctl("pkg", "install", "kf/core", cwd=app, env=cache_env, check=0)
    run_kfctl("pkg", "install", "kf/tf-job", cwd=app, env=cache_env, check=0)
    assert "2 locked package(s) match" in run_kfctl("pkg", "verify", cwd=app, env=cache_env, check=0).stderr
    (app / "vendor/kf/core/util.libsonnet").write_text("{}\n")
    (app / "vendor/kf/core/README.md").unlink()
    (app / "vendor/kf/core/extra.libsonnet").write_text("{}\n")
    r = run_kfctl("pkg", "verify", cwd=app, env=cache_env, check=1)
    assert r.stdout.splitlines() == ["kf/core: removed vendor/kf/core/README.md",
                                     "kf/core: added vendor/kf/core/extra.libsonnet",
                                     "kf/core: modified vendor/kf/core/util.libsonnet"]
    assert "kf/core" in r.stderr and "kf/tf-job" not in r.stderr
    # mode change only
    run_kfctl("pkg", "install", "--force", "kf/core", cwd=app, env=cache_env, check=0)
    run_kfctl("pkg", "verify", cwd=app, env=cache_env, check=0)
    shutil.rmtree(app / "vendor/kf/tf-job")
    r = run_kfctl("pkg", "verify", "-o", "json", cwd=app, env=cache_env, check=1)
    assert json.loads(r.stdout)["problems"] == [{"package": "kf/tf-job", "change": "missing",
                                                 "path": "vendor/kf/tf-job"}]


def test_failures_leave_app_untouched(tmp_path, git_registry, cache_env):
    app = _app(tmp_path, cache_env)
    run_kfctl("registry", "add", "kf", f"{git_registry['url']}/tree/v1/kf", cwd=app, env=cache_env, check=0)
    run_kfctl("pkg", "install", "kf/core", cwd=app, env=cache_env, check=0)
    before = _snapshot(app)
    url = git_registry["url"]
    cases = [  # (args, exit code, the one stderr line; a prefix where git words the rest)
        (("pkg", "install", "kf/core@nope"), 1, f"error: {url} has no branch, tag or commit 'nope'"),
        (("pkg", "install", "kf/nope"), 1, "error: registry 'kf' has no package 'nope'; see 'kfctl registry describe kf'"),
        (("pkg", "install", "other/core"), 1, "error: registry 'other' is not configured in this app; see 'kfctl "
                                              "registry list'; add one with 'kfctl registry add NAME URI'"),
        (("pkg", "install", "kf/tf-job", "--name", "core"), 2,
         "error: name clash: kf/core is already installed from package 'core'; choose another name with --name"),
        (("registry", "add", "kf", str(tmp_path)), 2,
         f"error: registry 'kf' already exists (uri {url}/tree/v1/kf); change it with 'kfctl registry set kf --uri "
         "URI' or remove it first"),
        (("registry", "add", "x", str(tmp_path / "nowhere")), 1,
         f"error: registry folder {tmp_path / 'nowhere'} does not exist"),
        (("registry", "add", "x", str(tmp_path / "demo")), 1,
         f"error: registry 'x' ({tmp_path / 'demo'}) has no registry.yaml; a registry is a folder with registry.yaml "
         "listing its packages (see docs/registries.md)"),
        (("registry", "add", "x", "file:///nonexistent/repo/tree/v1/kf"), 1,
         "error: registry folder /nonexistent/repo/tree/v1/kf does not exist"),
        (("registry", "add", "x", "https://127.0.0.1:9/none.git"), 1,
         "error: cannot fetch https://127.0.0.1:9/none.git: unable to access 'https://127.0.0.1:9/none.git/': "),
    ]
    for args, code, line in cases:
        r = run_kfctl(*args, cwd=app, env=cache_env)
        lines = r.stderr.strip().splitlines()
        assert r.exit_code == code and len(lines) == 1, (args, r)
        assert lines[0] == line or (line.endswith(": ") and lines[0].startswith(line)), (args, lines[0])
        assert r.stdout == "", (args, r.stdout)
    (app / "vendor/kf/stray").mkdir()
    r = run_kfctl("pkg", "install", "kf/tf-job", "--name", "stray", cwd=app, env=cache_env, check=2)
    assert "name clash: vendor/kf/stray exists" in r.stderr
    (app / "vendor/kf/stray").rmdir()
    assert _snapshot(app) == before


def test_upgrade_failure_midway_rolls_back(tmp_path, git_registry, cache_env, monkeypatch):
    from kfctl.app.app import App
    from kfctl.registry import packages

    app_root = _app(tmp_path, cache_env)
    run_kfctl("registry", "add", "kf", f"{git_registry['url']}/tree/v1/kf", cwd=app_root, env=cache_env, check=0)
    run_kfctl("pkg", "install", "kf/core", cwd=app_root, env=cache_env, check=0)
    before = _snapshot(app_root)

    def boom(*a, **k):
        raise OSError("disk full")

    monkeypatch.setattr(packages, "write_lock", boom)  # after the tree swap and the app.yaml edit
    with pytest.raises(Exception, match="disk full"):
        packages.install_package(App(app_root), "kf/core@v2")
    assert _snapshot(app_root) == before
    assert [p.name for p in (app_root / "vendor/kf").iterdir()] == ["core"]


def test_remove_refuses_while_used(tmp_path, ks_registry, cache_env):
    app = _app(tmp_path, cache_env)
    run_kfctl("registry", "add", "kf", str(ks_registry), cwd=app, env=cache_env, check=0)
    run_kfctl("pkg", "install", "kf/core", cwd=app, env=cache_env, check=0)
    run_kfctl("pkg", "install", "kf/tf-job", cwd=app, env=cache_env, check=0)
    # a component ksonnet generated: no record, but it imports the package
    (app / "components/ks-made.jsonnet").write_text(
        'local core = import "kf/core/core.libsonnet";\ncore.parts("x")\n')
    r = run_kfctl("pkg", "remove", "kf/core", cwd=app, env=cache_env, check=1)  # a refusal (state), not a usage error
    assert "used by component(s) ks-made" in r.stderr
    assert (app / "vendor/kf/core").is_dir() and "kf/core" in _appyaml(app)["libraries"]
    run_kfctl("pkg", "remove", "kf/core", "--force", cwd=app, env=cache_env, check=0)
    assert not (app / "vendor/kf/core").exists()
    assert "kf/core" not in _appyaml(app)["libraries"] and "kf/core" not in _lock(app)["packages"]
    run_kfctl("pkg", "remove", "kf/tf-job", cwd=app, env=cache_env, check=0)
    assert "libraries" not in _appyaml(app) and _lock(app)["packages"] == {}
    r = run_kfctl("pkg", "remove", "kf/tf-job", cwd=app, env=cache_env, check=1)
    assert "is not installed" in r.stderr


def test_components_using_reads_generate_record(tmp_path, ks_registry, cache_env):
    from kfctl.app.app import App
    from kfctl.registry import inventory

    app_root = _app(tmp_path, cache_env)
    run_kfctl("registry", "add", "kf", str(ks_registry), cwd=app_root, env=cache_env, check=0)
    run_kfctl("pkg", "install", "kf/tf-job", cwd=app_root, env=cache_env, check=0)
    (app_root / "components/train.jsonnet").write_text("{}\n")  # no import: only the record says
    App(app_root).edit(lambda d: d.update({"kfctl": {"components": {"train": {
        "prototype": "io.ksonnet.pkg.tf-job", "package": "kf/tf-job"}}}}))
    assert inventory.components_using(App(app_root), "kf", "tf-job") == ["train"]
    assert inventory.components_using(App(app_root), "kf", "core") == []


def test_find_package_for_prototype_and_install(tmp_path, ks_registry, cache_env):
    from kfctl.app.app import App
    from kfctl.registry import catalogue, packages

    app_root = _app(tmp_path, cache_env)
    run_kfctl("registry", "add", "kf", str(ks_registry), cwd=app_root, env=cache_env, check=0)
    app = App(app_root)
    # the built-in kubeflow registry ships tf-job too: an ambiguity names both packages
    from kfctl.errors import UsageError

    with pytest.raises(UsageError, match=r"in several packages: kf/tf-job, kubeflow/tf-job"):
        catalogue.find_package_for_prototype(app, "tf-job")
    run_kfctl("registry", "rm", "kubeflow", cwd=app_root, env=cache_env, check=0)
    app.reload()
    assert catalogue.find_package_for_prototype(app, "io.ksonnet.pkg.tf-job") == ("kf", "tf-job")
    assert catalogue.find_package_for_prototype(app, "tf-job") == ("kf", "tf-job")
    assert catalogue.find_package_for_prototype(app, "no-such-thing") is None
    path = packages.install_package(app, "kf/tf-job").path
    assert path == app_root / "vendor/kf/tf-job" and (path / "prototypes/tf-job.jsonnet").is_file()
    app.reload()
    assert app.libraries["kf/tf-job"].version == "master"


def test_legacy_ksonnet_app_vendor_and_jpath(tmp_path, cache_env):
    """A ks 0.13 app (versioned vendor dirs) and a ks 0.11 one (unversioned, app.yaml 0.1.0) work unedited."""
    import _jsonnet

    from kfctl.app.app import App
    from kfctl.registry import vendor_map

    app_root = tmp_path / "ks13"
    (app_root / "vendor/kf").mkdir(parents=True)
    write_package(app_root / "vendor/kf", "core", value="old")
    (app_root / "vendor/kf/core").rename(app_root / "vendor/kf/core@aaa111")
    write_package(app_root / "vendor/kf", "core", value="new")
    (app_root / "vendor/kf/core").rename(app_root / "vendor/kf/core@bbb222")
    (app_root / "app.yaml").write_text(
        "apiVersion: 0.3.0\nkind: ksonnet.io/app\nname: ks13\nversion: 0.0.1\n"
        "environments:\n  default:\n    destination: {namespace: default, server: https://x}\n"
        "    k8sVersion: v1.10.0\n    path: default\n"
        "  old:\n    destination: {namespace: default, server: https://x}\n    k8sVersion: v1.10.0\n    path: old\n"
        "    libraries:\n      kf/core: {name: core, registry: kf, version: aaa111}\n"
        "libraries:\n  kf/core: {name: core, registry: kf, version: bbb222}\n"
        "registries:\n  kf: {protocol: github, uri: github.com/example/reg/tree/master/kf}\n")
    app = App(app_root)
    snippet = 'local c = import "kf/core/core.libsonnet"; c.parts("n")[0].data.v'

    def ev(env):
        jp = [str(app_root / "vendor")] + [str(p) for p in vendor_map.package_jpath(app, env)]
        return json.loads(_jsonnet.evaluate_snippet("t", snippet, jpathdir=jp))

    assert ev(None) == "new"
    assert ev("default") == "new"
    assert ev("old") == "old"  # env-scoped library version
    # cheap when nothing changed (it runs on every render)
    t0 = time.perf_counter()
    for _ in range(100):
        vendor_map.package_jpath(app, "default")
    assert (time.perf_counter() - t0) / 100 < 0.005
    # listing and locking an app ksonnet vendored
    out = run_kfctl("pkg", "list", "--installed", cwd=app_root, env=cache_env, check=0).stdout.splitlines()
    assert out[2].split() == ["kf", "core", "bbb222", "*", "old"]
    r = run_kfctl("pkg", "verify", cwd=app_root, env=cache_env, check=0)
    assert "not in the lock" in r.stderr
    run_kfctl("pkg", "lock", cwd=app_root, env=cache_env, check=0)
    assert _lock(app_root)["packages"]["kf/core"]["path"] == "vendor/kf/core@bbb222"
    run_kfctl("pkg", "verify", cwd=app_root, env=cache_env, check=0)


def test_ks011_app_0_1_0_libraries(tmp_path, git_registry, cache_env):
    app_root = tmp_path / "ks11"
    write_package(app_root / "vendor/kf", "core", value="11")
    (app_root / "app.yaml").write_text(
        "apiVersion: 0.1.0\nkind: ksonnet.io/app\nname: ks11\nversion: 0.0.1\n"
        "libraries:\n  core:\n    gitVersion:\n      commitSha: 0123abc\n      refSpec: v1\n"
        "    name: core\n    registry: kf\n"
        "registries:\n  kf:\n    gitVersion:\n      commitSha: 0123abc\n      refSpec: v1\n"
        f"    protocol: git\n    uri: {git_registry['url']}/tree/v1/kf\n")
    out = run_kfctl("pkg", "list", cwd=app_root, env=cache_env, check=0).stdout.splitlines()
    assert out[2].split() == ["kf", "core", "0123abc", "*"]
    # upgrading writes the 0.1.0 form back under the existing key
    run_kfctl("pkg", "install", "kf/core@v2", cwd=app_root, env=cache_env, check=0)
    lib = _appyaml(app_root)["libraries"]
    assert lib == {"core": {"gitVersion": {"commitSha": git_registry["v2"], "refSpec": "v2"}, "name": "core",
                            "registry": "kf"}}
    assert 'v: "2"' in (app_root / "vendor/kf/core/core.libsonnet").read_text()


def test_folder_registry_in_a_git_work_tree_serves_its_tags(tmp_path, cache_env):
    """issue 13: 'registry add bars /path/to/repo' then 'pkg install bars/web@v1' checks out v1."""
    from tests.registry.conftest import REGISTRY_YAML_01, git, write_package

    repo = tmp_path / "bars"
    repo.mkdir()
    git(repo, "init", "-q", "-b", "main")
    (repo / "registry.yaml").write_text(REGISTRY_YAML_01.replace("core", "web"))
    write_package(repo, "web", value="1")
    write_package(repo, "tf-job", value="1")
    git(repo, "add", "-A")
    git(repo, "commit", "-qm", "v1")
    git(repo, "tag", "v1")
    write_package(repo, "web", value="2")
    git(repo, "commit", "-qam", "v2")
    write_package(repo, "web", value="work-tree")  # uncommitted
    app = _app(tmp_path, cache_env)
    run_kfctl("registry", "add", "bars", str(repo), cwd=app, env=cache_env, check=0)
    assert _appyaml(app)["registries"]["bars"] == {"protocol": "fs", "uri": str(repo)}
    res = run_kfctl("pkg", "install", "bars/web@v1", cwd=app, env=cache_env, check=0)
    assert res.stderr == "✓ Installed bars/web@v1 into vendor/bars/web\n"
    assert 'data: {v: "1"}' in (app / "vendor/bars/web/web.libsonnet").read_text()
    assert _appyaml(app)["libraries"]["bars/web"] == {"name": "web", "registry": "bars", "version": "v1"}
    lock = json.loads((app / "kfctl.lock").read_text())["packages"]["bars/web"]
    assert lock["source"] == {"protocol": "git", "uri": f"{repo.as_uri()}@v1"}
    # without a version: the folder as it is now
    run_kfctl("pkg", "install", "bars/web", cwd=app, env=cache_env, check=0)
    assert 'data: {v: "work-tree"}' in (app / "vendor/bars/web/web.libsonnet").read_text()
    out = run_kfctl("pkg", "describe", "bars/web@v1", cwd=app, env=cache_env, check=0).stdout
    assert out.startswith("LIBRARY NAME:\nbars/web\n\nDESCRIPTION:\nThe web package.\n")
    res = run_kfctl("pkg", "install", "bars/web@v7", cwd=app, env=cache_env)
    assert (res.exit_code, res.stderr) == (1, f"error: {repo.as_uri()} has no branch, tag or commit 'v7'\n")
