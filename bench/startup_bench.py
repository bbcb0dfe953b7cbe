#!/usr/bin/env python3
"""Start-up: `kfctl --version`, `--help` and `env list` (in a fresh app), paired with a bare `python -c pass`;
`--help` as served from its cache (the warm-up run fills it) and as typer renders it (the first run for a key).

    .venv/bin/python bench/startup_bench.py [--repeat 21] [--instructions]

Medians of interleaved runs; CPU is the child's user+sys time (steadier than wall clock on a busy
machine); --instructions adds valgrind's instruction counts (one run each, exact and load-free).
"""

from __future__ import annotations

import argparse
import subprocess
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from _common import env_with, instructions, kfctl_cmd, machine, paired  # noqa: E402

GOALS = {"--version": 0.08, "--help": 0.15, "env list": 0.15}


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--repeat", type=int, default=21)
    ap.add_argument("--instructions", action="store_true")
    a = ap.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        app = Path(tmp) / "app"
        env = env_with(KUBECONFIG=str(Path(tmp) / "none"), COLUMNS="100", XDG_CACHE_HOME=str(Path(tmp) / "cache"))
        subprocess.run(kfctl_cmd("init", "app", "--dir", str(app), "--server", "https://k8s.example:6443",
                                 "--skip-default-registries"), env=env, check=True, capture_output=True)
        cmds = {"python -c pass": [sys.executable, "-c", "pass"],
                "--version": kfctl_cmd("--version"), "--help": kfctl_cmd("--help"),
                "env list": kfctl_cmd("env", "list"),
                # the first --help for a key (after an install, an upgrade, another terminal size): typer
                # renders it, as every --help did before the cache (kfctl.cli.helpcache)
                "--help, uncached": kfctl_cmd("--help")}
        envs = {"--help, uncached": {**env, "KFCTL_NO_HELP_CACHE": "1"}}
        res = paired(cmds, a.repeat, cwd=app, env=env, envs=envs)
        counts = {n: instructions(c, cwd=app, env=envs.get(n, env), warm=n == "--help")
                  for n, c in cmds.items()} if a.instructions else {}
    print(f"\nStart-up, median of {a.repeat} interleaved runs; {machine()}\n")
    print("| command | wall (s) | CPU (s) | goal (s) | CPU / goal |" + (" instructions |" if counts else ""))
    print("|---|---|---|---|---|" + ("---|" if counts else ""))
    for name, s in res.items():
        goal = GOALS.get(name)
        cmd, _, note = name.partition(", ")
        label = f"`{cmd}`" if name == "python -c pass" else f"`kfctl {cmd}`" + (f" ({note})" if note else "")
        row = (f"| {label} | {s.wall_median:.3f} | {s.cpu_median:.3f} | "
               f"{goal if goal else ''} | {f'{s.cpu_median / goal:.2f}' if goal else ''} |")
        if counts:
            row += f" {counts[name] / 1e6:.0f} M |" if counts[name] else " |"
        print(row)


if __name__ == "__main__":
    main()
