"""Synthetic renders for gitops tests (no jsonnet involved)."""

from __future__ import annotations

import copy

from kfctl.render.model import Render, RenderedObject
from kfctl.render.scopes import crd_scopes_of


def deployment(name: str, ns: str = "demo-ns", replicas=1, image: str = "nginx:1.25", **extra) -> dict:
    obj = {"apiVersion": "apps/v1", "kind": "Deployment", "metadata": {"name": name, "namespace": ns},
           "spec": {"replicas": replicas, "selector": {"matchLabels": {"app": name}},
                    "template": {"metadata": {"labels": {"app": name}},
                                 "spec": {"containers": [{"name": name, "image": image}]}}}}
    obj["spec"].update(extra)
    return obj


def service(name: str, ns: str = "demo-ns") -> dict:
    return {"apiVersion": "v1", "kind": "Service", "metadata": {"name": name, "namespace": ns},
            "spec": {"ports": [{"port": 80, "targetPort": "http"}], "selector": {"app": name}}}


def cluster_role(name: str) -> dict:
    return {"apiVersion": "rbac.authorization.k8s.io/v1", "kind": "ClusterRole", "metadata": {"name": name},
            "rules": [{"apiGroups": [""], "resources": ["pods"], "verbs": ["get"]}]}


def widget_crd(scope: str = "Namespaced") -> dict:
    return {
        "apiVersion": "apiextensions.k8s.io/v1", "kind": "CustomResourceDefinition",
        "metadata": {"name": "widgets.example.com"},
        "spec": {"group": "example.com", "scope": scope,
                 "names": {"kind": "Widget", "plural": "widgets", "singular": "widget", "listKind": "WidgetList"},
                 "versions": [{"name": "v1", "served": True, "storage": True, "schema": {"openAPIV3Schema": {
                     "type": "object",
                     "properties": {"spec": {"type": "object", "required": ["size"], "properties": {
                         "size": {"type": "integer", "minimum": 1},
                         "port": {"x-kubernetes-int-or-string": True},
                         "note": {"type": "string", "nullable": True},
                         "extra": {"type": "object", "x-kubernetes-preserve-unknown-fields": True},
                         "labels": {"type": "object", "additionalProperties": {"type": "string"}}}},
                         "status": {"type": "object", "x-kubernetes-preserve-unknown-fields": True}}}}},
                              {"name": "v1alpha1", "served": False, "storage": False}]}}


def widget(name: str, ns: str = "demo-ns", **spec) -> dict:
    return {"apiVersion": "example.com/v1", "kind": "Widget", "metadata": {"name": name, "namespace": ns},
            "spec": spec or {"size": 1}}


def make_render(*items: tuple[str, dict], env: str = "default", namespace: str = "demo-ns", app: str = "demo") -> Render:
    objs = [RenderedObject(c, copy.deepcopy(o)) for c, o in items]
    return Render(app=app, env=env, namespace=namespace, objects=objs, crd_scopes=crd_scopes_of(o.obj for o in objs))
