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
