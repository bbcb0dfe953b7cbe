"""A Kubernetes API server emulator for kfctl's cluster tests (no real cluster on the test machines).

    from tests.emulator import start_emulator
    emu = start_emulator()            # http://127.0.0.1:<random port>, fresh state
    kc = emu.kubeconfig(tmp_path / "kubeconfig", namespace="demo")
    ...
    emu.stop()

Pytest fixtures live in tests/emulator/fixture.py (`emulator`, `emulator_module`, `emulator_factory`).
See docs/testing.md for the behaviour it emulates and the knobs.
"""

from .emulator import Emulator, start_emulator
from .errors import ApiError
from .knobs import Fault, RecordedRequest

__all__ = ["ApiError", "Emulator", "Fault", "RecordedRequest", "start_emulator"]
