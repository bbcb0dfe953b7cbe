"""Parameter values a careless user types: numbers jsonnet cannot hold (1e999, NaN, Infinity, also
inside arrays and objects), JSON that does not parse, and values that break a table (newlines, 120 KB).
Refused with one line and nothing written; tables escape and cut, -o json/yaml keep the value whole."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from tests.bad_input.helpers import fails, run, succeeds

FINITE = "is not a finite number; jsonnet numbers must be finite (at most ±1.8e308)"

# (value as typed, the offending token)
NON_FINITE = [
    ("1e999", "1e999"), ("-1e999", "-1e999"), ("1E400", "1E400"), ("[NaN, Infinity]", "NaN"),
    ("[Infinity]", "Infinity"), ('{"a": -Infinity}', "-Infinity"), ('{"a": 1e999}', "1e999"),
    ('[1, [2, {"b": -1e309}]]', "-1e309"), ('{"a": {"b": NaN}}', "NaN"), ("1" + "0" * 400, "1" + "0" * 400),
    ("{a: .inf}", "Infinity"),
]
TARGETS = {
    "component": ("web", "x"),
    "env": ("web", "x", "--env", "default"),
    "global": ("--global", "x"),
}


def _short(text: str) -> str:
    return text if len(text) <= 60 else text[:57] + "..."


@pytest.mark.parametrize("where", list(TARGETS))
@pytest.mark.parametrize("value, token", NON_FINITE, ids=[v[:20] for v, _ in NON_FINITE])
def test_param_set_refuses_numbers_that_are_not_finite(app, where, value, token):
    args = [a for a in TARGETS[where] if a not in ("--env", "default", "--global")]
    opts = [a for a in TARGETS[where] if a in ("--env", "default", "--global")]
    # "--" ends the options, so that "-1e999" is a value (as with every click/kubectl-style CLI)
    fails(app, "param", "set", *opts, "--", *args, value, code=2,
          line=f"value {_short(value)!r}: {_short(token)} {FINITE}")


def test_param_set_keeps_big_finite_numbers(app):
    succeeds(app, "param", "set", "web", "x", "1.7e308", touched={"components/params.libsonnet"})
    assert "x: 1.7e+308," in (app / "components" / "params.libsonnet").read_text()
    res = run(app, "param", "list", "web", "-o", "json")
    value = {r["param"]: r["value"] for r in json.loads(res.stdout)["data"]}["x"]
    assert abs(value - 1.7e308) < 1e295  # the engine prints it as an integer of the same magnitude


@pytest.mark.parametrize("flag, token", [("1e999", "1e999"), ("-1E309", "-1E309"), ("NaN", "NaN")])
def test_generate_refuses_a_number_param_that_is_not_finite(app, flag, token):
    fails(app, "generate", "deployed-service", "web2", "--image", "nginx", "--replicas", flag, code=2,
          line=f"--replicas={flag!r}: {token} {FINITE}" if token != "NaN"
          else f"--replicas={flag!r}: not a number (the prototype declares it as number)")


@pytest.mark.parametrize("data, token", [("{a: 1e999}", "1e999"), ('{"a": [NaN]}', "NaN")])
def test_generate_refuses_an_object_param_with_a_number_that_is_not_finite(app, data, token):
    fails(app, "generate", "configMap", "cm", "--data", data, code=2, line=f"--data={data!r}: {token} {FINITE}")


@pytest.mark.parametrize("name, text, token", [
    ("values.json", '{"image": "nginx", "replicas": 1e999}', "1e999"),
    ("values.json", '{"image": "nginx", "replicas": NaN}', "NaN"),
    ("values.yaml", "image: nginx\nreplicas: .inf\n", "Infinity"),
    ("values.yaml", "image: nginx\nreplicas: [1, .nan]\n", "NaN"),
])
def test_generate_refuses_a_values_file_with_a_number_that_is_not_finite(app, tmp_path, name, text, token):
    values = tmp_path / name
    values.write_text(text)
    fails(app, "generate", "deployed-service", "web2", "--values-file", str(values), code=2,
          line=f"{values}: parameter 'replicas': {token} {FINITE}")


# --------------------------------------------------------------------------- item 8: JSON that does not parse
NOT_JSON = ['{"a": }', "{a: }", "[1,,2]", '{"a": 1,,}', "[1, 2}]", '{"a"}', "{: 1}", '{"a": [}', "[,]",
            '{"a": 1 "b": 2}']


@pytest.mark.parametrize("where", ["component", "env"])
@pytest.mark.parametrize("value", NOT_JSON)
def test_param_set_refuses_json_that_does_not_parse(app, where, value):
    args = list(TARGETS[where])
    args.insert(2, value)
    fails(app, "param", "set", *args, code=2,
          line=f"value {value!r} looks like JSON but does not parse; fix the JSON, or pass --as-string to store "
               "it as a string")


@pytest.mark.parametrize("value, want", [('{"a": null}', {"a": None}), ("{a: ~}", {"a": None}),
                                         ("{a: b, c: [1, 2]}", {"a": "b", "c": [1, 2]}), ("[]", []), ("{}", {}),
                                         ("NaN", "NaN"), ("Infinity", "Infinity")])  # words: strings, as in ks
def test_param_set_keeps_values_that_parse(app, value, want):
    succeeds(app, "param", "set", "web", "x", value, touched={"components/params.libsonnet"})
    res = run(app, "param", "list", "web", "-o", "json")
    assert {r["param"]: r["value"] for r in json.loads(res.stdout)["data"]}["x"] == want


# --------------------------------------------------------------------------- item 22: values in tables
def rows_of(app: Path, *args: str) -> list[str]:
    res = run(app, "param", "list", *args)
    assert res.exit_code == 0, res
    return res.stdout.splitlines()


def test_a_value_with_a_newline_stays_on_its_table_row(app):
    succeeds(app, "param", "set", "web", "note", "line1\nline2\ttab")
    lines = rows_of(app, "web")
    assert "web       note          'line1\\nline2\\ttab' component" in lines
    assert len(lines) == 2 + 7  # header, rule, 7 params: one line each
    res = run(app, "param", "list", "web", "-o", "json")
    assert {r["param"]: r["value"] for r in json.loads(res.stdout)["data"]}["note"] == "line1\nline2\ttab"


def test_a_120_kb_value_is_cut_in_the_table_and_whole_in_json_and_yaml(app):
    big = "x" * 120_000
    res = succeeds(app, "param", "set", "web", "blob", big)
    assert len(res.stderr) < 300  # the success line does not echo 120 KB either
    assert res.stderr == f'✓ Set web.blob = "{"x" * 56}... (string, 120002 characters) in components/params.libsonnet\n'
    res = run(app, "param", "list", "web")
    line = next(l for l in res.stdout.splitlines() if " blob " in l)
    assert line == "web       blob          '" + "x" * 109 + "… component"
    assert res.stderr == "note: 1 value cut to 120 characters; -o json or -o yaml prints it whole\n"
    data = json.loads(run(app, "param", "list", "web", "-o", "json").stdout)["data"]
    assert {r["param"]: r["value"] for r in data}["blob"] == big
    import yaml

    data = yaml.safe_load(run(app, "param", "list", "web", "-o", "yaml").stdout)["data"]
    assert {r["param"]: r["value"] for r in data}["blob"] == big


def test_param_diff_cuts_long_values_too(app):
    succeeds(app, "env", "add", "prd", "--server", "https://p:6443")
    succeeds(app, "param", "set", "web", "blob", "y" * 5000, "--env", "prd")
    res = run(app, "param", "diff", "default", "prd")
    assert res.stdout.splitlines()[2] == "web       blob       '" + "y" * 109 + "…"
    assert res.stderr == "note: 1 value cut to 120 characters; -o json or -o yaml prints it whole\n"
