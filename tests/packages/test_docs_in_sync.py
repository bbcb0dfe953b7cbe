"""docs/prototypes.md is generated from the prototype headers and must match them."""

from __future__ import annotations

import importlib.util
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def _generator():
    spec = importlib.util.spec_from_file_location("gen_prototype_docs", ROOT / "scripts" / "gen_prototype_docs.py")
    mod = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(mod)
    return mod


def test_prototypes_doc_is_in_sync():
    text = _generator().generate()
    current = (ROOT / "docs" / "prototypes.md").read_text(encoding="utf-8")
    assert current == text, "docs/prototypes.md is out of date: run scripts/gen_prototype_docs.py"


def test_doc_lists_every_prototype_with_its_params_and_count():
    gen = _generator()
    text = gen.generate()
    from kfctl.registry.prototype import parse_prototype

    for _, path in gen.prototype_files():
        proto = parse_prototype(path)
        section = text.split(f"### `{proto.name}`", 1)[1].split("\n### ", 1)[0]
        for p in proto.params:
            assert f"| `{p.name}` | {p.type} |" in section, (proto.name, p.name)
    core = text.split("### `io.ksonnet.pkg.kubeflow-core`", 1)[1].split("\n### ", 1)[0]
    assert "| objects | 69 (" in core
