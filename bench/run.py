#!/usr/bin/env python3
"""Run every benchmark (`make bench`). Results go to stdout; copy them into docs/performance.md."""

import runpy
import sys
from pathlib import Path

HERE = Path(__file__).parent
for script in sorted(HERE.glob("*_bench.py")):
    print(f"\n## {script.stem}\n", flush=True)
    sys.argv = [str(script)]
    runpy.run_path(str(script), run_name="__main__")
