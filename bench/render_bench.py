#!/usr/bin/env python3
"""Render benchmark (issue: rendering): a generated app of N components of mixed prototypes.

For each engine it measures
  * ``kfctl show ENV --engine E`` end to end (a subprocess, start-up included), and
  * the bare engine evaluating the very same entry snippet in-process (no kfctl pipeline),
and the default path (rjsonnet with gojsonnet fallback).  Prints a markdown table.

    .venv/bin/python bench/render_bench.py [--components 500] [--repeat 3] [--engines rjsonnet,gojsonnet,jsonnet]
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

SERVER = "https://bench.example:6443"


def make_app(base: Path, n: int) -> Path:
    """An app of n components: deployed-service, configmap-like and raw jsonnet components."""
    from kfctl.app.app import App
    from kfctl.app.environments import Destination, init_app
    from kfctl.ops.generate import add_from_prototype as generate
    from kfctl.registry.index import PrototypeIndex

    app = init_app("bench", base / "bench", Destination(SERVER, "bench", None), env_name="dev",
                   skip_default_registries=True)
    index = PrototypeIndex(app.root)
    ds = index.find("deployed-service")
    comps = app.components_dir
    params_lines = []
    for i in range(n):
        kind = i % 3
        name = f"c{i:04d}"
        if kind == 0:
            generate(app, ds, name, {"image": f"nginx:1.{i % 30}", "replicas": str(1 + i % 4)})
        elif kind == 1:
            (comps / f"{name}.jsonnet").write_text(
                'local env = std.extVar("__ksonnet/environments");\n'
                f'local params = std.extVar("__ksonnet/params").components.{name};\n'
                '{ apiVersion: "v1", kind: "ConfigMap", metadata: { name: params.name, namespace: env.namespace },\n'
                '  data: { ["key%d" % i]: "value-%s-%d" % [params.name, i] for i in std.range(1, params.keys) } }\n')
            params_lines.append(f"    {name}: {{ name: \"{name}\", keys: {5 + i % 10} }},\n")
        else:
            (comps / f"{name}.jsonnet").write_text(
                f'local params = std.extVar("__ksonnet/params").components.{name};\n'
                '[{ apiVersion: "batch/v1", kind: "Job", metadata: { name: params.name },\n'
                '   spec: { template: { spec: { restartPolicy: "Never", containers: [\n'
                '     { name: "main", image: params.image, args: std.map(function(a) "--%s=%s" % [a, params.name],'
                ' ["alpha", "beta", "gamma"]) } ] } } } }]\n')
            params_lines.append(f"    {name}: {{ name: \"{name}\", image: \"busybox:{i % 7}\" }},\n")
    p = comps / "params.libsonnet"
    text = p.read_text()
    idx = text.rindex("  },\n}")
    p.write_text(text[:idx] + "".join(params_lines) + text[idx:])
    return App(app.root).root


def bare_engine_seconds(app_root: Path, engine: str) -> float:
    """The engine alone: same snippet, jpath, ext codes, import callback; no kfctl pipeline."""
    from kfctl.app.app import App
    from kfctl.jsonnet import evaluate
    from kfctl.ops.prepare import prepare_env
    from kfctl.render.sources import build_inputs, make_import_rewriter

    app = App(app_root)
    env = app.env("dev")
    inputs = build_inputs(app, env, prepare_env(app, env))
    t = time.perf_counter()
    evaluate(inputs.snippet, filename=str(app.env_dir(env) / "<render>"), jpath=inputs.jpath,
             ext_codes=inputs.ext_codes, engine=engine, import_rewriter=make_import_rewriter(app, env))
    return time.perf_counter() - t


def pipeline_seconds(app_root: Path, engine: str) -> float:
    """kfctl's whole render pipeline in-process (evaluate, extract, namespace, labels, sort, print JSON)."""
    import io
    from contextlib import redirect_stdout

    from kfctl.app.app import App
    from kfctl.ops.render import render as render_env
    from kfctl.output.formats import emit_objects

    app = App(app_root)
    t = time.perf_counter()
    render = render_env(app, "dev", engine=engine)
    with redirect_stdout(io.StringIO()):
        emit_objects([o.obj for o in render.objects], "json")
    return time.perf_counter() - t


def show_seconds(app_root: Path, engine: str | None) -> tuple[float, int]:
    args = [sys.executable, "-m", "kfctl", "show", "dev", "-o", "json"] + (["--engine", engine] if engine else [])
    t = time.perf_counter()
    out = subprocess.run(args, cwd=app_root, capture_output=True, text=True, check=True,
                         env={**os.environ, "NO_COLOR": "1"}).stdout
    return time.perf_counter() - t, len(json.loads(out)["items"])


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--components", type=int, default=500)
    ap.add_argument("--repeat", type=int, default=3)
    ap.add_argument("--engines", default="rjsonnet,gojsonnet,jsonnet")
    a = ap.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        os.environ["XDG_CACHE_HOME"] = str(Path(tmp) / "cache")
        root = make_app(Path(tmp), a.components)
        rows = []
        for engine in a.engines.split(",") + ["default"]:
            eng = None if engine == "default" else engine
            reps = 1 if engine == "jsonnet" else a.repeat
            show_t, count = zip(*(show_seconds(root, eng) for _ in range(reps)))
            bare_t = [bare_engine_seconds(root, engine) for _ in range(reps)]
            pipe_t = [pipeline_seconds(root, engine) for _ in range(reps)]
            s, b, p = statistics.median(show_t), statistics.median(bare_t), statistics.median(pipe_t)
            rows.append((engine, count[0], s, p, b, p / b))
        print(f"\n{a.components} components, median of {a.repeat} runs (C++ jsonnet: 1 run)\n")
        print("| engine | objects | `kfctl show` process (s) | render pipeline in-process (s) | bare engine (s) "
              "| pipeline / bare |")
        print("|---|---|---|---|---|---|")
        for engine, count, s, p, b, r in rows:
            print(f"| {engine} | {count} | {s:.2f} | {p:.3f} | {b:.3f} | {r:.2f} |")
        go = next(r for r in rows if r[0] == "gojsonnet")
        de = next(r for r in rows if r[0] == "default")
        print(f"\ndefault `kfctl show` vs bare gojsonnet: {go[4] / de[2]:.1f}x faster; "
              f"default pipeline vs bare gojsonnet: {go[4] / de[3]:.1f}x faster")


if __name__ == "__main__":
    main()
