// kubeflow-core's notebook controller: Kubeflow Notebooks v1.11.0's standalone overlay (no Istio),
// vendored in upstream-notebooks/, in the component's namespace.
local up = import "kubeflow/core/upstream-notebooks/upstream.libsonnet";
local lib = import "kubeflow/core/upstream-notebooks/lib.libsonnet";

{
  upstreamNamespace:: "notebook-controller-system",

  parts(cfg):: {
    local opCfg = {
      namespace: cfg.namespace,
      createNamespace: false,  // the environment's namespace
      imageRegistry: "", image: "", imageTag: "",
      replicas: null, resources: null, nodeSelector: null, tolerations: null, container: "",
    },
    all:: [up.crds[c] for c in std.objectFields(up.crds)] + lib.standard(up.variants.standalone, opCfg, $.upstreamNamespace),
  },
}
