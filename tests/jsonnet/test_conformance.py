"""One conformance suite for every jsonnet engine behind kfctl.jsonnet.evaluate.

Each case runs on rjsonnet, gojsonnet, C++ jsonnet and the default path (rjsonnet with gojsonnet
fallback).  Known engine gaps are data (``GAPS``): on those engines the case must *raise*; if an engine
gains the feature the test fails and the gap table (here and in docs/jsonnet-engines.md) must be updated.
The default path has no gaps: it must produce the reference result everywhere.
"""

from __future__ import annotations

import hashlib
import json
from pathlib import Path

import pytest

import kfctl.jsonnet as kj
from kfctl.errors import RenderError, UsageError
from kfctl.jsonnet import JsonnetError, evaluate

ENGINES = ["rjsonnet", "gojsonnet", "jsonnet", "default"]

# (case id, snippet, expected value)
STDLIB = [
    ("format", 'std.format("%s-%d-%05.2f|%5s|%-4d|%x|%o|%+.1e", ["a", 3, 3.14159, "ab", 7, 255, 8, 12345.678])',
     "a-3-03.14|   ab|7   |ff|10|+1.2e+04"),
    ("percent-array", '"%s:%s" % ["host", 80]', "host:80"),
    ("percent-named", '"%(name)s-%(n)03d" % {name: "web", n: 7}', "web-007"),
    ("join", 'std.join(",", ["a", "b", "c"]) + std.join("", ["x"]) ', "a,b,cx"),
    ("join-arrays", "std.join([0], [[1], [2, 3]])", [1, 0, 2, 3]),
    ("split", 'std.split("a/b//c", "/")', ["a", "b", "", "c"]),
    ("splitLimit", 'std.splitLimit("a,b,c", ",", 1)', ["a", "b,c"]),
    ("objectHas", 'local o = {a: 1, b:: 2}; [std.objectHas(o, "a"), std.objectHas(o, "b"), std.objectHasAll(o, "b")]',
     [True, False, True]),
    ("objectFields", 'std.objectFields({z: 1, a: 2, h:: 3}) + std.objectFieldsAll({b:: 1})', ["a", "z", "b"]),
    ("objectValues", "std.objectValues({b: 2, a: 1})", [1, 2]),
    ("mergePatch", 'std.mergePatch({a: {b: 1, c: 2}, d: 3}, {a: {b: null, e: 4}, d: [1]})',
     {"a": {"c": 2, "e": 4}, "d": [1]}),
    ("prune", 'std.prune({a: null, b: [], c: {}, d: [null, 1], e: {f: null, g: "x"}, h: 0, i: ""})',
     {"d": [1], "e": {"g": "x"}, "h": 0, "i": ""}),
    ("length", '[std.length("héllo"), std.length([1, 2]), std.length({a: 1, b:: 2}), std.length(function(x, y) x)]',
     [5, 2, 1, 2]),
    ("map-filter-fold", "std.foldl(function(acc, x) acc + x, std.filter(function(x) x % 2 == 0, "
     "std.map(function(x) x * 3, std.range(1, 6))), 0)", 36),
    ("foldr", 'std.foldr(function(x, acc) acc + x, ["a", "b", "c"], "")', "cba"),
    ("sort", 'std.sort([3, 1, 2]) + std.sort(["b", "A", "a"])', [1, 2, 3, "A", "a", "b"]),
    ("sort-keyF", 'std.map(function(o) o.n, std.sort([{n: "b", k: 2}, {n: "a", k: 3}, {n: "c", k: 1}], '
     "keyF=function(o) o.k))", ["c", "b", "a"]),
    ("uniq-set", "[std.uniq([1, 1, 2, 1]), std.set([3, 1, 1]), std.setUnion([1, 3], [2]), std.setInter([1, 2], [2, 3]),"
     " std.setDiff([1, 2], [2]), std.setMember(2, [1, 2])]",
     [[1, 2, 1], [1, 3], [1, 2, 3], [2], [1], True]),
    ("base64", '[std.base64("kfctl:ü"), std.base64Decode("a2ZjdGw=")]', ["a2ZjdGw6w7w=", "kfctl"]),
    ("manifestJson", 'std.manifestJson({b: "x", a: [1, 2]})',
     '{\n    "a": [\n        1,\n        2\n    ],\n    "b": "x"\n}'),
    ("manifestJsonEx", 'std.manifestJsonEx({a: [1]}, "  ")', '{\n  "a": [\n    1\n  ]\n}'),
    ("manifestYamlDoc", 'std.manifestYamlDoc({a: [1, {b: "x y"}], c: {}, d: "multi\\nline"})',
     '"a":\n- 1\n- "b": "x y"\n"c": {}\n"d": "multi\\nline"'),
    ("manifestYamlStream", "std.manifestYamlStream([{a: 1}, 2])", '---\n"a": 1\n---\n2\n...\n'),
    ("parseJson", 'std.parseJson(\'{"a": [1, 2.5, "x", null, true]}\')', {"a": [1, 2.5, "x", None, True]}),
    ("parseYaml", 'std.parseYaml("a: 1\\nb: [x, {c: true}]\\n")', {"a": 1, "b": ["x", {"c": True}]}),
    ("startsWith", '[std.startsWith("kubeflow", "kube"), std.endsWith("kubeflow", "flow"), std.startsWith("a", "ab")]',
     [True, True, False]),
    ("strReplace", 'std.strReplace("a.b.c", ".", "-")', "a-b-c"),
    ("toString", 'std.toString({a: [1, "x"]}) + std.toString(1.5) + std.toString(null)', '{"a": [1, "x"]}1.5null'),
    ("range", "std.range(2, 5) + std.range(3, 1)", [2, 3, 4, 5]),
    ("flattenArrays", "std.flattenArrays([[1], [], [2, [3]]])", [1, 2, [3]]),
    ("type-predicates", '[std.isString("x"), std.isNumber(1), std.isObject({}), std.isArray([]), std.isBoolean(false),'
     ' std.isFunction(function() 1), std.type(null), std.type("")]',
     [True, True, True, True, True, True, "null", "string"]),
    ("strings", '[std.asciiUpper("ab"), std.asciiLower("AB"), std.substr("kubeflow", 4, 4), std.stringChars("ab"),'
     ' std.char(65), std.codepoint("a"), std.parseInt("-12"), std.lstripChars("xxa", "x"), std.stripChars(" a ", " ")]',
     ["AB", "ab", "flow", ["a", "b"], "A", 97, -12, "a", "a"]),
    ("escapes", '[std.escapeStringJson("a\\"b"), std.escapeStringBash("it\'s"), std.escapeStringDollars("$x")]',
     ['"a\\"b"', "'it'\"'\"'s'", "$$x"]),
    ("mapWithKey", 'std.mapWithKey(function(k, v) k + v, {a: "1", b: "2"})', {"a": "a1", "b": "b2"}),
    ("get-in", '[std.get({a: 1}, "a"), std.get({}, "a", "dflt"), "a" in {a: 1}, std.member([1, 2], 2)]',
     [1, "dflt", True, True]),
    ("misc-arith", "[std.floor(2.7), std.ceil(2.1), std.abs(-3), std.max(1, 4), std.pow(2, 10), 7 % 3, 1 / 4,"
     " std.round(1.5), std.sum([1, 2]), std.count([1, 1, 2], 1)]", [2, 3, 3, 4, 1024, 1, 0.25, 2, 3, 2]),
    ("md5", 'std.md5("kfctl")', hashlib.md5(b"kfctl").hexdigest()),
    ("trim", 'std.trim("  a b  ")', "a b"),
    ("isNull", "std.isNull(null)", True),
    ("sha256", 'std.sha256("kfctl")', hashlib.sha256(b"kfctl").hexdigest()),
    ("pi", "std.floor(std.pi * 1000)", 3141),
    ("thisFile", "std.thisFile", "<entry>"),
]

LANGUAGE = [
    ("plus-colon", "local base = {metadata: {labels: {a: '1'}, name: 'x'}};"
     " base + {metadata+: {labels+: {b: '2'}}}", {"metadata": {"labels": {"a": "1", "b": "2"}, "name": "x"}}),
    ("self-super", "local a = {x: 1, y: self.x + 1}; local b = a + {x: 10, z: super.y * 2}; b",
     {"x": 10, "y": 11, "z": 22}),
    ("hidden", "{a: 1, b:: 2, c: self.b} + {b::: 3}", {"a": 1, "b": 3, "c": 3}),
    ("hidden-inherited", "{a:: 1} + {a: 2}", {}),
    ("comprehensions", '{[k]: std.length(k) for k in ["ab", "c"]} + {arr: [x * x for x in [1, 2, 3] if x != 2]}',
     {"ab": 2, "c": 1, "arr": [1, 9]}),
    ("functions", "local f(a, b=2, c=a + b) = [a, b, c]; [f(1), f(1, c=5), f(b=0, a=3)]", [[1, 2, 3], [1, 2, 5], [3, 0, 3]]),
    ("assert", "local o = {assert self.n > 0 : 'n must be positive', n: 1}; o", {"n": 1}),
    ("text-block", "|||\n  line1\n    indented\n|||", "line1\n  indented\n"),
    ("text-block-chomp", "|||-\n  no trailing newline\n|||", "no trailing newline"),
    ("verbatim", "@'c:\\path' + @\"q\"\"q\"", "c:\\pathq\"q"),
    ("slices", "[[1, 2, 3, 4][1:3], 'kubeflow'[4:], [1, 2, 3, 4][::2]]", [[2, 3], "flow", [1, 3]]),
    ("negative-slice", "[1, 2, 3][-1:]", [3]),
    ("numbers", "[1e3, 2 * 0.5, 9007199254740992, -0.5]", [1000, 1, 9007199254740992, -0.5]),
    ("unicode", '"ünïcødé ☸" + "\\u00e9"', "ünïcødé ☸é"),
    ("object-equality", "[{a: [1, {b: 2}]} == {a: [1, {b: 2}]}, [1] == [2]]", [True, False]),
    ("deep-recursion", "local f(n) = if n == 0 then 0 else 1 + f(n - 1); f(5000)", 5000),
]

# Known engine gaps: on these engines the case raises JsonnetError (listed in docs/jsonnet-engines.md).
GAPS = {
    "rjsonnet": {"trim", "isNull", "pi", "thisFile", "text-block-chomp", "negative-slice"},
    "jsonnet": {"sha256"},  # std.sha256 is go-jsonnet only ("only supported in go version")
}


# Known divergences: the engine returns a different value (also listed in docs/jsonnet-engines.md).
DIFFERS = {
    # C++ jsonnet base64-encodes code points < 256 as single bytes instead of UTF-8
    "jsonnet": {"base64": ["a2ZjdGw6/A==", "kfctl"]},
}


def _expect(engine: str, case: str, snippet: str, expected, **kw):
    expected = DIFFERS.get(engine, {}).get(case, expected)
    if case in GAPS.get(engine, ()):
        with pytest.raises(JsonnetError):
            evaluate(snippet, engine=engine, **kw)
    else:
        assert evaluate(snippet, engine=engine, **kw) == expected


@pytest.fixture(autouse=True)
def _quiet_fallback(monkeypatch):
    """Record fallback warnings (kfctl.jsonnet's logger) instead of printing; reset the once-per-process flag."""
    import logging

    warnings: list[str] = []

    class Record(logging.Handler):
        def emit(self, record):
            if record.levelno >= logging.WARNING:
                warnings.append(record.getMessage())

    log = logging.getLogger("kfctl.jsonnet")
    handler = Record()
    log.addHandler(handler)
    monkeypatch.setattr(log, "propagate", False)
    monkeypatch.setattr(kj, "_fallback_warned", False)
    monkeypatch.delenv(kj.ENV_VAR, raising=False)
    yield warnings
    log.removeHandler(handler)


@pytest.mark.parametrize("engine", ENGINES)
@pytest.mark.parametrize("case,snippet,expected", STDLIB, ids=[c[0] for c in STDLIB])
def test_stdlib(engine, case, snippet, expected):
    _expect(engine, case, snippet, expected)


@pytest.mark.parametrize("engine", ENGINES)
@pytest.mark.parametrize("case,snippet,expected", LANGUAGE, ids=[c[0] for c in LANGUAGE])
def test_language(engine, case, snippet, expected):
    _expect(engine, case, snippet, expected)


# ---------------------------------------------------------------- imports


@pytest.fixture
def tree(tmp_path: Path) -> Path:
    """An app-like tree: components/ importing from a relative lib and two jpath dirs."""
    files = {
        "components/train.jsonnet": 'local util = import "util.libsonnet";\n'
                                    'local shared = import "shared.libsonnet";\n'
                                    '{name: util.name, shared: shared.who, txt: importstr "notes.txt", '
                                    'nested: (import "sub/nested.libsonnet").v}\n',
        "components/util.libsonnet": '{name: "from-components"}\n',
        "components/notes.txt": "hello\nworld\n",
        "components/sub/nested.libsonnet": '(import "../util.libsonnet") + {v: "nested:" + self.name}\n',
        "lib/shared.libsonnet": '{who: "lib", helper: (import "helper.libsonnet")}\n',
        "lib/helper.libsonnet": '"lib-helper"\n',
        "lib/util.libsonnet": '{name: "from-lib"}\n',
        "vendor/shared.libsonnet": '{who: "vendor"}\n',
        "vendor/only-vendor.libsonnet": '{who: "only-vendor", helper: import "helper.libsonnet"}\n',
        "data/blob.bin": b"\x00\x01\xfe",
    }
    for rel, content in files.items():
        p = tmp_path / rel
        p.parent.mkdir(parents=True, exist_ok=True)
        (p.write_bytes if isinstance(content, bytes) else p.write_text)(content)
    return tmp_path


def _entry(tree: Path, name="components/train.jsonnet"):
    path = tree / name
    return path.read_text(), str(path)


@pytest.mark.parametrize("engine", ENGINES)
def test_imports_relative_jpath_order_importstr(engine, tree):
    src, fn = _entry(tree)
    got = evaluate(src, filename=fn, jpath=[tree / "lib", tree / "vendor"], engine=engine)
    # util.libsonnet exists next to the entry and in lib/: the importing file's dir wins;
    # shared.libsonnet exists in lib/ and vendor/: the first jpath wins
    assert got == {"name": "from-components", "shared": "lib", "txt": "hello\nworld\n",
                   "nested": "nested:from-components"}
    got = evaluate(src, filename=fn, jpath=[str(tree / "vendor"), str(tree / "lib")], engine=engine)
    assert got["shared"] == "vendor"


@pytest.mark.parametrize("engine", ENGINES)
def test_imports_from_jpath_file_resolve_relative_to_that_file(engine, tree):
    got = evaluate('(import "only-vendor.libsonnet") + {lib: import "helper.libsonnet"}',
                   filename=str(tree / "components/x.jsonnet"), jpath=[tree / "vendor", tree / "lib"],
                   engine=engine)
    # vendor/only-vendor.libsonnet imports helper.libsonnet: not in vendor/, found via jpath lib/
    assert got == {"who": "only-vendor", "helper": "lib-helper", "lib": "lib-helper"}


@pytest.mark.parametrize("engine", ENGINES)
def test_absolute_import_and_importbin(engine, tree):
    blob = tree / "data/blob.bin"
    snippet = f'{{abs: (import @"{tree / "lib/helper.libsonnet"}"), bin: importbin "../data/blob.bin"}}'
    fn = str(tree / "components/x.jsonnet")
    if engine == "rjsonnet":  # rjsonnet takes str contents only: non-UTF-8 files cannot be served
        with pytest.raises(JsonnetError, match="not UTF-8"):
            evaluate(snippet, filename=fn, engine=engine)
        return
    assert evaluate(snippet, filename=fn, engine=engine) == {"abs": "lib-helper", "bin": list(blob.read_bytes())}


@pytest.mark.parametrize("engine", ENGINES)
def test_missing_import_names_importer_and_searched_dirs(engine, tree):
    fn = str(tree / "components/broken.jsonnet")
    with pytest.raises(JsonnetError) as info:
        evaluate('{\n  a: import "nope.libsonnet",\n}\n', filename=fn, jpath=[tree / "lib", tree / "vendor"],
                 display_root=tree, engine=engine)
    first = info.value.first_line
    assert 'import "nope.libsonnet" not found (searched: components/, lib/, vendor/)' in first
    assert first.startswith("components/broken.jsonnet")
    if engine != "rjsonnet":  # rjsonnet does not report where the failing import is
        assert first.startswith("components/broken.jsonnet:2:6: ")


@pytest.mark.parametrize("engine", ENGINES)
def test_import_rewriter(engine, tree):
    (tree / "components/uses-param.jsonnet").write_text(
        'local params = import "param://replicas";\n{replicas: params, txt: importstr "notes.txt"}\n')
    seen = []

    def rewriter(path: Path, text: str) -> str:
        seen.append(path)
        return text.replace('import "param://replicas"', "3").replace("hello", "HELLO")

    got = evaluate('import "uses-param.jsonnet"', filename=str(tree / "components/main.jsonnet"),
                   import_rewriter=rewriter, engine=engine)
    assert got == {"replicas": 3, "txt": "HELLO\nworld\n"}
    assert isinstance(seen[0], Path)
    assert {p.name for p in seen} == {"uses-param.jsonnet", "notes.txt"}


@pytest.mark.parametrize("engine", ENGINES)
def test_imported_file_changes_are_seen(engine, tree):
    lib = tree / "lib/helper.libsonnet"
    fn = str(tree / "components/x.jsonnet")
    assert evaluate('import "helper.libsonnet"', filename=fn, jpath=[tree / "lib"], engine=engine) == "lib-helper"
    lib.write_text('"changed!"\n')  # different size → the cross-call cache must not serve the old text
    assert evaluate('import "helper.libsonnet"', filename=fn, jpath=[tree / "lib"], engine=engine) == "changed!"


def test_gojsonnet_import_error_text_is_clean_every_time(tree):
    """The go binding appends stray bytes to a callback's error message (sometimes undecodable UTF-8)."""
    seen = set()
    for i in range(300):
        churn = [bytes(i % 50) for _ in range(i % 7)]  # vary the heap so the stray bytes vary
        with pytest.raises(JsonnetError) as info:
            evaluate('import "nope.libsonnet"', filename=str(tree / "components/x.jsonnet"), display_root=tree,
                     engine="gojsonnet")
        seen.add(info.value.first_line)
        del churn
    assert seen == {'components/x.jsonnet:1:1: import "nope.libsonnet" not found (searched: components/)'}


def test_single_jpath_string_is_one_directory(tree):
    assert evaluate('import "helper.libsonnet"', jpath=str(tree / "lib")) == "lib-helper"


# ---------------------------------------------------------------- ext vars, TLAs


@pytest.mark.parametrize("engine", ENGINES)
def test_ext_vars_and_codes(engine):
    got = evaluate('{s: std.extVar("s"), c: std.extVar("c").n + 1, env: std.extVar("__ksonnet/environments")}',
                   ext_vars={"s": "text"}, ext_codes={"c": "{n: 41}",
                                                      "__ksonnet/environments": '{namespace: "ns"}'},
                   engine=engine)
    assert got == {"s": "text", "c": 42, "env": {"namespace": "ns"}}


@pytest.mark.parametrize("engine", ENGINES)
def test_tlas(engine):
    got = evaluate("function(replicas, name, image='nginx') {r: replicas * 2, n: name, i: image}",
                   tla_codes={"replicas": "3"}, tla_vars={"name": "web"}, engine=engine)
    assert got == {"r": 6, "n": "web", "i": "nginx"}


@pytest.mark.parametrize("engine", ENGINES)
def test_missing_ext_var_is_an_error(engine):
    with pytest.raises(JsonnetError, match="nope"):
        evaluate('std.extVar("nope")', engine=engine)


# ---------------------------------------------------------------- errors


@pytest.mark.parametrize("engine", ENGINES)
def test_runtime_error_position_in_imported_file(engine, tmp_path):
    (tmp_path / "lib").mkdir()
    (tmp_path / "components").mkdir()
    (tmp_path / "lib/bad.libsonnet").write_text('{\n  a: 1,\n  b: error "boom: " + self.a,\n}\n')
    src = 'local l = import "bad.libsonnet";\n{\n  x: l.b,\n}\n'
    with pytest.raises(JsonnetError) as info:
        evaluate(src, filename=str(tmp_path / "components/train.jsonnet"), jpath=[tmp_path / "lib"],
                 display_root=tmp_path, engine=engine)
    err = info.value
    assert isinstance(err, RenderError)
    assert err.first_line == "lib/bad.libsonnet:3:6: boom: 1"
    assert (err.path, err.line, err.column) == ("lib/bad.libsonnet", 3, 6)
    assert any(line.strip().startswith("components/train.jsonnet:3:") for line in err.trace), err.trace
    assert str(tmp_path) not in str(err)  # relativised everywhere
    assert "boom: 1" in err.raw and str(tmp_path) in err.raw  # original engine text kept


@pytest.mark.parametrize("engine", ENGINES)
def test_field_error_position(engine, tmp_path):
    fn = str(tmp_path / "components/train.jsonnet")
    with pytest.raises(JsonnetError) as info:
        evaluate("{\n  a: {b: 1},\n  x: self.a.foo,\n}\n", filename=fn, display_root=tmp_path, engine=engine)
    first = info.value.first_line
    assert "foo" in first
    if engine == "rjsonnet":  # rjsonnet reports a missing field without a position
        assert first == "components/train.jsonnet: no such field: foo"
    else:
        assert first.lower() == "components/train.jsonnet:3:6: field does not exist: foo"


@pytest.mark.parametrize("engine", ENGINES)
def test_syntax_error_position(engine, tmp_path):
    fn = str(tmp_path / "components/train.jsonnet")
    with pytest.raises(JsonnetError) as info:
        evaluate("{\n  a: 1\n    b: 2,\n}\n", filename=fn, display_root=tmp_path, engine=engine)
    err = info.value
    assert err.first_line.startswith("components/train.jsonnet:3:5: "), err.first_line
    assert (err.line, err.column) == (3, 5)


@pytest.mark.parametrize("engine", ENGINES)
def test_syntax_error_in_imported_file(engine, tmp_path):
    (tmp_path / "syn.libsonnet").write_text("{\n  a: 1\n  b: 2,\n}\n")
    with pytest.raises(JsonnetError) as info:
        evaluate('import "syn.libsonnet"', filename=str(tmp_path / "main.jsonnet"), display_root=tmp_path,
                 engine=engine)
    assert info.value.first_line.startswith("syn.libsonnet:3:3: ")


@pytest.mark.parametrize("engine", ENGINES)
def test_infinite_recursion_is_a_clean_error(engine):
    with pytest.raises(JsonnetError) as info:
        evaluate("local f(n) = 1 + f(n + 1); f(0)", filename="loop.jsonnet", engine=engine)
    err = info.value
    assert err.first_line.startswith("loop.jsonnet:1:")
    assert "stack" in err.reason.lower()
    assert len(str(err).splitlines()) <= 25  # thousands of identical frames are collapsed


def test_error_without_display_root_keeps_paths(tmp_path):
    fn = str(tmp_path / "x.jsonnet")
    with pytest.raises(JsonnetError) as info:
        evaluate('error "kaput"', filename=fn, engine="gojsonnet")
    assert info.value.first_line == f"{fn}:1:1: kaput"


# ---------------------------------------------------------------- native functions


NATIVE_CASES = [
    ('std.native("parseYaml")("a: 1\\n---\\n# empty\\n---\\n- x\\n- when: 2024-01-01\\n")',
     [{"a": 1}, ["x", {"when": "2024-01-01"}]]),
    ('std.native("parseJson")("{\\"a\\": [1, 2.5]}")', {"a": [1, 2.5]}),
    ('std.native("manifestYamlFromJson")("{\\"b\\": [1, {\\"c\\": \\"x\\"}], \\"a\\": true}")',
     "a: true\nb:\n- 1\n- c: x\n"),
    ('std.native("sha256")("kfctl")', hashlib.sha256(b"kfctl").hexdigest()),
    ('[std.native("regexMatch")("^kube.*$", "kubeflow"), std.native("regexMatch")("^x", "kubeflow"),'
     ' std.native("regexMatch")("fl", "kubeflow")]', [True, False, True]),
    ('std.native("regexSubst")("(\\\\w+)-(?P<n>\\\\d+)", "web-1, db-22", "${n}:$1$$")', "1:web$, 22:db$"),
    ('std.native("escapeStringRegex")("a.b*c[d]{1}(e)|f?^$\\\\ -#")', "a\\.b\\*c\\[d\\]\\{1\\}\\(e\\)\\|f\\?\\^\\$\\\\ -#"),
]


@pytest.mark.parametrize("engine", ENGINES)
@pytest.mark.parametrize("snippet,expected", NATIVE_CASES, ids=[c[0].split('"')[1] for c in NATIVE_CASES])
def test_native_functions(engine, snippet, expected):
    assert evaluate(snippet, engine=engine) == expected


@pytest.mark.parametrize("engine", ENGINES)
def test_native_function_errors_are_reported(engine):
    with pytest.raises(JsonnetError) as info:
        evaluate('\n{a: std.native("parseYaml")("a: [")}', filename="n.jsonnet", engine=engine)
    assert "parseYaml" in info.value.first_line
    with pytest.raises(JsonnetError, match="must be a string, got number"):
        evaluate('std.native("sha256")(1)', engine=engine)


# ---------------------------------------------------------------- engine selection and fallback


def test_default_falls_back_to_gojsonnet_and_warns_once(_quiet_fallback, tmp_path):
    fn = str(tmp_path / "components/c.jsonnet")
    assert evaluate("|||-\n  chomp\n|||", filename=fn, display_root=tmp_path) == "chomp"
    assert evaluate("[1, 2, 3][-2:]", filename=fn, display_root=tmp_path) == [2, 3]
    assert len(_quiet_fallback) == 1
    msg = _quiet_fallback[0]
    assert msg.startswith("rjsonnet could not evaluate components/c.jsonnet: components/c.jsonnet:1:1: ")
    assert msg.endswith("; used gojsonnet")


def test_default_does_not_warn_when_rjsonnet_succeeds(_quiet_fallback):
    assert evaluate("{a: 1}") == {"a": 1}
    assert _quiet_fallback == []


def test_default_reports_gojsonnet_error_when_both_fail(_quiet_fallback):
    with pytest.raises(JsonnetError) as info:
        evaluate("{a: {}}.a.missing", filename="m.jsonnet")
    assert info.value.engine == "gojsonnet"
    assert info.value.first_line == "m.jsonnet:1:1: Field does not exist: missing"
    assert _quiet_fallback == []


def test_engine_from_environment(monkeypatch):
    monkeypatch.setenv(kj.ENV_VAR, "rjsonnet")
    assert kj.resolve_engine_name(None) == "rjsonnet"
    with pytest.raises(JsonnetError) as info:  # pinned rjsonnet: no fallback
        evaluate("std.pi")
    assert info.value.engine == "rjsonnet"
    monkeypatch.setenv(kj.ENV_VAR, "gojsonnet")
    assert evaluate("std.floor(std.pi)") == 3
    assert kj.resolve_engine_name("jsonnet") == "jsonnet"  # explicit beats the environment
    assert kj.resolve_engine_name(None, configured="jsonnet") == "gojsonnet"  # environment beats app.yaml
    monkeypatch.delenv(kj.ENV_VAR)
    assert kj.resolve_engine_name(None, configured="JSONNET") == "jsonnet"
    assert kj.resolve_engine_name(None) == "default"
    with pytest.raises(UsageError, match=r"unknown jsonnet engine 'v9' \(from app.yaml kfctl.engine\)"):
        kj.resolve_engine_name(None, configured="v9")


@pytest.mark.parametrize("name", ["v8", "go", ""])
def test_unknown_engine_is_a_usage_error(name, monkeypatch):
    if name == "":
        monkeypatch.setenv(kj.ENV_VAR, "bogus")
    with pytest.raises(UsageError) as info:
        evaluate("1", engine=name or None)
    msg = info.value.message
    assert "rjsonnet, gojsonnet, jsonnet, default" in msg
    assert info.value.exit_code == 2


def test_engines_constant():
    assert kj.ENGINES == ("rjsonnet", "gojsonnet", "jsonnet")


def test_import_is_cheap_and_lazy():
    import subprocess
    import sys

    code = ("import sys, time; t = time.perf_counter(); import kfctl.jsonnet; dt = time.perf_counter() - t; "
            "import json; print(json.dumps([dt, sorted(m for m in ('rjsonnet', '_gojsonnet', '_jsonnet', 'yaml', "
            "'kfctl.jsonnet.engines', 'rich') if m in sys.modules)]))")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    dt, loaded = json.loads(out)
    assert loaded == []
    assert dt < 0.05  # ~3 ms measured; generous bound for a loaded CI machine
