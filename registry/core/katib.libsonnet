// kubeflow-core's Katib: the katib package (Katib v0.19.0 katib-standalone: controller, DB manager,
// UI, MySQL; a parts.yaml dependency of kubeflow/core) in the component's namespace, with
// kubeflow-core's katibDbPassword and storage class.
local katib = import "kubeflow/katib/katib.libsonnet";

{
  parts(cfg):: {
    local orNull(v) = if v == "" then "null" else v,
    all:: katib.objects(katib.config(null, {
      namespace: cfg.namespace,
      createNamespace: false,  // the environment's namespace
      dbPassword: orNull(cfg.katibDbPassword),
      storageClass: orNull(cfg.storageClass),
    })),
  },
}
