"""Object names Kubernetes would refuse (item 8): generate refuses them up front, validate flags them,
with the rule Kubernetes applies to that kind (DNS-1123 subdomain for most, DNS-1035 label for
Services, DNS-1123 label for Namespaces, path segments for RBAC)."""

from __future__ import annotations

import json

import pytest

from tests.bad_input.helpers import fails, run, succeeds

SUBDOMAIN = ("must be a lowercase RFC 1123 subdomain: lower case letters, digits, '-' or '.', starting and "
             "ending with a letter or digit, at most 253 characters")
LABEL_1035 = ("must be a lowercase RFC 1035 label: lower case letters, digits or '-', starting with a letter and "
              "ending with a letter or digit, at most 63 characters")
LABEL_1123 = ("must be a lowercase RFC 1123 label: lower case letters, digits or '-', starting and ending with a "
              "letter or digit, at most 63 characters")


@pytest.mark.parametrize("args, kind, name, rule", [
    (("configMap", "Web_1"), "ConfigMap", "Web_1", SUBDOMAIN),
    (("configMap", "cm", "--name", "Bad_Name"), "ConfigMap", "Bad_Name", SUBDOMAIN),
    (("configMap", "cm", "--name", "-cm"), "ConfigMap", "-cm", SUBDOMAIN),
    (("configMap", "cm", "--name", "cm."), "ConfigMap", "cm.", SUBDOMAIN),
    (("deployed-service", "Web_1", "--image", "nginx"), "Service", "Web_1", LABEL_1035),  # the first in apply order
    (("deployed-service", "web.1", "--image", "nginx"), "Service", "web.1", LABEL_1035),
    (("deployed-service", "1web", "--image", "nginx"), "Service", "1web", LABEL_1035),
    (("deployed-service", "w" * 64, "--image", "nginx"), "Service", "w" * 64, LABEL_1035),
    (("namespace", "ns", "--name", "team.a"), "Namespace", "team.a", LABEL_1123),
])
def test_generate_refuses_an_object_name_kubernetes_would_refuse(app, args, kind, name, rule):
    shown = name if len(name) <= 60 else name[:57] + "..."
    fails(app, "generate", *args, code=2,
          line=f"{kind} name {shown!r} is invalid: {rule}; pass --name with a valid name")


@pytest.mark.parametrize("args", [("configMap", "web.1"), ("configMap", "Web_1", "--name", "web-1"),
                                  ("deployed-service", "a-b", "--image", "nginx")])
def test_generate_accepts_names_valid_for_their_kinds(app, args):
    succeeds(app, "generate", *args, stderr=None)


BAD_OBJECTS = [
    ('{apiVersion: "v1", kind: "ConfigMap", metadata: {name: "Bad_Name"}}', "ConfigMap", "Bad_Name",
     "metadata.name", SUBDOMAIN),
    ('{apiVersion: "v1", kind: "Service", metadata: {name: "web.svc"}, spec: {ports: [{port: 80}]}}',
     "Service", "web.svc", "metadata.name", LABEL_1035),
    ('{apiVersion: "v1", kind: "Namespace", metadata: {name: "Team"}}', "Namespace", "Team", "metadata.name",
     LABEL_1123),
    ('{apiVersion: "v1", kind: "ConfigMap", metadata: {name: "ok", namespace: "Bad_NS"}}', "ConfigMap", "ok",
     "metadata.namespace", LABEL_1123),
    ('{apiVersion: "rbac.authorization.k8s.io/v1", kind: "Role", metadata: {name: "a/b"}}', "Role", "a/b",
     "metadata.name", "may not contain '/' or '%', nor be '.' or '..'"),
]


@pytest.mark.parametrize("text, kind, name, path, rule", BAD_OBJECTS, ids=[b[1] + "-" + b[3] for b in BAD_OBJECTS])
def test_validate_flags_invalid_names(app, text, kind, name, path, rule):
    (app / "components" / "odd.jsonnet").write_text(text + "\n")
    res = run(app, "validate", "default")
    assert res.exit_code == 1, res
    assert res.stdout == f"odd/{kind}/{name}: {path}: invalid name {name if path.endswith('name') else 'Bad_NS'!r}: {rule}\n"


def test_validate_accepts_names_valid_for_their_kinds(app):
    (app / "components" / "odd.jsonnet").write_text(
        '[{apiVersion: "rbac.authorization.k8s.io/v1", kind: "Role", metadata: {name: "system:Reader_1"}},'
        ' {apiVersion: "v1", kind: "ConfigMap", metadata: {name: "a.b-c"}}]\n')
    res = run(app, "validate", "default", "-o", "json")
    assert res.exit_code == 0, res
    assert json.loads(res.stdout)["problems"] == []
