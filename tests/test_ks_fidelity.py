"""ksonnet 0.13 fidelity (issue 13): small apps of our own reproducing the shapes real ks apps had.

Truth is ks 0.13.1's source: ``pkg/params/ext_vars.go`` (``__ksonnet/environments``),
``pkg/prototype/jsonnet_parser.go`` (prototype headers), ``pkg/cluster/show.go`` (what show printed),
``pkg/prototype/system/*.jsonnet`` (the built-in prototypes), ``pkg/util/jsonnet/object.go``
(``param set`` value decoding).
"""

from __future__ import annotations

import json
import textwrap
from pathlib import Path

import pytest
import yaml

from tests.conftest import run_kfctl


def write(path: Path, text: str) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(textwrap.dedent(text))


def show_json(app_dir: Path, *args: str) -> list[dict]:
    res = run_kfctl("show", *args, "-o", "json", cwd=app_dir, check=0)
    return json.loads(res.stdout)["items"]


def set_component_params(app_dir: Path, body: str) -> None:
    write(app_dir / "components" / "params.libsonnet", "{\n  global: {},\n  components: {\n" + body + "  },\n}\n")


# ------------------------------------------------------------------------------------------------
# 1. __ksonnet/environments is {server, namespace}; kfctl-native code reads __kfctl/env

KF04_LIB = """\
{
  // Kubeflow 0.4/0.5 common/*.libsonnet: new(_env, _params):: { local params = _params + _env, ... }
  new(_env, _params):: {
    local params = _params + _env,
    all:: [
      { apiVersion: "v1", kind: "Service", metadata: { name: params.name, namespace: params.namespace } },
      { apiVersion: "v1", kind: "ConfigMap", metadata: { name: params.name + "-login", namespace: params.namespace },
        data: { keys: std.join(",", std.objectFields(_env)) } },
    ],
  },
}
"""


def test_env_ext_var_is_what_ks_passed_so_params_plus_env_keeps_names(app_dir):
    write(app_dir / "lib" / "kf04.libsonnet", KF04_LIB)
    write(app_dir / "components" / "ambassador.jsonnet", """\
        local env = std.extVar("__ksonnet/environments");
        local params = std.extVar("__ksonnet/params").components.ambassador;
        local lib = import "kf04.libsonnet";
        lib.new(env, params).all
        """)
    set_component_params(app_dir, '    ambassador: { name: "ambassador" },\n')
    items = show_json(app_dir, "default")
    assert [(o["kind"], o["metadata"]["name"], o["metadata"]["namespace"]) for o in items] == [
        ("ConfigMap", "ambassador-login", "demo-ns"), ("Service", "ambassador", "demo-ns")]
    assert items[0]["data"] == {"keys": "namespace,server"}


def test_kfctl_env_ext_var_gives_kfctl_native_code_the_env_name(app_dir):
    run_kfctl("env", "add", "prd", "--server", "https://prd:6443", "-n", "prd-ns", "--platform", "gke",
              cwd=app_dir, check=0)
    write(app_dir / "components" / "who.jsonnet", """\
        local e = std.extVar("__kfctl/env");
        { apiVersion: "v1", kind: "ConfigMap", metadata: { name: "who-" + e.name }, data: {
            namespace: e.namespace, server: e.server, k8sVersion: e.k8sVersion, platform: std.toString(e.platform),
            ks: std.join(",", std.objectFields(std.extVar("__ksonnet/environments"))) } }
        """)
    (cm,) = show_json(app_dir, "prd")
    assert cm["metadata"]["name"] == "who-prd"
    assert cm["data"] == {"namespace": "prd-ns", "server": "https://prd:6443", "k8sVersion": "v1.30.0",
                          "platform": "gke", "ks": "namespace,server"}
    (cm,) = show_json(app_dir, "default")
    assert cm["metadata"]["name"] == "who-default" and cm["data"]["platform"] == "null"


def test_prototype_preview_has_kfctl_env_with_null_name(tmp_path):
    protos = tmp_path / "app"
    run_kfctl("init", "app", "--dir", str(protos), "--server", "https://k:6443", "-n", "ns", check=0,
              env={"KUBECONFIG": str(tmp_path / "none")})
    write(protos / "prototypes" / "who.jsonnet", """\
        // @apiVersion 0.1
        // @name io.acme.who
        // @param name string Name
        { apiVersion: "v1", kind: "ConfigMap", metadata: { name: params.name },
          data: { env: std.toString(std.extVar("__kfctl/env").name), ns: std.extVar("__kfctl/env").namespace,
                  ks: std.join(",", std.objectFields(env)) } }
        """)
    out = run_kfctl("prototype", "preview", "who", "--name", "x", "-n", "pv", "-o", "json", cwd=protos, check=0).stdout
    (cm,) = json.loads(out)["items"]
    assert cm["data"] == {"env": "null", "ns": "pv", "ks": "namespace,server"}


def test_nothing_shipped_reads_the_env_name_from_ksonnet_environments():
    """registry/ and prototypes/ must use __kfctl/env for the env name (docs/prototypes.md)."""
    import re

    root = Path(__file__).resolve().parents[1]
    pattern = re.compile(r"""\benv\s*(\.\s*name\b|\[\s*['"]name['"]\s*\])|objectHas\(\s*_?env\s*,\s*['"]name['"]""")
    offenders = [f"{p.relative_to(root)}:{i}" for d in ("registry", "prototypes") for p in sorted((root / d).rglob("*sonnet"))
                 for i, line in enumerate(p.read_text().splitlines(), 1) if pattern.search(line)]
    assert offenders == []


# ------------------------------------------------------------------------------------------------
# 2. prototype headers parsed as ks did (split on single spaces; directives anywhere; comments kept)

from kfctl.registry.prototype import PrototypeError, parse_prototype_text  # noqa: E402

# (header line, expected (name, type, default, description)); ks: strings.SplitN(src, " ", 3 or 4)
PARAM_FORMS = [
    ("// @param name string Name of the thing", ("name", "string", None, "Name of the thing")),
    ("// @param name string Name  with  two  spaces", ("name", "string", None, "Name  with  two  spaces")),
    ("// @param name string", ("name", "string", None, "")),  # ks refused a missing description
    ("// @optionalParam replicas number 1 Number of replicas", ("replicas", "number", "1", "Number of replicas")),
    # Kubeflow 0.4 modeldb: two spaces after the type = an empty default, the description whole
    ("// @optionalParam mongoDbService string  The name of an existing service for Mongo. If empty, one is created.",
     ("mongoDbService", "string", "", "The name of an existing service for Mongo. If empty, one is created.")),
    # Kubeflow 0.4 tf-batch-predict: three spaces = empty default, leading blanks of the description dropped
    ("// @optionalParam tempLocation string   if the job is launched in Dataflow on GCP",
     ("tempLocation", "string", "", "if the job is launched in Dataflow on GCP")),
    # Kubeflow 0.4 tf-batch-predict: no default written, so ks took the description's first word
    ("// @optionalParam projectName string The GCP project name", ("projectName", "string", "The", "GCP project name")),
    ("// @optionalParam image string null The image to use.  If null, the default.",
     ("image", "string", "null", "The image to use.  If null, the default.")),
    ("// @optionalParam data object {} Data for the configMap.", ("data", "object", "{}", "Data for the configMap.")),
    ("// @optionalParam rules array [{\"a\":1}] Rules.", ("rules", "array", "[{\"a\":1}]", "Rules.")),
    ("// @optionalParam x string 1", ("x", "string", "1", "")),  # ks refused a missing description
    ("//   @optionalParam x numberOrString 80 Port", ("x", "numberOrString", "80", "Port")),
    ("\t// @param x object Labels", ("x", "object", None, "Labels")),
]


@pytest.mark.parametrize("line,expected", PARAM_FORMS, ids=[f[0][3:40] for f in PARAM_FORMS])
def test_param_header_forms(line, expected):
    p = parse_prototype_text(f"// @apiVersion 0.1\n// @name io.acme.t\n{line}\n{{}}\n", Path("t.jsonnet"))
    assert [(x.name, x.type, x.default, x.description) for x in p.params] == [expected]
    assert p.template == "{}\n"


@pytest.mark.parametrize("line,message", [
    ("// @param name  string Two spaces before the type", "t.jsonnet:3: parameter 'name' has unknown type '' "),
    ("// @optionalParam x string", "t.jsonnet:3: @optionalParam needs 'NAME TYPE DEFAULT DESCRIPTION', got 'x string'"),
    ("// @param x", "t.jsonnet:3: @param needs 'NAME TYPE DESCRIPTION', got 'x'"),
    ("// @bogus y", "t.jsonnet:3: unknown prototype directive @bogus"),
    ("// @name", "t.jsonnet:3: @name needs a value"),
    ("// @alias nope other", "t.jsonnet:3: @alias names no parameter 'nope'"),
])
def test_header_forms_ks_refused(line, message):
    with pytest.raises(PrototypeError) as err:
        parse_prototype_text(f"// @apiVersion 0.1\n// @name io.acme.t\n{line}\n{{}}\n", Path("t.jsonnet"))
    assert str(err.value).startswith(message)


def test_directives_anywhere_comments_and_blank_lines_stay_in_the_template():
    """ks's own testdata (pkg/prototype/testdata/prototype1.jsonnet) and Kubeflow's new-package-stub:
    a directive inside the body is a directive; plain comments after a blank line are template."""
    src = textwrap.dedent("""\
        // Copyright 2018 The Authors
        // @apiVersion 0.1
        // @name io.acme.svc
        // @description long description
        //   line 2
        // @param name string Name of the service
        // @shortDescription short description

        // TODO: You need to change the path kubeflow/{PACKAGE}/{LIB}
        // so that PACKAGE is the directory containing your package
        //@param notADirective string ks needed a blank after //
        {
           // our selector
           // @optionalParam serviceType string ClusterIP Type of service to expose
           type: params.serviceType,
        //
        }
        """)
    p = parse_prototype_text(src, Path("svc.jsonnet"))
    assert p.description == "long description\nline 2" and p.short_description == "short description"
    assert [(x.name, x.default, x.description) for x in p.params] == [
        ("name", None, "Name of the service"), ("serviceType", "ClusterIP", "Type of service to expose")]
    assert p.template == textwrap.dedent("""\
        // Copyright 2018 The Authors

        // TODO: You need to change the path kubeflow/{PACKAGE}/{LIB}
        // so that PACKAGE is the directory containing your package
        //@param notADirective string ks needed a blank after //
        {
           // our selector
           type: params.serviceType,
        //
        }
        """)
    assert p.template_line == 1


def test_continuation_lines_join_a_param_description_and_crlf_reads_like_lf():
    src = ("// @name io.acme.c\r\n// @optionalParam a string x first line\r\n//   second line\r\n"
           "// @param b string B\r\n\r\n{}\r\n")
    p = parse_prototype_text(src, Path("c.jsonnet"))
    assert [(x.name, x.default, x.description) for x in p.params] == [
        ("a", "x", "first line second line"), ("b", None, "B")]
    assert p.template == "\n{}\n"


MODELDB = """\
// @apiVersion 0.1
// @name io.ksonnet.pkg.modeldb
// @description Model management service (the shape of Kubeflow 0.4's modeldb)
// @shortDescription Model management
// @param name string Name to give to each of the components
// @optionalParam modeldbImage string mitdbg/modeldb-backend:kf0.4 The image for modeldb
// @optionalParam mongoDbService string  The name of an existing service for Mongo. If empty, a Mongo instance will be created.
// @optionalParam modeldbMongoPvcSize string 20Gi Size of Mongo PVC.

// Plain comments after the header are kept, as ks kept them.
local namespace = env.namespace;
local svc(n) = { apiVersion: "v1", kind: "Service", metadata: { name: n, namespace: namespace } };
local own = [svc("modeldb-backend"), svc("modeldb-frontend")];
std.prune({ apiVersion: "v1", kind: "List",
  items: own + if params.mongoDbService != "" then [] else [svc("modeldb-db"), { apiVersion: "v1",
    kind: "PersistentVolumeClaim", metadata: { name: "modeldb-db-pvc" }, spec: { resources: { requests: {
      storage: params.modeldbMongoPvcSize } } } }] })
"""


def test_modeldb_two_space_default_is_empty_and_generate_keeps_comment_lines(app_dir):
    write(app_dir / "prototypes" / "modeldb.jsonnet", MODELDB)
    run_kfctl("generate", "modeldb", "modeldb", cwd=app_dir, check=0)
    assert (app_dir / "components" / "modeldb.jsonnet").read_text().startswith(
        'local env = std.extVar("__ksonnet/environments");\n'
        'local params = std.extVar("__ksonnet/params").components.modeldb;\n'
        "\n// Plain comments after the header are kept, as ks kept them.\nlocal namespace = env.namespace;\n")
    params = (app_dir / "components" / "params.libsonnet").read_text()
    assert 'mongoDbService: "",' in params and 'modeldbMongoPvcSize: "20Gi",' in params
    kinds = [(o["kind"], o["metadata"]["name"]) for o in show_json(app_dir, "default")]
    assert kinds == [("PersistentVolumeClaim", "modeldb-db-pvc"), ("Service", "modeldb-backend"),
                     ("Service", "modeldb-db"), ("Service", "modeldb-frontend")]
    out = run_kfctl("prototype", "describe", "modeldb", cwd=app_dir, check=0).stdout
    assert ("  --mongoDbService=<mongoDbService>           The name of an existing service for Mongo. If empty, "
            "a Mongo instance will be created. [default: , type: string]\n") in out


# ------------------------------------------------------------------------------------------------
# 4. ks's own parameter names of the built-in prototypes are aliases

KS_SYSTEM_PROTOTYPES = {  # ks 0.13.1 pkg/prototype/system/*.jsonnet: name -> its parameters
    "io.ksonnet.pkg.configMap": ["name", "data"],
    "io.ksonnet.pkg.deployed-service": ["name", "image", "servicePort", "containerPort", "replicas", "type"],
    "io.ksonnet.pkg.namespace": ["name"],
    "io.ksonnet.pkg.single-port-deployment": ["name", "image", "replicas", "containerPort"],
    "io.ksonnet.pkg.single-port-service": ["name", "targetLabelSelector", "servicePort", "targetPort", "protocol",
                                           "serviceType"],
}


def test_every_ks_builtin_parameter_name_is_accepted_by_the_builtins():
    from kfctl.registry.index import PrototypeIndex

    index = PrototypeIndex(None)
    for name, ks_params in KS_SYSTEM_PROTOTYPES.items():
        proto = index.find(name)
        accepted = {p.name for p in proto.params} | set(proto.aliases())
        assert set(ks_params) <= accepted, name
    assert index.find("single-port-deployment").aliases() == {"containerPort": "port"}
    assert index.find("single-port-service").aliases() == {"serviceType": "type"}


def test_ks_scripts_run_unchanged_generate_and_param_set_with_ks_names(app_dir):
    run_kfctl("generate", "single-port-deployment", "web", "--image", "nginx", "--containerPort", "8080",
              cwd=app_dir, check=0)
    run_kfctl("generate", "single-port-service", "websvc", "--targetLabelSelector", "{app: 'web'}",
              "--serviceType=NodePort", cwd=app_dir, check=0)
    res = run_kfctl("param", "set", "web", "containerPort", "9090", cwd=app_dir, check=0)
    assert res.stderr == ("✓ Set web.port = 9090 (number) in components/params.libsonnet\n"
                          "(containerPort is ks 0.13's name for port)\n")
    objs = {o["kind"]: o for o in show_json(app_dir, "default")}
    assert objs["Deployment"]["spec"]["template"]["spec"]["containers"][0]["ports"] == [{"containerPort": 9090}]
    assert objs["Service"]["spec"]["type"] == "NodePort"
    params = (app_dir / "components" / "params.libsonnet").read_text()
    assert "containerPort" not in params and "serviceType" not in params
    res = run_kfctl("generate", "single-port-deployment", "w2", "--image", "x", "--port", "1", "--containerPort", "2",
                    cwd=app_dir)
    assert (res.exit_code, res.stderr) == (2, "error: --port and --containerPort name the same parameter of "
                                              "io.ksonnet.pkg.single-port-deployment (containerPort is ks 0.13's "
                                              "name for port); give one\n")


def test_describe_lists_aliases_and_preview_takes_them(tmp_path):
    out = run_kfctl("prototype", "describe", "single-port-service", cwd=tmp_path, check=0).stdout
    assert "\nPARAMETER ALIASES (ks 0.13's names):\n  --serviceType = --type\n\nTEMPLATE TYPES AVAILABLE:\n" in out
    data = json.loads(run_kfctl("prototype", "describe", "single-port-service", "-o", "json", cwd=tmp_path,
                                check=0).stdout)
    assert {p["name"]: p["aliases"] for p in data["params"]}["type"] == ["serviceType"]
    plain = run_kfctl("prototype", "describe", "deployed-service", cwd=tmp_path, check=0).stdout
    assert "ALIASES" not in plain
    out = run_kfctl("prototype", "preview", "single-port-service", "--name", "s", "--targetLabelSelector", "{a: 'b'}",
                    "--serviceType", "NodePort", "-o", "json", cwd=tmp_path, check=0).stdout
    assert json.loads(out)["items"][0]["spec"]["type"] == "NodePort"


# ------------------------------------------------------------------------------------------------
# 5. the built-in registry's prototypes are discoverable before installation

def table(text: str) -> list[list[str]]:
    """Rows of a kfctl table, cut at the header's column starts (cells may be blank)."""
    import re

    lines = text.splitlines()
    starts = [m.start() for m in re.finditer(r"\S+", lines[0])]
    bounds = list(zip(starts, [*starts[1:], None]))
    return [[line[a:b].strip() for a, b in bounds] for line in lines[2:]]


def test_registry_prototypes_listed_searched_and_described_before_install(app_dir):
    rows = {r[0]: r[1:3] for r in table(run_kfctl("prototype", "list", cwd=app_dir, check=0).stdout)}
    assert rows["io.ksonnet.pkg.kubeflow-core"] == ["kubeflow/core", ""]  # not installed
    assert rows["io.ksonnet.pkg.deployed-service"] == ["(builtin)", "*"]
    data = json.loads(run_kfctl("prototype", "list", "-o", "json", cwd=app_dir, check=0).stdout)["data"]
    core = next(r for r in data if r["name"] == "io.ksonnet.pkg.kubeflow-core")
    assert core == {"name": "io.ksonnet.pkg.kubeflow-core", "description": core["description"],
                    "source": "kubeflow/core", "package": "kubeflow/core", "installed": False}
    found = [r[:3] for r in table(run_kfctl("prototype", "search", "core", cwd=app_dir, check=0).stdout)]
    assert found == [["io.ksonnet.pkg.kubeflow-core", "kubeflow/core", ""],
                     ["io.ksonnet.pkg.tf-job-operator", "kubeflow/core", ""]]
    for name in ("kubeflow-core", "io.ksonnet.pkg.kubeflow-core", "kubeflow/core/kubeflow-core",
                 "kubeflow/core/io.ksonnet.pkg.kubeflow-core"):
        out = run_kfctl("prototype", "describe", name, cwd=app_dir, check=0).stdout
        assert out.startswith("PROTOTYPE NAME:\nio.ksonnet.pkg.kubeflow-core\n\nDESCRIPTION:\n"), name
        assert out.endswith("/registry/core/prototypes/all.jsonnet)\n  not installed: 'kfctl generate kubeflow-core "
                            "COMPONENT' installs kubeflow/core (or run 'kfctl pkg install kubeflow/core')\n"), name
    assert not (app_dir / "vendor" / "kubeflow").exists()  # nothing was installed by looking
    res = run_kfctl("prototype", "describe", "kubeflow/gpu/kubeflow-core", cwd=app_dir)
    assert (res.exit_code, res.stderr) == (1, "error: no prototype named 'kubeflow/gpu/kubeflow-core'; did you mean "
                                              "'kubeflow-core'? see 'kfctl prototype list'\n")

    run_kfctl("generate", "kubeflow/core/kubeflow-core", "core", cwd=app_dir, check=0)
    rows = {r[0]: r[1:3] for r in table(run_kfctl("prototype", "list", cwd=app_dir, check=0).stdout)}
    assert rows["io.ksonnet.pkg.kubeflow-core"] == ["kubeflow/core", "*"]
    assert rows["io.ksonnet.pkg.tf-job"] == ["kubeflow/tf-job", ""]
    out = run_kfctl("prototype", "describe", "kubeflow-core", cwd=app_dir, check=0).stdout
    assert out.endswith(f"SOURCE:\n  kubeflow/core ({app_dir.resolve()}/vendor/kubeflow/core/prototypes/all.jsonnet)\n")


def test_outside_an_app_the_builtin_registry_is_listed_too(tmp_path):
    rows = {r[0]: r[1:3] for r in table(run_kfctl("prototype", "list", cwd=tmp_path, check=0).stdout)}
    assert rows["io.ksonnet.pkg.tf-job"] == ["kubeflow/tf-job", ""]
    assert rows["io.ksonnet.pkg.configMap"] == ["(builtin)", "*"]


# ------------------------------------------------------------------------------------------------
# 7. param set says what it stored; values decode as ks 0.13's DecodeValue did

PARAM_SET_CASES = [  # (typed, flags, message, text written into the params file)
    ("007", [], '✓ Set web.zip = "007" (string) in components/params.libsonnet', '"007"'),  # ks: no leading 0
    ("7", [], "✓ Set web.zip = 7 (number) in components/params.libsonnet", "7"),
    ("1.10", [], "✓ Set web.zip = 1.1 (number; pass --as-string to keep '1.10') in components/params.libsonnet", "1.1"),
    ("+5", [], "✓ Set web.zip = 5 (number; pass --as-string to keep '+5') in components/params.libsonnet", "5"),
    ("1.5", [], "✓ Set web.zip = 1.5 (number; ks 0.13 stored the string '1.5': pass --as-string for that) in "
                "components/params.libsonnet", "1.5"),
    ("10.5", [], "✓ Set web.zip = 10.5 (number) in components/params.libsonnet", "10.5"),
    ("007", ["--as-string"], '✓ Set web.zip = "007" (string) in components/params.libsonnet', '"007"'),
    ("True", [], "✓ Set web.zip = true (boolean) in components/params.libsonnet", "true"),
    ('{"a": [1]}', [], '✓ Set web.zip = {"a": [1]} (object) in components/params.libsonnet', '{"a": [1]}'),
]


def test_param_set_prints_the_stored_value_and_type(app_dir):
    run_kfctl("generate", "deployed-service", "web", "--image", "nginx", cwd=app_dir, check=0)
    for raw, extra, message, text in PARAM_SET_CASES:
        res = run_kfctl("param", "set", "web", "zip", raw, *extra, cwd=app_dir, check=0)
        assert (res.stderr, res.stdout) == (message + "\n", ""), raw
        assert f"      zip: {text},\n" in (app_dir / "components" / "params.libsonnet").read_text(), raw
    # a number jsonnet cannot hold is refused (issue 11), not stored as a string or as Infinity
    before = (app_dir / "components" / "params.libsonnet").read_text()
    res = run_kfctl("param", "set", "web", "zip", "1E400", cwd=app_dir)
    assert (res.exit_code, res.stderr) == (2, "error: value '1E400': 1E400 is not a finite number; jsonnet numbers "
                                              "must be finite (at most ±1.8e308)\n")
    assert (app_dir / "components" / "params.libsonnet").read_text() == before
    res = run_kfctl("param", "set", "web", "zip", "0.01", "--env", "default", cwd=app_dir, check=0)
    assert res.stderr == "✓ Set web.zip = 0.01 (number) in environments/default/params.libsonnet\n"
    rows = json.loads(run_kfctl("param", "list", "web", "--env", "default", "-o", "json", cwd=app_dir,
                                check=0).stdout)["data"]
    assert {r["param"]: r["value"] for r in rows}["zip"] == 0.01


def test_ks_kind_is_ks_decode_value():
    """ks 0.13.1 pkg/util/jsonnet/object_test.go TestDecodeValue cases, and the float pattern's quirks."""
    from kfctl.app.values import ks_kind

    assert [ks_kind(s) for s in ("0.9", "9", "0", "00", "True", "false", '["a"]', "{}", "007", "1.5", "10.5",
                                 "10.2.3", "1e3", "-3")] == [
        "number", "number", "number", "string", "boolean", "boolean", "array", "object", "string", "string",
        "number", "string", "string", "number"]


# ------------------------------------------------------------------------------------------------
# 3. one object rendered by two components: show/export/validate warn and emit both; apply/diff refuse

def _two_components_one_object(app_dir: Path) -> None:
    # the shape of Kubeflow apps that generated two prototypes sharing a ServiceAccount
    for comp, extra in (("jupyter", "a"), ("tf-job-operator", "b")):
        write(app_dir / "components" / f"{comp}.jsonnet", f"""\
            [
              {{ apiVersion: "v1", kind: "ServiceAccount", metadata: {{ name: "kubeflow", annotations: {{ by: "{extra}" }} }} }},
              {{ apiVersion: "v1", kind: "ConfigMap", metadata: {{ name: "{comp}" }}, data: {{ a: "1" }} }},
            ]
            """)


DUP_WARNING = ("warning: ServiceAccount demo-ns/kubeflow is rendered by components 'jupyter' and 'tf-job-operator'; "
               "every copy is output, as ks did\n")


def _sa(by: str, comp: str) -> dict:
    return {"apiVersion": "v1", "kind": "ServiceAccount",
            "metadata": {"name": "kubeflow", "namespace": "demo-ns", "annotations": {"by": by},
                         "labels": {"app.kubernetes.io/managed-by": "kfctl", "kfctl.dev/app": "demo",
                                    "kfctl.dev/env": "default", "kfctl.dev/component": comp}}}


def test_duplicate_object_show_warns_and_prints_both_copies(app_dir):
    _two_components_one_object(app_dir)
    res = run_kfctl("show", "default", "-o", "json", cwd=app_dir, check=0)
    assert res.stderr == DUP_WARNING
    items = json.loads(res.stdout)["items"]
    assert [(o["kind"], o["metadata"]["name"], o["metadata"]["labels"]["kfctl.dev/component"]) for o in items] == [
        ("ServiceAccount", "kubeflow", "jupyter"), ("ServiceAccount", "kubeflow", "tf-job-operator"),
        ("ConfigMap", "jupyter", "jupyter"), ("ConfigMap", "tf-job-operator", "tf-job-operator")]
    assert items[:2] == [_sa("a", "jupyter"), _sa("b", "tf-job-operator")]
    res = run_kfctl("show", "default", "-c", "jupyter", cwd=app_dir, check=0)
    assert res.stderr == ""  # one component: nothing collides


def test_duplicate_object_export_and_validate_warn_and_keep_both(app_dir, tmp_path):
    _two_components_one_object(app_dir)
    res = run_kfctl("export", "default", str(tmp_path / "out"), cwd=app_dir, check=0)
    assert res.stderr == DUP_WARNING + f"env default: 3 written, 0 unchanged, 0 removed in {tmp_path / 'out'}\n"
    text = (tmp_path / "out" / "demo-ns" / "ServiceAccount-kubeflow.yaml").read_text()
    assert list(yaml.safe_load_all(text)) == [_sa("a", "jupyter"), _sa("b", "tf-job-operator")]
    index = json.loads((tmp_path / "out" / ".kfctl-export.json").read_text())
    entry = index["files"]["demo-ns/ServiceAccount-kubeflow.yaml"]
    assert (entry["component"], entry["components"]) == ("jupyter", ["jupyter", "tf-job-operator"])
    res = run_kfctl("validate", "default", cwd=app_dir, check=0)
    assert res.stderr == DUP_WARNING + "✓ 4 object(s) of env default valid against Kubernetes 1.30\n"


def test_duplicate_object_env_diff_refuses_naming_the_components(app_dir):
    _two_components_one_object(app_dir)
    run_kfctl("env", "add", "prd", "--server", "https://prd:6443", "-n", "prd", cwd=app_dir, check=0)
    res = run_kfctl("diff", "default", "prd", cwd=app_dir)
    assert (res.exit_code, res.stdout) == (2, "")
    assert res.stderr == ("error: cannot diff env default: ServiceAccount demo-ns/kubeflow is rendered by components "
                          "'jupyter' and 'tf-job-operator'; diff one of them with -c, e.g. "
                          "'kfctl diff default -c jupyter', or give the objects different names\n")
    assert run_kfctl("diff", "default", "prd", "-c", "jupyter", cwd=app_dir).exit_code == 1


# ------------------------------------------------------------------------------------------------
# 8. the two go-jsonnet 0.11 behaviours ks showed (docs/coming-from-ksonnet.md, "Known differences")

GOJSONNET_011 = """\
local base = { replicas:: 1 };
local over = base + { replicas: 3 };  // ':' keeps the field hidden
{
  concat: "x=" + 0.1,
  toString: std.toString(1 / 3),
  format: "%s" % [0.1],
  manifest: std.manifestJsonEx({ v: 0.1 }, ""),
  whole: "n=" + 100000000000000000000,
  objectHas: std.objectHas(over, "replicas"),
  objectHasAll: std.objectHasAll(over, "replicas"),
  fields: std.objectFields(over),
}
"""


def test_go_jsonnet_011_differences_and_their_workarounds():
    from kfctl.jsonnet import evaluate

    ks = {"concat": "x=0.10000000000000001", "toString": "0.33333333333333331", "format": "0.10000000000000001",
          "manifest": '{\n"v": 0.10000000000000001\n}', "whole": "n=100000000000000000000"}
    cpp = evaluate(GOJSONNET_011, filename="t.jsonnet", engine="jsonnet")
    assert {k: cpp[k] for k in ks} == ks  # the C++ engine prints numbers in strings as go-jsonnet 0.11 did
    default = evaluate(GOJSONNET_011, filename="t.jsonnet", engine="rjsonnet")
    assert {k: default[k] for k in ks} == {"concat": "x=0.1", "toString": "0.3333333333333333", "format": "0.1",
                                           "manifest": '{\n"v": 0.1\n}', "whole": "n=100000000000000000000"}
    go = evaluate(GOJSONNET_011, filename="t.jsonnet", engine="gojsonnet")
    assert (go["concat"], go["manifest"]) == ("x=0.10000000000000001", '{\n"v": 0.1\n}')
    for out in (cpp, default, go):  # go-jsonnet 0.11 said true; every engine now says false
        assert (out["objectHas"], out["objectHasAll"], out["fields"]) == (False, True, [])
