"""Shared helpers of the benchmarks: paired, interleaved runs (A/B/A/B...) of whole processes, medians of
wall-clock and CPU time (user+sys of the child, less sensitive to other load), optional instruction
counts (valgrind), and a line naming the machine and its load."""

from __future__ import annotations

import os
import platform
import re
import resource
import shutil
import statistics
import subprocess
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
BIN = Path(sys.executable).parent


def ensure_bytecode() -> None:
    """Compile kfctl's modules (as pip does at install) so every measured run loads bytecode: with
    PYTHONDONTWRITEBYTECODE set (this machine's sessions set it) a source checkout would otherwise
    compile ~30 modules in every process (~0.1 s of an apply)."""
    import compileall

    for package in ("kfctl", "tests/emulator"):
        compileall.compile_dir(str(ROOT / package), quiet=1)


ensure_bytecode()


@dataclass
class Sample:
    wall: list[float] = field(default_factory=list)
    cpu: list[float] = field(default_factory=list)

    @property
    def wall_median(self) -> float:
        return statistics.median(self.wall)

    @property
    def cpu_median(self) -> float:
        return statistics.median(self.cpu)


def run_once(cmd: list[str], *, cwd=None, env=None, stdout=subprocess.DEVNULL) -> tuple[float, float]:
    """(wall seconds, CPU seconds of the child) of one run; raises if it fails."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    t = time.perf_counter()
    proc = subprocess.run(cmd, cwd=cwd, env=env, stdout=stdout, stderr=subprocess.PIPE)
    wall = time.perf_counter() - t
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    if proc.returncode != 0:
        raise RuntimeError(f"{' '.join(map(str, cmd))} failed ({proc.returncode}): {proc.stderr.decode()[-2000:]}")
    return wall, (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)


def paired(cmds: dict[str, list[str]], repeat: int, *, cwd=None, env=None, warmup: int = 1,
           envs: dict[str, dict] | None = None) -> dict[str, Sample]:
    """Run every command once per round, rounds interleaved (A B A B ...), after ``warmup`` rounds
    (``envs``: the environment of some commands, by name, instead of ``env``)."""
    out = {name: Sample() for name in cmds}
    for i in range(warmup + repeat):
        for name, cmd in cmds.items():
            wall, cpu = run_once(cmd, cwd=cwd, env=(envs or {}).get(name, env))
            if i >= warmup:
                out[name].wall.append(wall)
                out[name].cpu.append(cpu)
    return out


def instructions(cmd: list[str], *, cwd=None, env=None, warm: bool = False) -> int | None:
    """Instructions the process executes (valgrind's cachegrind, without cache simulation), or None;
    ``warm``: of a second run (valgrind's environment is another cache key than the timed runs')."""
    if not shutil.which("valgrind"):
        return None
    if warm:
        instructions(cmd, cwd=cwd, env=env)
    proc = subprocess.run(["valgrind", "--tool=cachegrind", "--cache-sim=no", "--cachegrind-out-file=/dev/null", *cmd],
                          cwd=cwd, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
    m = re.search(r"I\s+refs:\s+([\d,]+)", proc.stderr)
    return int(m.group(1).replace(",", "")) if m else None


def machine() -> str:
    load = os.getloadavg()
    return (f"{platform.machine()}, {os.cpu_count()} cores, Python {platform.python_version()}, "
            f"load average {load[0]:.1f} / {load[1]:.1f} / {load[2]:.1f} (1/5/15 min) at the start")


def kfctl_cmd(*args: str) -> list[str]:
    return [str(BIN / "kfctl"), *args]


def env_with(**extra: str) -> dict:
    return {**os.environ, "NO_COLOR": "1", **extra}


def fmt(seconds: float) -> str:
    return f"{seconds:.3f}" if seconds < 1 else f"{seconds:.2f}"
