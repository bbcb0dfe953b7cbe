"""Tanka's k8s-libsonnet API (``github.com/jsonnet-libs/k8s-libsonnet/<minor>/main.libsonnet``),
generated from the same compact model as ksonnet-lib (see :mod:`kfctl.ksonnetlib.generate`)."""

from __future__ import annotations

import json

from kfctl.ksonnetlib.generate import (  # the shared naming rules and model index
    GENERATOR_VERSION,
    _KS_PRELUDE,
    _MAP_CONTAINERS,
    _ak,
    _index,
    _skip,
    _version_sort,
    cap,
    key,
    param,
    tkey,
)


_TK_CTORS: dict[str, list[str]] = {
    "Deployment": [
        "new(name, replicas=1, containers=error 'containers unset', podLabels={app: 'name'}):: %(AK)s"
        " + self.metadata.withName(name) + self.spec.withReplicas(replicas)"
        " + self.spec.template.spec.withContainers(containers) + self.spec.template.metadata.withLabels(podLabels),",
    ],
    "StatefulSet": [
        "new(name, replicas=1, containers=error 'containers unset', volumeClaims=[], podLabels={app: 'name'}):: %(AK)s"
        " + self.metadata.withName(name) + self.spec.withReplicas(replicas)"
        " + self.spec.template.spec.withContainers(containers) + self.spec.withVolumeClaimTemplates(volumeClaims)"
        " + self.spec.template.metadata.withLabels(podLabels),",
    ],
    "DaemonSet": [
        "new(name, containers=error 'containers unset', podLabels={app: 'name'}):: %(AK)s"
        " + self.metadata.withName(name) + self.spec.template.spec.withContainers(containers)"
        " + self.spec.template.metadata.withLabels(podLabels),",
    ],
    "ConfigMap": ["new(name, data={}):: %(AK)s + self.metadata.withName(name) + self.withData(data),"],
    "Secret": [
        "new(name, data, type='Opaque'):: %(AK)s + self.metadata.withName(name) + self.withData(data)"
        " + self.withType(type),"
    ],
    "Service": [
        "new(name, selector={}, ports=[]):: %(AK)s + self.metadata.withName(name) + self.spec.withSelector(selector)"
        " + self.spec.withPorts(ports),"
    ],
    "Container": ["new(name, image):: self.withName(name) + self.withImage(image),"],
    "ContainerPort": [
        "new(containerPort):: self.withContainerPort(containerPort),",
        "newNamed(containerPort, name):: self.withContainerPort(containerPort) + self.withName(name),",
        "newUDP(containerPort):: self.withContainerPort(containerPort) + self.withProtocol('UDP'),",
        "newNamedUDP(containerPort, name):: self.newNamed(containerPort, name) + self.withProtocol('UDP'),",
    ],
    "EnvVar": [
        "new(name, value):: self.withName(name) + self.withValue(value),",
        "fromSecretRef(name, secretRefName, secretRefKey):: self.withName(name)"
        " + self.valueFrom.secretKeyRef.withName(secretRefName) + self.valueFrom.secretKeyRef.withKey(secretRefKey),",
        "fromFieldPath(name, fieldPath):: self.withName(name) + self.valueFrom.fieldRef.withFieldPath(fieldPath),",
    ],
    "KeyToPath": ["new(key, path):: self.withKey(key) + self.withPath(path),"],
    "ServicePort": [
        "new(port, targetPort):: self.withPort(port) + self.withTargetPort(targetPort),",
        "newNamed(name, port, targetPort):: self.withName(name) + self.withPort(port) + self.withTargetPort(targetPort),",
    ],
    "Volume": [
        "fromConfigMap(name, configMapName, configMapItems=[]):: self.withName(name)"
        " + self.configMap.withName(configMapName)"
        " + (if configMapItems == [] then {} else self.configMap.withItems(configMapItems)),",
        "fromEmptyDir(name, emptyDir={}):: self.withName(name) + {emptyDir: emptyDir},",
        "fromPersistentVolumeClaim(name, claimName='', readOnly=false):: self.withName(name)"
        " + self.persistentVolumeClaim.withClaimName(claimName)"
        " + (if readOnly then self.persistentVolumeClaim.withReadOnly(readOnly) else {}),",
        "fromHostPath(name, hostPath):: self.withName(name) + self.hostPath.withPath(hostPath),",
        "fromSecret(name, secretName):: self.withName(name) + self.secret.withSecretName(secretName),",
    ],
    "VolumeMount": [
        "new(name, mountPath, readOnly=false):: self.withName(name) + self.withMountPath(mountPath)"
        " + self.withReadOnly(readOnly),"
    ],
    "RoleBinding": [
        "bindRole(role):: self.roleRef.withApiGroup('rbac.authorization.k8s.io')"
        " + self.roleRef.withKind(role.kind) + self.roleRef.withName(role.metadata.name),",
    ],
    "ClusterRoleBinding": [
        "bindRole(role):: self.roleRef.withApiGroup('rbac.authorization.k8s.io')"
        " + self.roleRef.withKind(role.kind) + self.roleRef.withName(role.metadata.name),",
    ],
    "Subject": [
        "fromServiceAccount(service_account):: self.withKind('ServiceAccount')"
        " + self.withName(service_account.metadata.name)"
        " + self.withNamespace(service_account.metadata.namespace),",
    ],
}


def _tk_type(tk: str, t: dict) -> str:
    lines = []
    for field, spec in t["fields"].items():
        if _skip(t, field):
            continue
        kind = spec[0]
        c, p, k = cap(field), param(field), tkey(field)
        if kind == "r":
            lines.append(f"{key(field)}:: __t[{json.dumps(spec[1])}](function(v) w({{{k}+: v}})),")
        elif kind in ("a", "ar"):
            lines.append(f"with{c}({p}):: w({{{k}: __A({p})}}),")
            lines.append(f"with{c}Mixin({p}):: w({{{k}+: __A({p})}}),")
        elif kind == "m":
            lines.append(f"with{c}({p}):: w({{{k}: {p}}}),")
            lines.append(f"with{c}Mixin({p}):: w({{{k}+: {p}}}),")
        else:
            lines.append(f"with{c}({p}):: w({{{k}: {p}}}),")
    lines.append("mixin:: self,")
    return f"  {json.dumps(tk)}(w):: {{\n    " + "\n    ".join(lines) + "\n  },\n"


def _tk_object(tk: str, t: dict) -> str:
    kind = tk.split(".")[2]
    extra = []
    if t["gvk"] is not None:
        ak = _ak(t)
        custom = _TK_CTORS.get(kind, ())
        if any(line.startswith("new(") for line in custom):
            pass
        elif "metadata" in t["fields"]:
            extra.append(f"new(name):: {ak} + self.metadata.withName(name),")
        else:
            extra.append(f"new():: {ak},")
        for line in custom:
            extra.append(line % {"AK": ak})
        if kind in _MAP_CONTAINERS and kind not in ("Pod", "CronJob"):
            extra.append("mapContainers(f):: __fn.mapContainers(f),")
            extra.append("mapContainersWithName(names, f):: __fn.mapContainersWithName(names, f),")
    else:
        extra.extend(line for line in _TK_CTORS.get(kind, ()) if "%(AK)s" not in line)
    ref = json.dumps(tk)
    if not extra:
        return f"__t[{ref}](__id)"
    return f"__t[{ref}](__id) + {{\n        " + "\n        ".join(extra) + "\n      }"


def tanka_main(model: dict, k8s_version: str) -> str:
    out = [
        "// AUTOGENERATED by kfctl (jsonnet-libs/k8s-libsonnet compatible API). DO NOT MODIFY.\n",
        f"// Kubernetes version: {k8s_version} (definitions {model['version']}: {model['source']})\n",
        f"// Generator: kfctl.ksonnetlib {GENERATOR_VERSION}\n\n",
        "local __A(x) = if std.type(x) == 'array' then x else [x];\nlocal __id(v) = v;\n",
        _KS_PRELUDE.split("local __fn = ", 1)[1].join(("local __fn = ", "")),
        "local __t = {\n",
    ]
    for tk, t in model["types"].items():
        out.append(_tk_type(tk, t))
    out.append("};\n\n{\n")
    for group, versions in sorted(_index(model).items()):
        out.append(f"  {key(group)}:: {{\n")
        for version in sorted(versions, key=_version_sort):
            out.append(f"    {key(version)}:: {{\n")
            names = versions[version]
            for name, tk in sorted(names.items()):
                out.append(f"      {key(name)}:: {_tk_object(tk, model['types'][tk])},\n")
            if group == "core" and version == "v1" and "list" not in names:
                out.append("      list:: {\n        new(items):: {apiVersion: 'v1', kind: 'List'} + self.withItems(items),\n"
                           "        withItems(items):: {items: __A(items)},\n"
                           "        withItemsMixin(items):: {items+: __A(items)},\n      },\n")
            out.append("    },\n")
        out.append("  },\n")
    out.append("}\n")
    return "".join(out)
