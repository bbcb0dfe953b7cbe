// kubeflow-core's notebook controller: the notebooks package (Kubeflow Notebooks v1.11.0's
// standalone overlay, no Istio; a parts.yaml dependency of kubeflow/core) in the component's
// namespace.
local notebooks = import "kubeflow/notebooks/notebooks.libsonnet";

{
  parts(cfg):: {
    all:: notebooks.objects(notebooks.config(null, {
      namespace: cfg.namespace,
      createNamespace: false,  // the environment's namespace
    })),
  },
}
