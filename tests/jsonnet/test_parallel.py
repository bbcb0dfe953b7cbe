"""A big env evaluated on two cores (kfctl.jsonnet.parallel): the same output, errors and traces as one
evaluation; every failure of the split falls back to one evaluation."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from kfctl.jsonnet import parallel
from tests.conftest import run_kfctl

N = 130  # components (the split starts at kfctl.render.pipeline.SPLIT_MIN_COMPONENTS = 100)

pytestmark = pytest.mark.skipif(not parallel.available(), reason="needs Linux and two CPUs (this machine has them)")


def component(i: int, trace: bool = False, fail: bool = False) -> str:
    value = f'std.trace("component {i}", "{i}")' if trace else f'"{i}"'
    if fail:
        value = f'error "component {i} is broken"'
    return (f'[{{ apiVersion: "v1", kind: "ConfigMap", metadata: {{ name: "cm-{i:04d}" }},\n'
            f'   data: {{ index: {value}, sum: std.toString(std.foldl(function(a, b) a + b, std.range(0, {i}), 0)) }} }}]\n')


def big_app(app: Path, *, traces: tuple[int, ...] = (), fail: tuple[int, ...] = ()) -> None:
    for i in range(N):
        (app / "components" / f"c{i:04d}.jsonnet").write_text(component(i, i in traces, i in fail))


def both(app: Path, *args: str):
    """(parallel, one evaluation) results of the same command line."""
    par = run_kfctl(*args, cwd=app)
    seq = run_kfctl(*args, cwd=app, env={parallel.ENV_VAR: "0"})
    return par, seq


def test_a_big_env_renders_the_same_on_two_cores(app_dir: Path) -> None:
    big_app(app_dir, traces=(3, 120))
    main = app_dir / "environments" / "default" / "main.jsonnet"  # fields that are not components
    main.write_text(main.read_text().rstrip() + ' + { "0-first": [{ apiVersion: "v1", kind: "ConfigMap", '
                    'metadata: { name: "extra-a" } }], "zz-last": [{ apiVersion: "v1", kind: "ConfigMap", '
                    'metadata: { name: "extra-z" } }], hidden:: [{ kind: "Nope" }] }\n')
    for fmt in ("yaml", "json"):
        par, seq = both(app_dir, "show", "-o", fmt)
        assert par.exit_code == seq.exit_code == 0, par.stderr + seq.stderr
        assert par.stdout == seq.stdout
        assert par.stderr == seq.stderr
    assert par.stdout.count('"kind": "ConfigMap"') == N + 2 and "extra-a" in par.stdout and "Nope" not in par.stdout
    # the traces, in the order of one evaluation: component 3 (the parent's half), then 120 (the child's)
    lines = [ln for ln in par.stderr.splitlines() if "component " in ln]
    assert len(lines) == 2 and "component 3" in lines[0] and "component 120" in lines[1], par.stderr
    par, seq = both(app_dir, "show", "-o", "json", "-c", ",".join(f"c{i:04d}" for i in range(0, N, 1) if i % 7))
    assert (par.exit_code, par.stdout, par.stderr) == (seq.exit_code, seq.stdout, seq.stderr)


@pytest.mark.parametrize("broken", [5, 125], ids=["first-half", "second-half"])
def test_an_error_in_either_half_is_reported_as_by_one_evaluation(app_dir: Path, broken: int) -> None:
    big_app(app_dir, fail=(broken,))
    par, seq = both(app_dir, "show")
    assert par.exit_code == seq.exit_code == 1
    assert par.stdout == seq.stdout == ""
    assert par.stderr == seq.stderr
    assert f"component {broken} is broken" in par.stderr


def test_an_env_that_is_not_an_object_fails_as_before(app_dir: Path) -> None:
    big_app(app_dir)
    (app_dir / "environments" / "default" / "main.jsonnet").write_text('["not", "an", "object"]\n')
    par, seq = both(app_dir, "show")
    assert (par.exit_code, par.stdout, par.stderr) == (seq.exit_code, seq.stdout, seq.stderr)
    assert par.exit_code != 0 and "must evaluate to an object of components" in par.stderr


def test_the_split_is_used_and_equals_one_evaluation(app_dir: Path, monkeypatch) -> None:
    """In-process, to see that the parts were evaluated on two processes (a spy on evaluate_parts)."""
    from kfctl.app.app import App
    from kfctl.ops.render import render

    big_app(app_dir)
    seen = []
    real = parallel.evaluate_parts

    def spy(run, parts):
        out = real(run, parts)
        seen.append(out is not None)
        return out

    monkeypatch.setattr(parallel, "evaluate_parts", spy)
    app = App.load(app_dir)
    split = render(app, app.env("default"), warn=False)
    monkeypatch.setenv(parallel.ENV_VAR, "0")
    whole = render(app, app.env("default"), warn=False)
    assert seen == [True]
    assert [o.obj for o in split.objects] == [o.obj for o in whole.objects] and len(whole.objects) == N


def test_a_part_failing_in_the_child_only_gives_none(tmp_path: Path) -> None:
    parent = os.getpid()

    def run(snippet: str, preload) -> str:
        if os.getpid() != parent:
            os._exit(3)  # (the child dies without a word)
        return "{}"

    assert parallel.evaluate_parts(run, [("a", ()), ("b", ())]) is None

    def run_ok(snippet: str, preload) -> str:
        return '{"%s": %d}' % (snippet, os.getpid() != parent)

    assert parallel.evaluate_parts(run_ok, [("a", ()), ("b", ())]) == ['{"a": 0}', '{"b": 1}']


def test_a_silent_child_is_given_up() -> None:
    r, w = os.pipe()
    try:
        assert parallel._read_all(r, 0.05) is None
        os.write(w, b"x")
        os.close(w)
        w = -1
        assert parallel._read_all(r, 1.0) == b"x"
    finally:
        os.close(r)
        if w != -1:
            os.close(w)


def test_the_switch(monkeypatch) -> None:
    monkeypatch.setenv(parallel.ENV_VAR, "0")
    assert not parallel.available()
    monkeypatch.setenv(parallel.ENV_VAR, "1")
    assert parallel.available()


def test_split_snippet_and_merge() -> None:
    import rjsonnet

    a, b = parallel.split_snippet('{ b: 2, a: 1, "c\\"q": 3, h:: 4 }', ["a", 'c"q'])
    va, vb = (rjsonnet.evaluate_snippet("x", s) for s in (a, b))
    import json

    assert json.loads(va) == {"a": 1, 'c"q': 3} and json.loads(vb) == {"b": 2}
    assert list(parallel.merge([json.loads(va), json.loads(vb)])) == ["a", "b", 'c"q']


def test_children_reaped_by_the_system() -> None:
    """With SIGCHLD ignored (inherited from some supervisors) waitpid has nothing to wait for: the payload
    still tells the part's outcome."""
    import signal

    old = signal.signal(signal.SIGCHLD, signal.SIG_IGN)
    try:
        assert parallel.evaluate_parts(lambda sn, pre: '{"%s": 1}' % sn, [("a", ()), ("b", ())]) == [
            '{"a": 1}', '{"b": 1}']
    finally:
        signal.signal(signal.SIGCHLD, old)
