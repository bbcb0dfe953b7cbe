"""scripts/demo.py (``make demo``): sections of steps, the emulator for the cluster part, and a
non-zero exit at the first failing step.  (The whole demo runs in ``make demo``; it takes a minute.)"""

from __future__ import annotations

import importlib.util
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def _load():
    spec = importlib.util.spec_from_file_location("kfctl_demo", ROOT / "scripts" / "demo.py")
    mod = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = mod  # dataclasses look their module up
    spec.loader.exec_module(mod)
    return mod


def test_demo_covers_the_deploy_loop_against_the_emulator():
    demo = _load()
    cluster = [s for s in demo.SECTIONS if s.cluster]
    assert "NOT a Kubernetes cluster" in cluster[0].note  # said before the first cluster step
    verbs = [step.args[0] for step in cluster[0].steps]
    for verb in ("apply", "diff", "status", "prune", "delete"):
        assert verb in verbs


def test_demo_ends_with_the_day2_loop():
    demo = _load()
    last = demo.SECTIONS[-1]
    assert last.cluster
    loop = [step.args[:1] + [a for a in step.args if a == "--revision"] for step in last.steps
            if step.args[0] in ("apply", "param", "history", "diff", "rollback")]
    assert loop == [["apply"], ["param"], ["apply"], ["history"], ["diff", "--revision"], ["rollback"], ["history"]]
    offline = [step.args[0] for s in demo.SECTIONS if not s.cluster for step in s.steps]
    for verb in ("init", "generate", "show", "diff", "validate", "export"):
        assert verb in offline


def test_demo_exits_1_at_the_first_failing_step_and_stops_the_emulator(capsys):
    demo = _load()
    started = []
    real_start = demo.Demo.start_emulator

    def start(self):
        real_start(self)
        started.append(self.emulator)

    demo.Demo.start_emulator = start
    demo.SECTIONS = [demo.Section("offline", [demo.Step("make an app", ["init", "my-ml", "--server", "http://x:1"])]),
                     demo.Section("cluster", [demo.Step("a step that fails", ["env", "describe", "nope"]),
                                              demo.Step("never run", ["env", "list"])], cluster=True)]
    assert demo.main() == 1
    out, err = capsys.readouterr()
    assert err == "\nstep failed: 'kfctl env describe nope' exited 1 (expected 0)\n"
    assert "never run" not in out and "(started kfctl's test API server emulator at http://127.0.0.1:" in out
    assert len(started) == 1 and started[0]._server is None  # stopped


def test_demo_generates_the_modern_stack_and_deploys_it_behind_real_webhooks():
    demo = _load()
    generated = {step.args[1]: step.args[2:] for s in demo.SECTIONS for step in s.steps if step.args[0] == "generate"}
    # issue 14: a PyTorchJob in a team queue; issue 15: an InferenceService and a notebook with their controllers
    assert "--queue=vision" in generated["pytorch-job"] and "team-queues" in generated
    assert {"inference-service", "kserve", "cert-manager", "notebook", "notebook-controller"} <= set(generated)
    # the emulator refuses what a webhook admits until its backend is ready: the apply waits for the gates
    assert demo.EMULATOR_KNOBS["webhooks"] is True and demo.EMULATOR_KNOBS["endpoints"] == "workloads"
