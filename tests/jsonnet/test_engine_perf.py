"""The engine-side performance work keeps semantics: ext codes evaluated once on rjsonnet, the evaluation
thread's garbage swept before the next evaluation, no collector passes while rendering."""

from __future__ import annotations

import gc

import pytest

from kfctl.jsonnet import engines, evaluate
from kfctl.jsonnet import natives as natives_mod


@pytest.fixture
def counting_native(monkeypatch):
    calls = []

    def count(tag):
        calls.append(tag)
        return {"n": len(calls)}

    monkeypatch.setitem(natives_mod.NATIVES, "count", (("tag",), count))
    return calls


@pytest.mark.parametrize("engine", ["rjsonnet", "gojsonnet"])
def test_a_code_ext_var_is_evaluated_once_however_often_it_is_read(engine, counting_native):
    """rjsonnet re-evaluates a code ext var on every std.extVar; kfctl serves it as an import (once)."""
    got = evaluate('[std.extVar("c").n for i in std.range(1, 200)]',
                   ext_codes={"c": 'std.native("count")("x")'}, engine=engine)
    assert got == [1] * 200
    assert counting_native == ["x"]


def test_ext_var_errors_still_name_the_ext_var():
    from kfctl.jsonnet.errors import JsonnetError

    with pytest.raises(JsonnetError) as exc:
        evaluate('std.extVar("c").a', ext_codes={"c": '{a: error "boom"}'}, engine="rjsonnet")
    assert "boom" in str(exc.value) and "<extvar:c>" in exc.value.raw


def test_rjsonnet_skips_its_sweep_and_the_next_evaluation_does_it(monkeypatch):
    import rjsonnet

    sweeps, flags = [], []
    real_gc, real_eval = rjsonnet.gc, rjsonnet.evaluate_snippet
    monkeypatch.setattr(rjsonnet, "gc", lambda: (sweeps.append(1), real_gc())[1])

    def spy(*args, **kwargs):
        flags.append(kwargs.get("gc", True))
        return real_eval(*args, **kwargs)

    monkeypatch.setattr(rjsonnet, "evaluate_snippet", spy)
    monkeypatch.setattr(engines._worker, "dirty", False)
    assert evaluate("{a: [1, 2]}", engine="rjsonnet") == {"a": [1, 2]}
    assert (flags, sweeps) == ([False], [])  # on the evaluation thread: no sweep at its end
    assert evaluate("{b: 3}", engine="rjsonnet") == {"b": 3}
    assert (flags, sweeps) == ([False, False], [1])  # the first one's garbage, swept before the second
    assert engines._worker.thread is not None and engines._worker.thread.daemon
    assert engines.run_on_big_stack(lambda: engines.on_worker()) is True


def test_render_runs_without_collector_passes(app_dir, monkeypatch):
    from kfctl.app.app import App
    from kfctl.ops.prepare import prepare_env
    from kfctl.render.pipeline import render_env

    (app_dir / "components" / "many.jsonnet").write_text(
        '[{ apiVersion: "v1", kind: "ConfigMap", metadata: { name: "cm-%d" % i }, data: { k: "v" } } '
        'for i in std.range(1, 3000)]')
    passes = []

    def watch(phase, info):
        if phase == "start":
            passes.append(info["generation"])

    app = App.load(app_dir)
    gc.callbacks.append(watch)
    try:
        gc.collect()
        assert passes == [2]  # the probe sees collections
        env = app.env("default")
        libs = prepare_env(app, env)
        passes.clear()
        was = gc.isenabled()
        out = render_env(app, env, libs)
        assert len(out.objects) == 3000 and passes == [] and gc.isenabled() == was
    finally:
        gc.callbacks.remove(watch)
