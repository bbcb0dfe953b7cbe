"""Generate ksonnet-lib (``k.libsonnet`` + ``k8s.libsonnet``) and Tanka's k8s-libsonnet
(``main.libsonnet``) from the compact API definitions (:mod:`kfctl.ksonnetlib.defs`).

Both libraries are emitted as ONE table of per-type builder functions plus a thin
group/version index, instead of ksonnet's fully inlined 3 MB tree: every ``mixin`` subtree is
the referenced type's builder applied to a wrapper function (``function(v) w({spec+: v})``),
so a subtree costs nothing until it is used.  All library fields are hidden (``::``), so
nothing is manifested by accident and recursive types (JSONSchemaProps) are safe.

ksonnet-lib surface (ks 0.11–0.13 / ksonnet.beta.3):
  ``k.<group>.<version>.<kind>.new(...)``, ``withX``/``withXMixin`` (arrays and maps),
  ``mixin.<ref>.<...>.withX`` (``self + {ref+: {...}}``), ``mixin.<ref>.mixinInstance(v)``,
  ``<field>Type`` helpers, ksonnet's custom constructors (deployment/statefulSet/service/
  container/containerPort.newNamed/servicePort.newNamed/envVar.fromSecretRef/volume.from*...),
  and k.libsonnet's ``core.v1.list.new`` and ``mapContainers``/``mapContainersWithName``.
Tanka surface (jsonnet-libs/k8s-libsonnet): ``new(name)``, ``withX``/``withXMixin`` returning
  plain patches, nested ``spec.template...`` objects (also reachable as ``mixin``), and the
  custom constructors of k8s-libsonnet's ``custom/`` overlays.
"""

from __future__ import annotations

import json
import re

GENERATOR_VERSION = "7"

_KEYWORDS = {
    "assert", "else", "error", "false", "for", "function", "if", "import", "importstr", "importbin",
    "in", "local", "null", "tailstrict", "then", "self", "super", "true",
}
_IDENT = re.compile(r"^[A-Za-z_][A-Za-z0-9_]*$")


def lower_first(kind: str) -> str:
    """ksonnet/Tanka object names: ``Deployment`` -> ``deployment``, ``APIService`` -> ``apiService``."""
    m = re.match(r"^([A-Z]+)(.*)$", kind)
    if not m:
        return kind
    run, rest = m.groups()
    if len(run) > 1 and rest and rest[0].islower():
        return run[:-1].lower() + run[-1] + rest
    return run.lower() + rest


def ks_capitalize(name: str) -> str:
    """ksonnet-gen's acronym rule: ``clusterIP`` -> ``clusterIp``, ``targetWWNs`` -> ``targetWwns``,
    ``HTTPGetAction`` -> ``HttpGetAction`` (ksonnet-lib ``ksonnet-gen/ksonnet/strings.go``)."""
    last = len(name) - 1
    if last <= 0:
        return name
    out = [name[0]]
    for i in range(1, last + 1):
        ch = name[i]
        if name[i - 1].isupper():
            if i < last:
                lower = name[i + 1].isupper() or (ch.isupper() and i + 1 == last)
            else:
                lower = ch.isupper()
            out.append(ch.lower() if lower else ch)
        else:
            out.append(ch)
    return "".join(out)


def cap(field: str) -> str:
    parts = [p for p in re.split(r"[^A-Za-z0-9]+", field) if p]
    return "".join(p[0].upper() + p[1:] for p in parts) or "X"


def key(name: str) -> str:
    return name if _IDENT.match(name) and name not in _KEYWORDS else json.dumps(name)


def param(name: str) -> str:
    return name if _IDENT.match(name) and name not in _KEYWORDS and not name.startswith("__") else "v"


def tkey(name: str) -> str:
    return json.dumps(name)


def _version_sort(v: str):
    m = re.match(r"v(\d+)(?:(alpha|beta)(\d+))?$", v)
    if not m:
        return (9, 0, 0, v)
    rank = {"alpha": 0, "beta": 1, None: 2}[m.group(2)]
    return (int(m.group(1)), rank, int(m.group(3) or 0), v)


def _index(model: dict) -> dict[str, dict[str, dict[str, str]]]:
    """group -> version -> object name -> type key (kinds and plain types)."""
    out: dict[str, dict[str, dict[str, str]]] = {}
    for tk in model["types"]:
        group, version, kind = tk.split(".")
        out.setdefault(group, {}).setdefault(version, {})[lower_first(kind)] = tk
    return out


def _api_version(gvk) -> str:
    group, version, _ = gvk
    return f"{group}/{version}" if group else version


def _skip(t: dict, field: str) -> bool:
    return t["gvk"] is not None and field in ("apiVersion", "kind", "status")


# --------------------------------------------------------------------------------------
# ksonnet-lib


_KS_LIST = "new(items):: %(AK)s + self.withItems(items),"
_KS_CTORS: dict[str, list[str]] = {
    "Deployment": [
        "new(name, replicas=1, containers, podLabels={app: 'name'}):: %(AK)s + self.mixin.metadata.withName(name)"
        " + self.mixin.spec.withReplicas(replicas) + self.mixin.spec.template.spec.withContainers(containers)"
        " + self.mixin.spec.template.metadata.withLabels(podLabels),"
    ],
    "StatefulSet": [
        "new(name, replicas=1, containers, volumeClaims=[], podLabels={app: 'name'}):: %(AK)s"
        " + self.mixin.metadata.withName(name) + self.mixin.spec.withReplicas(replicas)"
        " + self.mixin.spec.template.spec.withContainers(containers)"
        " + self.mixin.spec.withVolumeClaimTemplates(volumeClaims)"
        " + self.mixin.spec.template.metadata.withLabels(podLabels),"
    ],
    "DeploymentRollback": ["new(name):: %(AK)s + self.withName(name),"],
    "Scale": ["new(replicas=1):: %(AK)s + self.mixin.spec.withReplicas(replicas),"],
    "TokenReview": ["new(token):: %(AK)s + self.mixin.spec.withToken(token),"],
    "ConfigMap": ["new(name, data):: %(AK)s + self.mixin.metadata.withName(name) + self.withData(data),"],
    "Namespace": ["new(name):: %(AK)s + self.mixin.metadata.withName(name),"],
    "ServiceAccount": ["new(name):: %(AK)s + self.mixin.metadata.withName(name),"],
    "Secret": [
        "new(name, data, type='Opaque'):: %(AK)s + self.mixin.metadata.withName(name) + self.withData(data)"
        " + self.withType(type),",
        "fromString(name, stringData, type='Opaque'):: %(AK)s + self.mixin.metadata.withName(name)"
        " + self.withStringData(stringData) + self.withType(type),",
    ],
    "Service": [
        "new(name, selector, ports):: %(AK)s + self.mixin.metadata.withName(name) + self.mixin.spec.withSelector(selector)"
        " + self.mixin.spec.withPorts(ports),"
    ],
    "Container": ["new(name, image):: self.withName(name) + self.withImage(image),"],
    "ContainerPort": [
        "new(containerPort):: self.withContainerPort(containerPort),",
        "newNamed(containerPort, name):: self.withContainerPort(containerPort) + self.withName(name),",
    ],
    "EnvVar": [
        "new(name, value):: self.withName(name) + self.withValue(value),",
        "fromSecretRef(name, secretRefName, secretRefKey):: self.withName(name)"
        " + self.mixin.valueFrom.secretKeyRef.withName(secretRefName) + self.mixin.valueFrom.secretKeyRef.withKey(secretRefKey),",
        "fromFieldPath(name, fieldPath):: self.withName(name) + self.mixin.valueFrom.fieldRef.withFieldPath(fieldPath),",
    ],
    "KeyToPath": ["new(key, path):: self.withKey(key) + self.withPath(path),"],
    "ServicePort": [
        "new(port, targetPort):: self.withPort(port) + self.withTargetPort(targetPort),",
        "newNamed(name, port, targetPort):: self.withName(name) + self.withPort(port) + self.withTargetPort(targetPort),",
    ],
    "Volume": [
        "fromConfigMap(name, configMapName, configMapItems):: self.withName(name)"
        " + self.mixin.configMap.withName(configMapName) + self.mixin.configMap.withItems(configMapItems),",
        "fromEmptyDir(name, emptyDir={}):: self.withName(name) + self.mixin.emptyDir.mixinInstance(emptyDir),",
        "fromPersistentVolumeClaim(name, claimName):: self.withName(name)"
        " + self.mixin.persistentVolumeClaim.withClaimName(claimName),",
        "fromHostPath(name, hostPath):: self.withName(name) + self.mixin.hostPath.withPath(hostPath),",
        "fromSecret(name, secretName):: self.withName(name) + self.mixin.secret.withSecretName(secretName),",
    ],
    "VolumeMount": [
        "new(name, mountPath, readOnly=false):: self.withName(name) + self.withMountPath(mountPath)"
        " + self.withReadOnly(readOnly),"
    ],
}
# Kinds that get k.libsonnet's mapContainers helpers (ksonnet-gen's generated k.libsonnet).
_MAP_CONTAINERS = {"Deployment", "DaemonSet", "ReplicaSet", "StatefulSet", "Job", "CronJob", "Pod", "PodTemplate",
                   "ReplicationController"}


def _ks_type(tk: str, t: dict) -> str:
    """One table entry: f(w) = plain methods + Type helpers, x(w) = ref subtrees."""
    f, x = [], []
    for field, spec in t["fields"].items():
        if _skip(t, field):
            continue
        kind = spec[0]
        # ksonnet-lib names use ksonnet-gen's acronym rule (withClusterIp); the JSON keys stay as they are
        ks_name = ks_capitalize(field)
        c, p, k = cap(ks_name), param(ks_name), key(field)
        if kind == "r":
            ref = json.dumps(spec[1])
            x.append(f"{key(ks_name)}:: __M(__t[{ref}], function(v) w({{{k}+: v}})),")
            x.append(f"{key(ks_name + 'Type')}:: __R(__t[{ref}]),")
            continue
        f.append(f"with{c}({p}):: self + w({{{k}: {p}}}),")
        if kind in ("a", "ar"):
            f[-1] = f"with{c}({p}):: self + w({{{k}: __A({p})}}),"
            f.append(f"with{c}Mixin({p}):: self + w({{{k}+: __A({p})}}),")
            if kind == "ar":
                f.append(f"{key(ks_name + 'Type')}:: __R(__t[{json.dumps(spec[1])}]),")
        elif kind == "m":
            f.append(f"with{c}Mixin({p}):: self + w({{{k}+: {p}}}),")
    ctors = _ks_ctors(tk, t)
    body = "\n      ".join(f)
    xbody = "\n      ".join(x)
    cbody = "\n      ".join(ctors)
    return (f"  {json.dumps(tk)}:: {{\n    f(w):: {{\n      {body}\n    }},\n    x(w):: {{\n      {xbody}\n    }},\n"
            f"    c:: {{\n      {cbody}\n    }},\n  }},\n")


def _ak(t: dict) -> str:
    return "{apiVersion: %s, kind: %s}" % (json.dumps(_api_version(t["gvk"])), json.dumps(t["gvk"][2]))


def _ks_ctors(tk: str, t: dict) -> list[str]:
    kind = tk.split(".")[2]
    out = []
    custom = [line for line in _KS_CTORS.get(kind, ()) if t["gvk"] is not None or "%(AK)s" not in line]
    if t["gvk"] is not None:
        ak = _ak(t)
        if kind.endswith("List") and "items" in t["fields"]:
            out.append(_KS_LIST % {"AK": ak})
        elif not any(line.startswith("new(") for line in custom):
            out.append(f"new():: {ak},")
        out.extend(line % {"AK": ak} for line in custom)
        if kind in _MAP_CONTAINERS:
            out.append("mapContainers(f):: __fn.mapContainers(f),")
            out.append("mapContainersWithName(names, f):: __fn.mapContainersWithName(names, f),")
    else:
        if not any(line.startswith("new(") for line in custom):
            out.append("new():: {},")
        out.extend(custom)
    return out


_KS_PRELUDE = """\
local __A(x) = if std.type(x) == 'array' then x else [x];
local __id(v) = v;
// A mixin subtree: the type's methods applied through wrapper w (e.g. v => {spec+: v}).
local __M(e, w) = { mixinInstance(v):: w(v) } + e.f(w) + e.x(w);
// A root object (kind or *Type helper): methods on the object itself, subtrees under mixin.
local __R(e) = e.f(__id) + { mixin:: e.x(__id) } + e.c;
local __fn = {
  mapContainers(f):: {
    local podContainers = super.spec.template.spec.containers,
    spec+: {
      template+: {
        spec+: {
          // IMPORTANT: This overwrites the 'containers' field for this object.
          containers: std.map(f, podContainers),
        },
      },
    },
  },
  mapContainersWithName(names, f)::
    local nameSet = if std.type(names) == 'array' then std.set(names) else std.set([names]);
    local inNameSet(name) = std.length(std.setInter(nameSet, std.set([name]))) > 0;
    self.mapContainers(function(c) if std.objectHas(c, 'name') && inNameSet(c.name) then f(c) else c),
};
"""


def ksonnet_k8s(model: dict, k8s_version: str) -> str:
    out = [
        "// AUTOGENERATED by kfctl (ksonnet-lib compatible API). DO NOT MODIFY.\n",
        f"// Kubernetes version: {k8s_version} (definitions {model['version']}: {model['source']})\n",
        f"// Generator: kfctl.ksonnetlib {GENERATOR_VERSION}\n",
        ("// Removed API versions kept for ksonnet-era code: " + ", ".join(model["legacy"]) + "\n"
         if model.get("legacy") else ""),
        "\n",
        _KS_PRELUDE,
        "local __t = {\n",
    ]
    for tk, t in model["types"].items():
        out.append(_ks_type(tk, t))
    out.append("};\n\n{\n")
    for group, versions in sorted(_index(model).items()):
        out.append(f"  {key(group)}:: {{\n")
        for version in sorted(versions, key=_version_sort):
            out.append(f"    {key(version)}:: {{\n")
            for name, tk in sorted(versions[version].items()):
                out.append(f"      {key(name)}:: __R(__t[{json.dumps(tk)}]),\n")
            out.append("    },\n")
        out.append("  },\n")
    out.append("}\n")
    return "".join(out)


KSONNET_K_LIBSONNET = """\
// AUTOGENERATED by kfctl (ksonnet-lib compatible API). DO NOT MODIFY.
// k.libsonnet: the hand-written layer ksonnet-lib put over the generated k8s.libsonnet.
local k8s = import 'k8s.libsonnet';

k8s + {
  core+:: {
    v1+:: {
      list:: {
        new(items):: {apiVersion: 'v1'} + {kind: 'List'} + self.items(items),
        items(items):: if std.type(items) == 'array' then {items+: items} else {items+: [items]},
      },
    },
  },
}
"""


# --------------------------------------------------------------------------------------
# Tanka (jsonnet-libs/k8s-libsonnet)
