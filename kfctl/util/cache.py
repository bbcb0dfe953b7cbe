"""kfctl's folder in the user cache: ``$XDG_CACHE_HOME/kfctl`` (default ``~/.cache/kfctl``)."""

from __future__ import annotations

import os
from pathlib import Path


def cache_root() -> Path:
    return Path(os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache") / "kfctl"
