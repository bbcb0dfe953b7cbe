// The `kubeflow-version` ConfigMap: which Kubeflow control plane this is.
{
  info:: {
    Major: "0",
    Minor: "2",
    Patch: "0",
    Flavor: "kfctl-2026",
    GitVersion: "v0.2.0-kfctl-2026",
    kubernetesApis: "apps/v1, rbac.authorization.k8s.io/v1, apiextensions.k8s.io/v1",
    tfJobApiVersion: "kubeflow.org/v1",
    // the upstream releases the core deploys (vendored by scripts/vendor_upstream.py)
    components: {
      "training-operator": "v1.9.4",
      notebooks: "v1.11.0",
      katib: "v0.19.0",
      "zero-to-jupyterhub": "4.4.0",
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
