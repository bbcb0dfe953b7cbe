"""kfctl.util.yamlfast.dump writes what PyYAML's C dumper writes (or declines)."""

from __future__ import annotations

import json
import string

import pytest
import yaml
from hypothesis import given, settings
from hypothesis import strategies as st

from kfctl.util import yamlfast


def reference(data) -> str:
    return yaml.dump(data, Dumper=yaml.CSafeDumper, default_flow_style=False, sort_keys=True, allow_unicode=True,
                     width=1 << 20)


# strings made of YAML's troublemakers: indicators, spaces, digits, words the resolver reads as non-strings
tricky = st.one_of(
    st.text(alphabet=string.printable, max_size=12),
    st.text(alphabet=" -:?#,[]{}&*!|>'\"%@`.~0123456789eE+_xyz", max_size=8),
    st.sampled_from(["true", "False", "yes", "NO", "on", "Off", "y", "n", "null", "~", "Null", "", " ", "1", "-1",
                     "0x1F", "0o17", "1_000", "1.5", ".5", "1e3", "1.0e+3", ".inf", "-.Inf", ".NaN", "2026-01-02",
                     "2026-01-02 10:00:00", "12:30:00", "1:30", "<<", "=", "---", "...", "--- x", "- x", "? x",
                     ": x", "a: b", "a #b", "a#b", "#x", "x:", "http://x", "a, b", "[x]", "%x", "@x", "`x",
                     "é", "tab\there", "line\nbreak", "x" * 130]),
)
scalars = st.none() | st.booleans() | st.integers() | st.floats() | tricky
data = st.recursive(scalars, lambda inner: st.lists(inner, max_size=4)
                    | st.dictionaries(tricky, inner, max_size=4), max_leaves=30)


@settings(max_examples=300, deadline=None)
@given(data)
def test_same_text_as_pyyaml_or_declines(value):
    text = yamlfast.dump(value)
    if text is not None:
        assert text == reference(value)


def test_declines_what_it_does_not_write():
    shared = {"a": 1}
    for value in ("scalar", 1, {}, [], {"k": "é"}, {"k": "a\nb"}, {1: "x"}, {"k": shared, "j": shared},
                  {"k": "\t"}, {"x" * 129: 1}, {"k": (1, 2)}):
        assert yamlfast.dump(value) is None, value


def test_rendered_objects_are_written_fast(tmp_path):
    """The fast path covers real rendered objects (Deployments, Services, ConfigMaps...)."""
    from tests.conftest import run_kfctl

    app = tmp_path / "a"
    run_kfctl("init", "a", "--dir", str(app), "--server", "https://k8s.example:6443", check=0,
              env={"KUBECONFIG": str(tmp_path / "none")})
    for proto, name in (("deployed-service", "web"), ("configmap", "cfg")):
        run_kfctl("generate", proto, name, "--image", "nginx:1.25", cwd=app)
    objects = json.loads(run_kfctl("show", "-o", "json", cwd=app, check=0).stdout)["items"]
    assert objects
    for obj in objects:
        assert yamlfast.dump(obj) == reference(obj)
