"""Pytest fixtures for the API server emulator.

Enable with `pytest_plugins = ["tests.emulator.fixture"]` (in tests/conftest.py or a test module).

- `emulator`: a fresh emulator per test (knobs via `@pytest.mark.emulator(tls=True, token="t", ...)`).
- `emulator_module`: one emulator shared by a test module (knobs via a module-level `EMULATOR_KNOBS` dict).
- `emulator_factory`: call it with knobs to start more emulators; all are stopped at teardown.
- `emulator_kubeconfig`: a kubeconfig file for `emulator` (context "emu"), with KUBECONFIG pointing at it.
A test fails if the emulator hit an internal error while serving it (so emulator bugs never pass silently).
"""

from __future__ import annotations

from pathlib import Path
from typing import Any, Callable, Iterator

import pytest

from .emulator import Emulator


def pytest_configure(config: pytest.Config) -> None:
    config.addinivalue_line("markers", "emulator(**knobs): knobs for the per-test API server emulator")


def _finish(emu: Emulator) -> None:
    errors = list(emu.errors)
    emu.stop()
    if errors:
        raise AssertionError(f"the API server emulator failed internally: {errors[0]!r}") from errors[0]


@pytest.fixture
def emulator(request: pytest.FixtureRequest) -> Iterator[Emulator]:
    marker = request.node.get_closest_marker("emulator")
    knobs = dict(marker.kwargs) if marker else {}
    emu = Emulator(**knobs).start()
    try:
        yield emu
    finally:
        _finish(emu)


@pytest.fixture(scope="module")
def emulator_module(request: pytest.FixtureRequest) -> Iterator[Emulator]:
    knobs = getattr(request.module, "EMULATOR_KNOBS", {})
    emu = Emulator(**knobs).start()
    try:
        yield emu
    finally:
        _finish(emu)


@pytest.fixture
def emulator_factory() -> Iterator[Callable[..., Emulator]]:
    started: list[Emulator] = []

    def make(**knobs: Any) -> Emulator:
        emu = Emulator(**knobs).start()
        started.append(emu)
        return emu
    try:
        yield make
    finally:
        for emu in started:
            _finish(emu)


@pytest.fixture
def emulator_kubeconfig(emulator: Emulator, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    path = emulator.kubeconfig(tmp_path / "kubeconfig")
    monkeypatch.setenv("KUBECONFIG", str(path))
    return path
