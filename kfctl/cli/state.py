"""Global options shared by every command (set by the root callback)."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path


@dataclass
class State:
    app_dir: Path | None = None
    verbose: int = 0
    color: bool | None = None

    def app(self):
        from kfctl.app.app import App

        return App.load(self.app_dir)


STATE = State()

# Shared option help texts
OUTPUT_HELP = "Output format: table, json or yaml."
ENGINE_HELP = "jsonnet engine: rjsonnet, gojsonnet or jsonnet (default: rjsonnet, falling back to gojsonnet)."
