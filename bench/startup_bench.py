#!/usr/bin/env python3
"""Start-up time of `kfctl --help` and `kfctl --version` (median of N runs, wall clock)."""

from __future__ import annotations

import statistics
import subprocess
import sys
import time
from pathlib import Path

BIN = Path(sys.executable).parent / "kfctl"


def measure(args: list[str], n: int = 15) -> float:
    times = []
    for _ in range(n):
        t = time.perf_counter()
        subprocess.run([str(BIN), *args], capture_output=True, check=True)
        times.append(time.perf_counter() - t)
    return statistics.median(times)


if __name__ == "__main__":
    for args in (["--help"], ["--version"], ["env", "--help"]):
        print(f"kfctl {' '.join(args)}: {measure(args) * 1000:.0f} ms (median of 15)")
