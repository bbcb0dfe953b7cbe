#!/usr/bin/env python3
"""Apply benchmark: N objects applied to the API server emulator by kfctl and by
`kubectl apply --server-side`, first apply and re-apply with no changes.

    .venv/bin/python bench/apply_bench.py [--objects 1000]
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--objects", type=int, default=1000)
    a = ap.parse_args()
    from tests.emulator.emulator import Emulator

    kubectl = Path(sys.executable).parent / "kubectl"
    with tempfile.TemporaryDirectory() as tmp:
        tmp = Path(tmp)
        results = {}
        for tool in ("kfctl", "kubectl"):
            emu = Emulator().start()
            try:
                kc = emu.kubeconfig(tmp / f"kc-{tool}", context="emu", namespace="bench")
                env = {**os.environ, "KUBECONFIG": str(kc), "NO_COLOR": "1", "XDG_CACHE_HOME": str(tmp / "cache")}
                app = tmp / f"app-{tool}"
                subprocess.run([sys.executable, "-m", "kfctl", "init", "bench", "--dir", str(app), "--context", "emu",
                                "--skip-default-registries"], env=env, check=True, capture_output=True)
                n = a.objects
                comp = ('[{ apiVersion: "v1", kind: "ConfigMap", metadata: { name: "cm-%04d" % i },'
                        ' data: { index: std.toString(i), payload: std.repeat("x", 64) } } for i in std.range(1, N)]'
                        ).replace("N", str(n))
                (app / "components" / "many.jsonnet").write_text(comp)
                if tool == "kubectl":
                    emu.create({"apiVersion": "v1", "kind": "Namespace", "metadata": {"name": "bench"}})
                    out = subprocess.run([sys.executable, "-m", "kfctl", "show", "default"], cwd=app, env=env,
                                         check=True, capture_output=True, text=True).stdout
                    manifest = tmp / "manifest.yaml"
                    manifest.write_text(out)
                    cmd = [str(kubectl), "apply", "--server-side", "--field-manager", "kubectl-bench", "-f",
                           str(manifest)]
                else:
                    cmd = [sys.executable, "-m", "kfctl", "apply", "default", "--yes", "-o", "json"]
                times = []
                for _ in range(2):
                    t = time.perf_counter()
                    subprocess.run(cmd, cwd=app, env=env, check=True, capture_output=True)
                    times.append(time.perf_counter() - t)
                count = len(emu.objects("ConfigMap", "bench"))
                results[tool] = (times, count)
            finally:
                emu.stop()
        print(f"\n{a.objects} ConfigMaps, API server emulator on loopback (2 cores)\n")
        print("| tool | first apply (s) | re-apply, no changes (s) | objects on server |")
        print("|---|---|---|---|")
        for tool, (times, count) in results.items():
            print(f"| {tool} | {times[0]:.2f} | {times[1]:.2f} | {count} |")
        kf, kc = results["kfctl"][0], results["kubectl"][0]
        print(f"\nkfctl / kubectl: first apply {kf[0] / kc[0]:.2f}x, re-apply {kf[1] / kc[1]:.2f}x "
              "(kfctl's times include rendering and discovery)")


if __name__ == "__main__":
    main()
