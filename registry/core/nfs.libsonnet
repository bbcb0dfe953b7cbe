// Shared volumes for notebooks (`disks` param): one ReadWriteMany PersistentVolumeClaim per disk.
//  * `nfsServer` set (on-prem): a static NFS PersistentVolume `<ns>-<disk>` (export `<nfsPath>/<disk>`)
//    bound to the claim `<disk>`.
//  * otherwise, as Kubeflow 0.1 did: an in-cluster NFS server per disk (nfs-provisioner) exporting a
//    disk — the GCE persistent disk named `<disk>` on gke, else a claim `<disk>-export` from
//    `storageClass` — with a StorageClass `<disk>-nfs` and the claim `<disk>` on it.
{
  parts(cfg):: {
    local ns = cfg.namespace,
    local name = cfg.name,
    local staticNfs = cfg.nfsServer != "",
    local provisionerImage = "registry.k8s.io/sig-storage/nfs-provisioner:v4.0.8",

    serviceAccount:: {
      apiVersion: "v1",
      kind: "ServiceAccount",
      metadata: { name: name, namespace: ns, labels: { app: name + "nfs-provisioner" } },
    },

    role:: {
      apiVersion: "rbac.authorization.k8s.io/v1",
      kind: "Role",
      metadata: { name: name, namespace: ns },
      rules: [
        { apiGroups: [""], resources: ["endpoints", "services"], verbs: ["get", "list", "watch", "create", "update", "patch"] },
        { apiGroups: ["coordination.k8s.io"], resources: ["leases"], verbs: ["get", "list", "watch", "create", "update", "patch"] },
      ],
    },

    roleBinding:: {
      apiVersion: "rbac.authorization.k8s.io/v1",
      kind: "RoleBinding",
      metadata: { name: name + "-nfs-role", namespace: ns },
      roleRef: { apiGroup: "rbac.authorization.k8s.io", kind: "Role", name: name },
      subjects: [{ kind: "ServiceAccount", name: name, namespace: ns }],
    },

    clusterRoleBinding:: {
      apiVersion: "rbac.authorization.k8s.io/v1",
      kind: "ClusterRoleBinding",
      metadata: { name: name + "-nfs-role" },
      roleRef: { apiGroup: "rbac.authorization.k8s.io", kind: "ClusterRole", name: "system:persistent-volume-provisioner" },
      subjects: [{ kind: "ServiceAccount", name: name, namespace: ns }],
    },

    // --- static NFS (nfsServer set)
    staticVolume(disk):: {
      apiVersion: "v1",
      kind: "PersistentVolume",
      metadata: { name: ns + "-" + disk, labels: { "kubeflow.org/disk": disk } },
      spec: {
        capacity: { storage: cfg.diskSize },
        accessModes: ["ReadWriteMany"],
        persistentVolumeReclaimPolicy: "Retain",
        storageClassName: "",
        mountOptions: ["nfsvers=4.1"],
        nfs: { server: cfg.nfsServer, path: cfg.nfsPath + "/" + disk },
      },
    },

    staticClaim(disk):: {
      apiVersion: "v1",
      kind: "PersistentVolumeClaim",
      metadata: { name: disk, namespace: ns },
      spec: {
        accessModes: ["ReadWriteMany"],
        storageClassName: "",
        volumeName: ns + "-" + disk,
        resources: { requests: { storage: cfg.diskSize } },
      },
    },

    // --- in-cluster NFS provisioner per disk
    storageClass(disk):: {
      apiVersion: "storage.k8s.io/v1",
      kind: "StorageClass",
      metadata: { name: disk + "-nfs" },
      provisioner: disk + "/nfs",
      reclaimPolicy: "Delete",
    },

    claim(disk):: {
      apiVersion: "v1",
      kind: "PersistentVolumeClaim",
      metadata: { name: disk, namespace: ns },
      spec: {
        accessModes: ["ReadWriteMany"],
        storageClassName: disk + "-nfs",
        resources: { requests: { storage: "1Mi" } },
      },
    },

    exportClaim(disk):: {
      apiVersion: "v1",
      kind: "PersistentVolumeClaim",
      metadata: { name: disk + "-export", namespace: ns },
      spec: {
        accessModes: ["ReadWriteOnce"],
        resources: { requests: { storage: cfg.diskSize } },
      } + (if cfg.storageClass != "" then { storageClassName: cfg.storageClass } else {}),
    },

    service(disk):: {
      apiVersion: "v1",
      kind: "Service",
      metadata: { name: disk + "-service", namespace: ns, labels: { app: disk + "-provisioner" } },
      spec: {
        ports: [
          { name: "nfs", port: 2049 },
          { name: "mountd", port: 20048 },
          { name: "rpcbind", port: 111 },
          { name: "rpcbind-udp", port: 111, protocol: "UDP" },
        ],
        selector: { app: disk + "-provisioner" },
      },
    },

    provisioner(disk):: {
      local labels = { app: disk + "-provisioner" },
      apiVersion: "apps/v1",
      kind: "Deployment",
      metadata: { name: disk + "-provisioner", namespace: ns, labels: labels },
      spec: {
        replicas: 1,
        selector: { matchLabels: labels },
        strategy: { type: "Recreate" },
        template: {
          metadata: { labels: labels },
          spec: {
            serviceAccountName: name,
            containers: [
              {
                name: "nfs-provisioner",
                image: provisionerImage,
                args: ["-provisioner=" + disk + "/nfs"],
                env: [
                  { name: "POD_IP", valueFrom: { fieldRef: { fieldPath: "status.podIP" } } },
                  { name: "SERVICE_NAME", value: disk + "-service" },
                  { name: "POD_NAMESPACE", valueFrom: { fieldRef: { fieldPath: "metadata.namespace" } } },
                ],
                ports: [
                  { name: "nfs", containerPort: 2049 },
                  { name: "mountd", containerPort: 20048 },
                  { name: "rpcbind", containerPort: 111 },
                  { name: "rpcbind-udp", containerPort: 111, protocol: "UDP" },
                ],
                securityContext: { capabilities: { add: ["DAC_READ_SEARCH", "SYS_RESOURCE"] } },
                imagePullPolicy: "IfNotPresent",
                volumeMounts: [{ name: "export-volume", mountPath: "/export" }],
              },
            ],
            volumes: [
              if cfg.cloud == "gke" || cfg.cloud == "gcp" then
                { name: "export-volume", gcePersistentDisk: { pdName: disk, fsType: "ext4" } }
              else
                { name: "export-volume", persistentVolumeClaim: { claimName: disk + "-export" } },
            ],
          },
        },
      },
    },

    local gce = cfg.cloud == "gke" || cfg.cloud == "gcp",
    all::
      if std.length(cfg.disks) == 0 then []
      else if staticNfs then
        std.flattenArrays([[self.staticVolume(d), self.staticClaim(d)] for d in cfg.disks])
      else
        [self.serviceAccount, self.role, self.roleBinding, self.clusterRoleBinding] +
        std.flattenArrays([
          [self.storageClass(d), self.claim(d), self.service(d), self.provisioner(d)] +
          (if gce then [] else [self.exportClaim(d)])
          for d in cfg.disks
        ]),
  },
}
