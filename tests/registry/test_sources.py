"""URI parsing (no fetching): ksonnet's forms plus git URLs."""

from __future__ import annotations

from pathlib import Path

import pytest

from kfctl.errors import KfctlError, UsageError
from kfctl.registry.sources import parse_source


def test_github_tree_form():
    s = parse_source("github.com/kubeflow/kubeflow/tree/v0.2.0/kubeflow")
    assert (s.protocol, s.url, s.ref, s.subdir) == ("github", "https://github.com/kubeflow/kubeflow.git", "v0.2.0",
                                                    "kubeflow")
    assert s.uri == "github.com/kubeflow/kubeflow/tree/v0.2.0/kubeflow"
    s2 = parse_source("https://github.com/ksonnet/parts/tree/master/incubator")
    assert (s2.protocol, s2.ref, s2.subdir) == ("github", "master", "incubator")


def test_github_version_rewrites_ref():
    s = parse_source("github.com/kubeflow/kubeflow/tree/master/kubeflow", version="v0.3.0")
    assert s.ref == "v0.3.0"
    assert s.uri == "github.com/kubeflow/kubeflow/tree/v0.3.0/kubeflow"
    assert s.at("v0.1.0").uri == "github.com/kubeflow/kubeflow/tree/v0.1.0/kubeflow"


@pytest.mark.parametrize("uri,url,ref", [
    ("https://git.example.com/org/reg.git@v1.2", "https://git.example.com/org/reg.git", "v1.2"),
    ("https://git.example.com/org/reg.git", "https://git.example.com/org/reg.git", None),
    ("ssh://git@git.example.com/org/reg.git", "ssh://git@git.example.com/org/reg.git", None),
    ("ssh://git@git.example.com/org/reg.git@dev", "ssh://git@git.example.com/org/reg.git", "dev"),
    ("git@github.example.com:org/reg.git", "git@github.example.com:org/reg.git", None),
    ("git@github.example.com:org/reg.git@abc1234", "git@github.example.com:org/reg.git", "abc1234"),
])
def test_git_urls(uri, url, ref):
    s = parse_source(uri)
    assert (s.protocol, s.url, s.ref, s.subdir) == ("git", url, ref, "")


def test_git_url_tree_subdir():
    s = parse_source("https://git.example.com/org/reg/tree/release/registry")
    assert (s.url, s.ref, s.subdir) == ("https://git.example.com/org/reg", "release", "registry")


def test_local_folder_is_fs(ks_registry: Path):
    s = parse_source(str(ks_registry))
    assert s.protocol == "fs" and s.path == ks_registry
    s2 = parse_source(ks_registry.as_uri())
    assert s2.protocol == "fs" and s2.path == ks_registry


def test_local_git_forms(git_registry):
    repo = git_registry["repo"]
    s = parse_source(f"{git_registry['url']}/tree/v1/kf")
    assert (s.protocol, s.url, s.ref, s.subdir) == ("git", repo.as_uri(), "v1", "kf")
    s = parse_source(f"{repo}@v2")
    assert (s.protocol, s.ref, s.subdir) == ("git", "v2", "")
    s = parse_source(str(repo), version="dev")  # a git repo + --version → git
    assert (s.protocol, s.ref) == ("git", "dev")
    s = parse_source(str(repo))  # no registry.yaml at its top → git at the default branch
    assert (s.protocol, s.ref) == ("git", None)


def test_plain_folder_rejects_version(ks_registry: Path):
    with pytest.raises(UsageError, match="not a git repository"):
        parse_source(str(ks_registry), version="v1")


def test_missing_folder_is_one_line_error(tmp_path: Path):
    with pytest.raises(KfctlError, match="does not exist"):
        parse_source(str(tmp_path / "nope"))


def test_unknown_form():
    with pytest.raises(UsageError, match="cannot tell"):
        parse_source("not a uri at all")
