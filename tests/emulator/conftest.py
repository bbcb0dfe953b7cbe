"""Fixtures for the emulator's own tests (the emulator fixtures themselves are in fixture.py)."""

from __future__ import annotations

from pathlib import Path
from typing import Callable

import pytest

from .emulator import Emulator
from .kubectl import Run, runner


@pytest.fixture
def kubectl(emulator: Emulator, tmp_path: Path) -> Callable[..., Run]:
    """Run the real kubectl against `emulator`: kubectl("get", "ns") -> Run(code, out, err)."""
    return runner(emulator, tmp_path)
