// Small helpers shared by the kubeflow/core libraries.
// Param values arrive the ksonnet way: `kfctl generate` quotes strings (so a `null` default is the
// string "null"), `kfctl param set` decodes true/false to booleans and digits to numbers, and platform
// profiles may set "" for "not applicable".  These helpers normalise all of that.
{
  // Upper-case an ASCII string.
  upper(s):: std.asciiUpper(s),

  lower(s):: std.asciiLower(s),

  // true when `v` carries a value: not null, not "", not the string "null" (any case).
  isSet(v):: v != null && !(std.isString(v) && (v == "" || std.asciiLower(v) == "null")),

  // `v` if set, else `default`.
  orDefault(v, default):: if self.isSet(v) then v else default,

  // Booleans from booleans, strings ("true"/"yes"/"1", any case) and numbers.
  toBool(v)::
    if std.isBoolean(v) then v
    else if std.isNumber(v) then v != 0
    else if std.isString(v) then std.member(["true", "yes", "y", "1", "on"], std.asciiLower(std.stripChars(v, " ")))
    else false,

  // "a, b,c" -> ["a", "b", "c"]; unset -> []; arrays pass through.
  toArray(v)::
    if std.isArray(v) then v
    else if !self.isSet(v) then []
    else [std.stripChars(x, " ") for x in std.split(std.toString(v), ",") if std.stripChars(x, " ") != ""],

  // The namespace the objects go to: the `namespace` param unless "null"/unset, else the environment's.
  namespace(env, params)::
    if std.objectHas(params, "namespace") && self.isSet(params.namespace) then params.namespace
    else if env != null && std.objectHas(env, "namespace") && self.isSet(env.namespace) then env.namespace
    else "default",

  // The cloud name, lower-cased; "" when unset.
  cloud(v):: if self.isSet(v) then std.asciiLower(v) else "",

  // Clouds with managed load balancers.
  isCloudLb(cloud):: std.member(["gke", "gcp", "eks", "aws", "aks", "azure"], cloud),
  // Local / bare-metal clusters: no load balancer, services are reached through node ports.
  isLocal(cloud):: std.member(["on-prem", "onprem", "kind", "minikube", "docker-desktop"], cloud),

  // Default StorageClass per cloud ("" = leave storageClassName out: the cluster default applies).
  defaultStorageClass(cloud)::
    local classes = {
      gke: "standard-rwo",
      gcp: "standard-rwo",
      eks: "gp3",
      aws: "gp3",
      aks: "managed-csi",
      azure: "managed-csi",
      kind: "standard",
      minikube: "standard",
      "on-prem": "nfs-client",
    };
    if std.objectHas(classes, cloud) then classes[cloud] else "",

  // The storage class to use: the explicit value if set, else the cloud's default.
  storageClass(v, cloud):: if self.isSet(v) then v else self.defaultStorageClass(cloud),

  // Service type: the explicit value if set, else the gateway/UI default for the cloud.
  // `exposed`: this service is the cluster's entry point (ambassador) – LoadBalancer on clouds.
  serviceType(v, cloud, exposed=false)::
    if self.isSet(v) then v
    else if exposed && self.isCloudLb(cloud) then "LoadBalancer"
    else if exposed && self.isLocal(cloud) then "NodePort"
    else if !exposed && std.member(["on-prem", "onprem"], cloud) then "NodePort"
    else "ClusterIP",

  // A Python literal for the spawner config (std.manifestPython, but stable for strings).
  py(v):: std.manifestPython(v),

  // Taint key GPU nodes carry on each platform (what GPU pods must tolerate); "" when none.
  defaultGpuTolerationKey(cloud)::
    local keys = {
      gke: "nvidia.com/gpu",
      gcp: "nvidia.com/gpu",
      eks: "nvidia.com/gpu",
      aws: "nvidia.com/gpu",
      aks: "sku",
      azure: "sku",
      "on-prem": "nvidia.com/gpu",
      minikube: "nvidia.com/gpu",
    };
    if std.objectHas(keys, cloud) then keys[cloud] else "",
}
