// The `kubeflow-version` ConfigMap: which Kubeflow control plane this is.
local pin(up) = up.pin.tag;

{
  info:: {
    Major: "0",
    Minor: "2",
    Patch: "0",
    Flavor: "kfctl-2026",
    GitVersion: "v0.2.0-kfctl-2026",
    kubernetesApis: "apps/v1, rbac.authorization.k8s.io/v1, apiextensions.k8s.io/v1",
    tfJobApiVersion: "kubeflow.org/v1",
    // the upstream releases the core deploys (the pins of the packages it builds on, vendored by
    // scripts/vendor_upstream.py)
    components: {
      "training-operator": pin(import "kubeflow/training-operator/upstream/upstream.libsonnet"),
      notebooks: pin(import "kubeflow/notebooks/upstream/upstream.libsonnet"),
      katib: pin(import "kubeflow/katib/upstream/upstream.libsonnet"),
      "zero-to-jupyterhub": pin(import "kubeflow/core/upstream-jupyterhub/upstream.libsonnet"),
    },
  },

  parts(cfg):: {
    versionConfigMap:: {
      apiVersion: "v1",
      kind: "ConfigMap",
      metadata: { name: "kubeflow-version", namespace: cfg.namespace },
      data: { "kubeflow-version": std.manifestJsonEx($.info, "  ") },
    },
    all:: [self.versionConfigMap],
  },
}
