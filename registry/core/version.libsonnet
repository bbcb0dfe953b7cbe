// The `kubeflow-version` ConfigMap: which Kubeflow control plane this is.
{
  info:: {
    Major: "0",
    Minor: "2",
    Patch: "0",
    Flavor: "kfctl-modernized",
    GitVersion: "v0.2.0-kfctl",
    kubernetesApis: "apps/v1, rbac.authorization.k8s.io/v1, apiextensions.k8s.io/v1",
    tfJobApiVersion: "kubeflow.org/v1",
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
