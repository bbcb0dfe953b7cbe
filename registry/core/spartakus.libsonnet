// Spartakus usage reporting (anonymous node counts).  Only rendered when `reportUsage` is true.
{
  parts(cfg):: {
    local ns = cfg.namespace,

    clusterRole:: {
      apiVersion: "rbac.authorization.k8s.io/v1",
      kind: "ClusterRole",
      metadata: { name: "spartakus", labels: { app: "spartakus" } },
      rules: [{ apiGroups: [""], resources: ["nodes"], verbs: ["get", "list"] }],
    },

    clusterRoleBinding:: {
      apiVersion: "rbac.authorization.k8s.io/v1",
      kind: "ClusterRoleBinding",
      metadata: { name: "spartakus", labels: { app: "spartakus" } },
      roleRef: { apiGroup: "rbac.authorization.k8s.io", kind: "ClusterRole", name: "spartakus" },
      subjects: [{ kind: "ServiceAccount", name: "spartakus", namespace: ns }],
    },

    serviceAccount:: {
      apiVersion: "v1",
      kind: "ServiceAccount",
      metadata: { name: "spartakus", namespace: ns, labels: { app: "spartakus" } },
    },

    volunteer:: {
      local labels = { app: "spartakus-volunteer" },
      apiVersion: "apps/v1",
      kind: "Deployment",
      metadata: { name: "spartakus-volunteer", namespace: ns, labels: labels },
      spec: {
        replicas: 1,
        selector: { matchLabels: labels },
        template: {
          metadata: { labels: labels },
          spec: {
            serviceAccountName: "spartakus",
            containers: [
              {
                name: "volunteer",
                image: cfg.spartakusImage,
                args: [
                  "volunteer",
                  "--cluster-id=" + cfg.usageId,
                  "--database=https://stats-collector.kubeflow.org",
                ],
              },
            ],
          },
        },
      },
    },

    all:: if cfg.reportUsage then [
      self.clusterRole,
      self.clusterRoleBinding,
      self.serviceAccount,
      self.volunteer,
    ] else [],
  },
}
