// @apiVersion 0.1
// @name io.ksonnet.pkg.configMap
// @description A simple config map with optional user-specified data.
// @shortDescription A simple config map with optional user-specified data
// @param name string Name to give the configMap.
// @optionalParam data object {} Data for the configMap (string values; others are converted to JSON text).
// @optionalParam namespace string null Namespace of the configMap (null: the environment's).

local isSet(v) = v != null && v != "" && v != "null";
local namespace = if std.objectHas(params, "namespace") && isSet(params.namespace) then params.namespace else env.namespace;
local data = if std.isObject(params.data) then params.data else {};

std.prune({
  apiVersion: "v1",
  kind: "List",
  items: [
    {
      apiVersion: "v1",
      kind: "ConfigMap",
      metadata: { name: params.name, namespace: namespace },
      data: {
        [k]: if std.isString(data[k]) then data[k] else std.manifestJsonEx(data[k], "  ")
        for k in std.objectFields(data)
      },
    },
  ],
})
