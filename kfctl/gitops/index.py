"""The export index: ``.kfctl-export.json`` in the export directory.

It records, for every file kfctl exported there, which env and component produced it, the object
it holds and the sha256 of its content, plus per-env export settings (the file name template), so
later exports can replace exactly their own files and ``kfctl diff`` can recompute the same names.
Written with sorted keys and no timestamps: the same export gives the same bytes.

Format (``apiVersion: kfctl.dev/v1alpha1``, ``kind: ExportIndex``)::

    {"apiVersion": "kfctl.dev/v1alpha1", "kind": "ExportIndex",
     "envs": {"<env>": {"app": "<app>", "format": "<template>", "kustomization": false}},
     "files": {"<relative path>": {"env": ..., "component": ..., "apiVersion": ..., "kind": ...,
                                   "namespace": ... | null, "name": ..., "sha256": ...}}}
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from kfctl.errors import KfctlError

INDEX_FILE = ".kfctl-export.json"
INDEX_API_VERSION = "kfctl.dev/v1alpha1"
INDEX_KIND = "ExportIndex"


@dataclass
class ExportIndex:
    envs: dict[str, dict[str, Any]] = field(default_factory=dict)
    files: dict[str, dict[str, Any]] = field(default_factory=dict)

    def files_of(self, env: str) -> dict[str, dict[str, Any]]:
        return {p: e for p, e in self.files.items() if e.get("env") == env}

    def to_dict(self) -> dict[str, Any]:
        return {"apiVersion": INDEX_API_VERSION, "kind": INDEX_KIND,
                "envs": dict(sorted(self.envs.items())), "files": dict(sorted(self.files.items()))}

    def dumps(self) -> str:
        return json.dumps(self.to_dict(), indent=2, sort_keys=True, ensure_ascii=False) + "\n"


def load_index(directory: Path) -> ExportIndex:
    path = Path(directory) / INDEX_FILE
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        return ExportIndex()
    except OSError as exc:
        raise KfctlError(f"{path}: cannot read export index: {exc.strerror}") from None
    try:
        data = json.loads(text)
    except ValueError as exc:
        raise KfctlError(f"{path}: malformed export index: {exc}",
                         hint="remove it only if no kfctl export lives in this directory") from None
    if not isinstance(data, dict) or data.get("kind") != INDEX_KIND or not isinstance(data.get("files", {}), dict):
        raise KfctlError(f"{path}: not a kfctl export index (kind {INDEX_KIND} expected)")
    files = {str(k): dict(v) for k, v in (data.get("files") or {}).items() if isinstance(v, dict)}
    envs = {str(k): dict(v) for k, v in (data.get("envs") or {}).items() if isinstance(v, dict)}
    return ExportIndex(envs=envs, files=files)
