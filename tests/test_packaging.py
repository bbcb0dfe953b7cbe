"""The wheel carries the data folders (pip install ., not only editable installs)."""

from __future__ import annotations

import subprocess
import sys
import zipfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def test_wheel_contains_data_folders(tmp_path):
    subprocess.run([sys.executable, "-m", "pip", "wheel", str(ROOT), "--no-deps", "--no-build-isolation",
                    "-q", "-w", str(tmp_path)], check=True, capture_output=True)
    (wheel,) = tmp_path.glob("kfctl-*.whl")
    names = set(zipfile.ZipFile(wheel).namelist())
    for rel in ("prototypes/deployed-service.jsonnet", "registry/registry.yaml", "registry/core/parts.yaml",
                "registry/tf-job/prototypes/tf-job.jsonnet", "envs/gke.yaml", "envs/on-prem.yaml"):
        assert f"kfctl/_data/{rel}" in names, rel
    assert "kfctl/cli/main.py" in names and "kfctl/ksonnetlib/defs/v1.8.json.gz" in names
    entry = [n for n in names if n.endswith("entry_points.txt")]
    text = zipfile.ZipFile(wheel).read(entry[0]).decode()
    assert "kfctl = kfctl.cli.main:run" in text
