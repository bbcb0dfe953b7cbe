"""The layers of kfctl: docs/architecture.md agrees with the import-linter contract in pyproject.toml,
every package is in a layer, no module below cli/ prints, no module is over 400 lines.
(The contract itself is checked by `lint-imports`, which `make test` runs first.)"""

from __future__ import annotations

import ast
import re
import tomllib
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PKG = ROOT / "kfctl"


def _contract_layers() -> list[list[str]]:
    config = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["tool"]["importlinter"]
    (layers,) = [c for c in config["contracts"] if c["type"] == "layers"]
    assert layers["containers"] == ["kfctl"]
    return [[name.strip() for name in row.split("|")] for row in layers["layers"]]


def _doc_layers() -> list[list[str]]:
    text = (ROOT / "docs/architecture.md").read_text(encoding="utf-8")
    table = text.split("<!-- layers:begin -->", 1)[1].split("<!-- layers:end -->", 1)[0]
    rows = [line for line in table.strip().splitlines()[2:]]
    return [re.findall(r"`([a-z_]+)`", row.split(" | ", 1)[0]) for row in rows]


def test_docs_table_lists_the_contracts_layers_in_order():
    assert _doc_layers() == _contract_layers()


def test_every_package_of_kfctl_is_in_a_layer():
    layered = {name for row in _contract_layers() for name in row}
    packages = {p.parent.name for p in PKG.glob("*/__init__.py")} | {
        p.stem for p in PKG.glob("*.py") if p.stem not in ("__init__", "__main__")}
    assert packages == layered


def _modules_below_cli():
    for path in sorted(PKG.rglob("*.py")):
        rel = path.relative_to(PKG)
        if rel.parts[0] not in ("cli", "output") and rel.name != "__main__.py":
            yield rel, ast.parse(path.read_text(encoding="utf-8"))


def test_only_cli_and_output_print():
    offenders = []
    for rel, tree in _modules_below_cli():
        for node in ast.walk(tree):
            if isinstance(node, ast.Call) and isinstance(node.func, ast.Name) and node.func.id in ("print", "input"):
                offenders.append(f"{rel}:{node.lineno}: {node.func.id}()")
            if isinstance(node, ast.Attribute) and node.attr in ("stdout", "stderr") and \
                    isinstance(node.value, ast.Name) and node.value.id == "sys":
                offenders.append(f"{rel}:{node.lineno}: sys.{node.attr}")
    assert offenders == []


def test_no_module_is_over_400_lines():
    sizes = {str(p.relative_to(PKG)): len(p.read_text(encoding="utf-8").splitlines()) for p in PKG.rglob("*.py")}
    assert {name: n for name, n in sizes.items() if n > 400} == {}


def test_loggers_come_from_util_logs():
    """kfctl.util.logs hands out the loggers (logging imported when first used, the console configured
    before): a module asking logging.getLogger itself could log before the console is set up."""
    allowed = {"util/logs.py", "cli/hot.py", "ksonnetlib/extract_defs.py"}  # (the console setup; a script)
    offenders = []
    for p in PKG.rglob("*.py"):
        rel = str(p.relative_to(PKG))
        for node in ast.walk(ast.parse(p.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Attribute) and node.attr == "getLogger" and rel not in allowed:
                offenders.append(f"{rel}:{node.lineno}")
    assert offenders == []
