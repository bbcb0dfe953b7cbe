"""Tree hashes: stable over file order and mtimes, sensitive to content, names and the x bit."""

from __future__ import annotations

import os
from pathlib import Path

from kfctl.registry.lock import diff_files, read_lock, render_lock, tree_files, tree_hash


def _tree(root: Path, files: dict[str, str]) -> Path:
    for rel, text in files.items():
        p = root / rel
        p.parent.mkdir(parents=True, exist_ok=True)
        p.write_text(text)
    return root


def test_hash_independent_of_creation_order_and_mtime(tmp_path: Path):
    a = _tree(tmp_path / "a", {"x.libsonnet": "1", "prototypes/p.jsonnet": "2", "README.md": "3"})
    b = _tree(tmp_path / "b", {"README.md": "3", "prototypes/p.jsonnet": "2", "x.libsonnet": "1"})
    os.utime(b / "README.md", (1, 1))
    assert tree_hash(tree_files(a)) == tree_hash(tree_files(b))


def test_hash_changes_with_content_name_and_mode(tmp_path: Path):
    a = _tree(tmp_path / "a", {"x.libsonnet": "1"})
    h0 = tree_hash(tree_files(a))
    (a / "x.libsonnet").write_text("2")
    h1 = tree_hash(tree_files(a))
    (a / "x.libsonnet").rename(a / "y.libsonnet")
    h2 = tree_hash(tree_files(a))
    (a / "y.libsonnet").chmod(0o755)
    h3 = tree_hash(tree_files(a))
    assert len({h0, h1, h2, h3}) == 4


def test_diff_names_changes():
    assert diff_files({"a": "1", "b": "2", "c": "3"}, {"a": "1", "b": "9", "d": "4"}) == [
        ("modified", "b"), ("removed", "c"), ("added", "d")]


def test_lock_text_is_deterministic(tmp_path: Path):
    data = read_lock(tmp_path)
    data["packages"]["z/b"] = {"version": "1", "files": {"b": "2", "a": "1"}}
    data["packages"]["a/a"] = {"version": "2"}
    text = render_lock(data)
    assert text == render_lock(dict(reversed(list(data.items()))))
    assert text.index('"a/a"') < text.index('"z/b"') and text.endswith("}\n")
