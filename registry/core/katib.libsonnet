// kubeflow-core's Katib: v0.19.0 katib-standalone (controller, DB manager, UI, MySQL), vendored in
// upstream-katib/, in the component's namespace.
local up = import "kubeflow/core/upstream-katib/upstream.libsonnet";
local lib = import "kubeflow/core/upstream-katib/lib.libsonnet";

{
  upstreamNamespace:: "kubeflow",

  parts(cfg):: {
    local opCfg = {
      namespace: cfg.namespace,
      createNamespace: false,  // the environment's namespace
      imageRegistry: "", image: "", imageTag: "",
      replicas: null, resources: null, nodeSelector: null, tolerations: null, container: "",
    },
    local objs = [
      if cfg.katibDbPassword != "" && o.kind == "Secret" && o.metadata.name == "katib-mysql-secrets" then
        o { data+: { MYSQL_ROOT_PASSWORD: std.base64(cfg.katibDbPassword) } }
      else if cfg.storageClass != "" && o.kind == "PersistentVolumeClaim" && o.metadata.name == "katib-mysql" then
        o { spec+: { storageClassName: cfg.storageClass } }
      else o
      for o in up.variants.standalone
    ],
    all:: [up.crds[c] for c in std.objectFields(up.crds)] + lib.standard(objs, opCfg, $.upstreamNamespace),
  },
}
