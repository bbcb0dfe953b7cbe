// JupyterHub: the multi-user notebook server of Kubeflow 0.1/0.2, on current APIs.
local util = import "kubeflow/core/util.libsonnet";

{
  // `cfg`: the resolved configuration from all.libsonnet's `config(env, params)`.
  parts(cfg):: {
    local ns = cfg.namespace,
    local labels = { app: "tf-hub" },

    local authenticatorLines =
      if cfg.jupyterHubAuthenticator == "iap" then [
        "c.JupyterHub.authenticator_class = 'jhub_remote_user_authenticator.remote_user_auth.RemoteUserAuthenticator'",
        "c.RemoteUserAuthenticator.header_name = 'x-goog-authenticated-user-email'",
      ] else if cfg.jupyterHubAuthenticator == "remote-user" then [
        "c.JupyterHub.authenticator_class = 'jhub_remote_user_authenticator.remote_user_auth.RemoteUserAuthenticator'",
        "c.RemoteUserAuthenticator.header_name = 'x-remote-user'",
      ] else [
        "c.JupyterHub.authenticator_class = 'dummyauthenticator.DummyAuthenticator'",
      ],

    local volumeLines =
      if std.length(cfg.disks) == 0 then []
      else [
        "###### Volumes #######",
        "c.KubeSpawner.volumes = " + util.py([
          { name: d, persistentVolumeClaim: { claimName: d } }
          for d in cfg.disks
        ]),
        "c.KubeSpawner.volume_mounts = " + util.py([
          { mountPath: "/mnt/" + d, name: d }
          for d in cfg.disks
        ]),
      ],

    local storageLines =
      if cfg.jupyterNotebookPVCMount == "" then []
      else [
        "###### Per-user storage #######",
        "c.KubeSpawner.storage_pvc_ensure = True",
        "c.KubeSpawner.storage_capacity = '10Gi'",
        "c.KubeSpawner.pvc_name_template = 'claim-{username}{servername}'",
        "c.KubeSpawner.storage_access_modes = ['ReadWriteOnce']",
      ] + (
        if cfg.storageClass != "" then ["c.KubeSpawner.storage_class = " + util.py(cfg.storageClass)] else []
      ) + [
        "c.KubeSpawner.volumes.append({'name': 'volume-{username}{servername}', 'persistentVolumeClaim': {'claimName': 'claim-{username}{servername}'}})",
        "c.KubeSpawner.volume_mounts.append({'name': 'volume-{username}{servername}', 'mountPath': " + util.py(cfg.jupyterNotebookPVCMount) + "})",
      ],

    local gpuLines =
      (if cfg.gpuTolerationKey != "" then [
         "###### GPU nodes #######",
         "c.KubeSpawner.tolerations = " + util.py([
           { key: cfg.gpuTolerationKey, operator: "Exists", effect: "NoSchedule" },
         ]),
       ] else []),

    local spawnerConfig = std.join("\n", [
      importstr "kubeflow/core/jupyterhub_spawner.py",
      "######## Authenticator ######",
    ] + authenticatorLines + volumeLines + storageLines + gpuLines) + "\n",

    jupyterHubConfigMap:: {
      apiVersion: "v1",
      kind: "ConfigMap",
      metadata: { name: "jupyterhub-config", namespace: ns },
      data: { "jupyterhub_config.py": spawnerConfig },
    },

    jupyterHubService:: {
      apiVersion: "v1",
      kind: "Service",
      metadata: { name: "tf-hub-0", namespace: ns, labels: labels },
      spec: {
        // headless: the StatefulSet's governing service
        clusterIP: "None",
        ports: [{ name: "hub", port: 8000, targetPort: 8000 }],
        selector: labels,
      },
    },

    jupyterHubLoadBalancer:: {
      apiVersion: "v1",
      kind: "Service",
      metadata: {
        name: "tf-hub-lb",
        namespace: ns,
        labels: { app: "tf-hub-lb" },
        annotations: {
          "getambassador.io/config": std.join("\n", [
            "---",
            "apiVersion: ambassador/v0",
            "kind:  Mapping",
            "name: tf-hub-lb-hub-mapping",
            "prefix: /hub/",
            "rewrite: /hub/",
            "timeout_ms: 300000",
            "service: tf-hub-lb." + ns,
            "use_websocket: true",
            "---",
            "apiVersion: ambassador/v0",
            "kind:  Mapping",
            "name: tf-hub-lb-user-mapping",
            "prefix: /user/",
            "rewrite: /user/",
            "timeout_ms: 300000",
            "service: tf-hub-lb." + ns,
            "use_websocket: true",
          ]),
        },
      },
      spec: {
        type: cfg.jupyterHubServiceType,
        ports: [{ name: "hub", port: 80, targetPort: 8000 }],
        selector: labels,
      },
    },

    jupyterHub:: {
      apiVersion: "apps/v1",
      kind: "StatefulSet",
      metadata: { name: "tf-hub", namespace: ns, labels: labels },
      spec: {
        replicas: 1,
        serviceName: "tf-hub-0",
        selector: { matchLabels: labels },
        updateStrategy: { type: "RollingUpdate" },
        template: {
          metadata: { labels: labels },
          spec: {
            serviceAccountName: "jupyter-hub",
            containers: [
              {
                name: "tf-hub",
                image: cfg.jupyterHubImage,
                command: ["jupyterhub", "-f", "/etc/config/jupyterhub_config.py"],
                env: [
                  { name: "POD_NAMESPACE", valueFrom: { fieldRef: { fieldPath: "metadata.namespace" } } },
                  { name: "NOTEBOOK_PVC_MOUNT", value: util.orDefault(cfg.jupyterNotebookPVCMount, "null") },
                  { name: "CLOUD_NAME", value: util.orDefault(cfg.cloud, "null") },
                ],
                ports: [
                  { name: "hub", containerPort: 8000 },
                  { name: "api", containerPort: 8081 },
                ],
                volumeMounts: [{ name: "config-volume", mountPath: "/etc/config" }],
              },
            ],
            volumes: [{ name: "config-volume", configMap: { name: "jupyterhub-config" } }],
          },
        },
      },
    },

    // The hub spawns and deletes notebook pods and their claims in its namespace.
    jupyterHubRole:: {
      apiVersion: "rbac.authorization.k8s.io/v1",
      kind: "Role",
      metadata: { name: "jupyter-role", namespace: ns },
      rules: [
        {
          apiGroups: [""],
          resources: ["pods", "persistentvolumeclaims", "services"],
          verbs: ["get", "watch", "list", "create", "delete", "patch"],
        },
        {
          apiGroups: [""],
          resources: ["events"],
          verbs: ["get", "watch", "list"],
        },
      ],
    },

    jupyterHubServiceAccount:: {
      apiVersion: "v1",
      kind: "ServiceAccount",
      metadata: { name: "jupyter-hub", namespace: ns, labels: { app: "jupyter-hub" } },
    },

    jupyterHubRoleBinding:: {
      apiVersion: "rbac.authorization.k8s.io/v1",
      kind: "RoleBinding",
      metadata: { name: "jupyter-role", namespace: ns },
      roleRef: { apiGroup: "rbac.authorization.k8s.io", kind: "Role", name: "jupyter-role" },
      subjects: [{ kind: "ServiceAccount", name: "jupyter-hub", namespace: ns }],
    },

    all:: [
      self.jupyterHubConfigMap,
      self.jupyterHubService,
      self.jupyterHubLoadBalancer,
      self.jupyterHub,
      self.jupyterHubRole,
      self.jupyterHubServiceAccount,
      self.jupyterHubRoleBinding,
    ],
  },
}
