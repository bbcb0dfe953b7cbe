"""Shared fixtures of the kfctl.kube tests."""

from __future__ import annotations

import pytest

from kfctl.app.app import Environment
from kfctl.kube.client import connect
from tests.emulator.gates import NS


@pytest.fixture
def emu_kube(emulator, tmp_path):
    """A kfctl client of the test's emulator (context 'emu', namespace NS of tests.emulator.gates), with
    a short retry back-off."""
    kc = emulator.kubeconfig(tmp_path / "kc", context="emu", namespace=NS)
    k = connect(Environment("dev", namespace=NS, context="emu"), kubeconfig=str(kc))
    k.backoff = 0.01
    yield k
    k.close()
