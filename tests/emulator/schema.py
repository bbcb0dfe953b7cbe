"""Just enough structural schema for merging: which lists are keyed maps, which are sets, what is atomic.

The real server reads this from OpenAPI (x-kubernetes-list-type / patchMergeKey). The emulator uses the
field names that carry these markers in the built-in kinds; everything else is atomic (as for CRDs without
list-type markers), and maps are granular.
"""

from __future__ import annotations

# field name -> merge keys (first key is the strategic-merge-patch key; all keys form the SSA key)
MAP_LISTS: dict[str, tuple[str, ...]] = {
    "containers": ("name",), "initContainers": ("name",), "ephemeralContainers": ("name",),
    "env": ("name",), "volumes": ("name",), "volumeMounts": ("mountPath",), "volumeDevices": ("devicePath",),
    "imagePullSecrets": ("name",), "ownerReferences": ("uid",), "conditions": ("type",),
    "hostAliases": ("ip",), "webhooks": ("name",), "resourceClaims": ("name",),
    "topologySpreadConstraints": ("topologyKey", "whenUnsatisfiable"),
}
SET_LISTS = {"finalizers"}
ATOMIC_MAPS = {"selector", "matchLabels", "nodeSelector"}  # selector structs/maps are atomic in the real schema


def list_keys(name: str, items: list) -> tuple[str, ...] | None:
    """Merge keys for list field `name` with the given items, or None if the list is atomic / a set."""
    if not items or not all(isinstance(i, dict) for i in items):
        if name in MAP_LISTS or name == "ports":
            return MAP_LISTS.get(name, ("port",))
        return None
    if name == "ports":
        if all("containerPort" in i for i in items):
            return ("containerPort", "protocol")
        if all("port" in i for i in items):
            return ("port", "protocol")
        return None
    keys = MAP_LISTS.get(name)
    if keys and all(keys[0] in i for i in items):
        return keys
    return None


def key_of(item: dict, keys: tuple[str, ...]) -> dict:
    out = {}
    for k in keys:
        if k in item:
            out[k] = item[k]
        elif k == "protocol":
            out[k] = "TCP"  # defaulted by the real server before keys are computed
    return out


def is_set_list(name: str, items: list) -> bool:
    return name in SET_LISTS and all(isinstance(i, (str, int, float, bool)) for i in items)


def is_atomic_map(name: str) -> bool:
    return name in ATOMIC_MAPS
