"""The packages' jsonnet unit tests (registry/<pkg>/tests/*_test.jsonnet) pass on both engines."""

from __future__ import annotations

import pytest

from tests.packages.render_helper import REGISTRY, registry_jpath

TESTS = sorted(REGISTRY.glob("*/tests/*_test.jsonnet"))


def test_every_package_has_jsonnet_tests():
    import yaml

    libs = yaml.safe_load((REGISTRY / "registry.yaml").read_text())["libraries"]
    for name, lib in libs.items():
        assert list((REGISTRY / lib["path"] / "tests").glob("*_test.jsonnet")), f"{name} has no jsonnet tests"


@pytest.mark.parametrize("engine", ["rjsonnet", "gojsonnet"])
@pytest.mark.parametrize("path", TESTS, ids=[f"{p.parent.parent.name}/{p.name}" for p in TESTS])
def test_jsonnet_unit_test_passes(path, engine):
    from kfctl.jsonnet import evaluate

    result = evaluate(path.read_text(), filename=str(path), jpath=[registry_jpath()], engine=engine)
    assert result is True


def test_a_failing_assertion_is_reported():
    """The harness above would notice a broken expectation (not just evaluate anything to true)."""
    from kfctl.jsonnet import JsonnetError, evaluate

    path = REGISTRY / "core" / "tests" / "broken_test.jsonnet"  # not written: evaluated from a string
    snippet = 'local util = import "kubeflow/core/util.libsonnet"; std.assertEqual(util.toBool("false"), true)'
    with pytest.raises(JsonnetError):
        evaluate(snippet, filename=str(path), jpath=[registry_jpath()], engine="gojsonnet")
