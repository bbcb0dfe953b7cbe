#!/usr/bin/env python3
"""Render benchmark: generated apps of N components of mixed prototypes, `kfctl show` against the bare engines.

Rows (docs/performance.md, issue 17's table):
  * `kfctl show` (default engine, the whole process) of 500 components vs bare gojsonnet evaluating the
    same entry (goal: >= 4.5x faster);
  * `kfctl show` of 2,000 components vs bare rjsonnet (goal: <= 1.1x), and the fixed overhead, the
    intercept of show - bare over N = 100 and 2,000 (goal: <= 0.12 s);
  * an env whose params.libsonnet only passes the ext code through: `kfctl show` at 500 and 2,000 components (linear).

"Bare engine" = the engine's own evaluate_snippet on the same snippet, ext codes and import callback
with its default settings, timed inside a fresh process (bench/bare_engine.py), start-up excluded.
Rounds interleave the commands (A B A B ...); medians of wall clock and of CPU time.

    .venv/bin/python bench/render_bench.py [--repeat 5] [--sizes 100,500,2000]
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from _common import ROOT, env_with, kfctl_cmd, machine, run_once  # noqa: E402

sys.path.insert(0, str(ROOT))
SERVER = "https://bench.example:6443"
CONFIGMAP = ('local env = std.extVar("__ksonnet/environments");\n'
             'local params = std.extVar("__ksonnet/params").components.{name};\n'
             '{{ apiVersion: "v1", kind: "ConfigMap", metadata: {{ name: params.name, namespace: env.namespace }},\n'
             '  data: {{ ["key%d" % i]: "value-%s-%d" % [params.name, i] for i in std.range(1, params.keys) }} }}\n')
JOB = ('local params = std.extVar("__ksonnet/params").components.{name};\n'
       '[{{ apiVersion: "batch/v1", kind: "Job", metadata: {{ name: params.name }},\n'
       '   spec: {{ template: {{ spec: {{ restartPolicy: "Never", containers: [\n'
       '     {{ name: "main", image: params.image, args: std.map(function(a) "--%s=%s" % [a, params.name],'
       ' ["alpha", "beta", "gamma"]) }} ] }} }} }} }}]\n')


def make_app(base: Path, n: int) -> Path:
    """n components, 4 objects per 3: a third `deployed-service` from `kfctl generate` (the first is
    generated, the rest copied with their params), a third ConfigMaps built with comprehensions and
    `%` formatting, a third Jobs built with std.map."""
    from kfctl.app.app import App
    from kfctl.app.environments import Destination, init_app
    from kfctl.ops.generate import add_from_prototype as generate
    from kfctl.registry.index import PrototypeIndex

    app = init_app("bench", base / "bench", Destination(SERVER, "bench", None), env_name="dev",
                   skip_default_registries=True)
    comps = app.components_dir
    generate(app, PrototypeIndex(app.root).find("deployed-service"), "c0000", {"image": "nginx:1.0", "replicas": "1"})
    template = (comps / "c0000.jsonnet").read_text()
    lines = []
    for i in range(1, n):
        name = f"c{i:04d}"
        if i % 3 == 0:
            (comps / f"{name}.jsonnet").write_text(template.replace("c0000", name))
            lines.append(f'    {name}: {{ containerPort: 80, image: "nginx:1.{i % 30}", name: "{name}", '
                         f'replicas: {1 + i % 4}, servicePort: 80, type: "ClusterIP" }},\n')
        elif i % 3 == 1:
            (comps / f"{name}.jsonnet").write_text(CONFIGMAP.format(name=name))
            lines.append(f'    {name}: {{ name: "{name}", keys: {5 + i % 10} }},\n')
        else:
            (comps / f"{name}.jsonnet").write_text(JOB.format(name=name))
            lines.append(f'    {name}: {{ name: "{name}", image: "busybox:{i % 7}" }},\n')
    p = comps / "params.libsonnet"
    text = p.read_text()
    idx = text.rindex("  },\n}")
    p.write_text(text[:idx] + "".join(lines) + text[idx:])
    return App(app.root).root


def bare(app: Path, engine: str, env: dict) -> tuple[float, float]:
    """(wall, CPU) seconds of the bare evaluation."""
    out = subprocess.run([sys.executable, str(ROOT / "bench" / "bare_engine.py"), str(app), "dev", engine],
                         env=env, capture_output=True, text=True, check=True).stdout.split()
    return float(out[0]), float(out[1])


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--repeat", type=int, default=5)
    ap.add_argument("--sizes", default="100,500,2000")
    a = ap.parse_args()
    sizes = [int(s) for s in a.sizes.split(",")]
    header = machine()
    with tempfile.TemporaryDirectory() as tmp:
        env = env_with(XDG_CACHE_HOME=str(Path(tmp) / "cache"))
        os.environ["XDG_CACHE_HOME"] = env["XDG_CACHE_HOME"]
        apps = {n: make_app(Path(tmp) / f"n{n}", n) for n in sizes}
        noparams = {}
        for n in sizes:
            if n >= 500:
                dst = Path(tmp) / f"np{n}"
                shutil.copytree(apps[n], dst / "bench", symlinks=True)
                # (an env without params.libsonnet is refused since issue 11: this one only passes the
                # component params through, so every component reads the computed ext code)
                (dst / "bench" / "environments" / "dev" / "params.libsonnet").write_text(
                    'std.extVar("__ksonnet/params")\n')
                noparams[n] = dst / "bench"
        show = kfctl_cmd("show", "dev", "-o", "json")
        res: dict[tuple, list[float]] = {}
        counts = {}
        for n, app in apps.items():
            counts[n] = len(json.loads(subprocess.run(show, cwd=app, env=env, capture_output=True, text=True,
                                                      check=True).stdout)["items"])
        for r in range(a.repeat + 1):  # round 0 warms caches
            for n, app in apps.items():
                wall, cpu = run_once(show, cwd=app, env=env)
                rj = bare(app, "rjsonnet", env)
                go = bare(app, "gojsonnet", env) if n == 500 else None
                if r:
                    res.setdefault(("show", n), []).append(wall)
                    res.setdefault(("show-cpu", n), []).append(cpu)
                    res.setdefault(("rjsonnet", n), []).append(rj[0])
                    res.setdefault(("rjsonnet-cpu", n), []).append(rj[1])
                    if go is not None:
                        res.setdefault(("gojsonnet", n), []).append(go[0])
                        res.setdefault(("gojsonnet-cpu", n), []).append(go[1])
            for n, app in noparams.items():
                wall, cpu = run_once(show, cwd=app, env=env)
                if r:
                    res.setdefault(("noparams", n), []).append(wall)
    med = {k: statistics.median(v) for k, v in res.items()}
    print(f"\nRender, generated apps, median of {a.repeat} interleaved rounds; {header}\n")
    print("| components | objects | `kfctl show -o json` process, wall / CPU (s) | bare rjsonnet eval, wall / CPU (s) "
          "| show / bare rjsonnet, wall / CPU | bare gojsonnet eval, wall / CPU (s) |")
    print("|---|---|---|---|---|---|")
    for n in sizes:
        go = (f"{med[('gojsonnet', n)]:.3f} / {med[('gojsonnet-cpu', n)]:.3f}" if ("gojsonnet", n) in med else "")
        print(f"| {n} | {counts[n]} | {med[('show', n)]:.3f} / {med[('show-cpu', n)]:.3f} | "
              f"{med[('rjsonnet', n)]:.3f} / {med[('rjsonnet-cpu', n)]:.3f} | "
              f"{med[('show', n)] / med[('rjsonnet', n)]:.2f} / {med[('show-cpu', n)] / med[('rjsonnet-cpu', n)]:.2f} | {go} |")
    if 500 in sizes:
        print(f"\n* `kfctl show` of 500 components vs bare gojsonnet: **{med[('gojsonnet', 500)] / med[('show', 500)]:.2f}x"
              f" faster** wall clock, {med[('gojsonnet-cpu', 500)] / med[('show-cpu', 500)]:.2f}x CPU (goal >= 4.5x)")
    if 2000 in sizes and len(sizes) > 1:
        lo = min(sizes)
        for label, s_key, b_key in (("wall clock", "show", "rjsonnet"), ("CPU", "show-cpu", "rjsonnet-cpu")):
            over_lo = med[(s_key, lo)] - med[(b_key, lo)]
            over_hi = med[(s_key, 2000)] - med[(b_key, 2000)]
            per = (over_hi - over_lo) / (2000 - lo)
            fixed = over_lo - per * lo
            print(f"* `kfctl show` of 2,000 components vs bare rjsonnet ({label}): "
                  f"**{med[(s_key, 2000)] / med[(b_key, 2000)]:.2f}x** (goal <= 1.1x); overhead {fixed:.3f} s fixed + "
                  f"{per * 1000:.3f} ms/component (goal <= 0.12 s fixed)")
    if noparams:
        cells = ", ".join(f"{n}: {med[('noparams', n)]:.3f} s" for n in noparams)
        print(f"* env whose params.libsonnet only passes the ext code through (ext codes as imports): `kfctl show` {cells}")


if __name__ == "__main__":
    main()
