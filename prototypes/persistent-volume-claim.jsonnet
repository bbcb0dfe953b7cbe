// @apiVersion 0.1
// @name io.ksonnet.pkg.persistent-volume-claim
// @description A PersistentVolumeClaim of 'storage' from 'storageClass' (platform profiles set storageClass; null uses the cluster's default class).
// @shortDescription A persistent volume claim
// @param name string Name of the claim
// @optionalParam storage string 10Gi Requested size.
// @optionalParam accessMode string ReadWriteOnce ReadWriteOnce, ReadOnlyMany, ReadWriteMany or ReadWriteOncePod.
// @optionalParam storageClass string null StorageClass to provision from (null: the cluster default).
// @optionalParam volumeMode string Filesystem Filesystem or Block.
// @optionalParam namespace string null Namespace of the claim (null: the environment's).

local isSet(v) = v != null && v != "" && v != "null";
local namespace = if std.objectHas(params, "namespace") && isSet(params.namespace) then params.namespace else env.namespace;

std.prune({
  apiVersion: "v1",
  kind: "List",
  items: [
    {
      apiVersion: "v1",
      kind: "PersistentVolumeClaim",
      metadata: { name: params.name, namespace: namespace, labels: { app: params.name } },
      spec: {
        accessModes: [params.accessMode],
        volumeMode: params.volumeMode,
        resources: { requests: { storage: std.toString(params.storage) } },
        storageClassName: if isSet(params.storageClass) then params.storageClass else null,
      },
    },
  ],
})
