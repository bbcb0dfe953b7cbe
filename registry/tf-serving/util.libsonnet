// Param normalisation for kubeflow/tf-serving (see kubeflow/core/util.libsonnet for the rationale).
{
  isSet(v):: v != null && !(std.isString(v) && (v == "" || std.asciiLower(v) == "null")),
  orDefault(v, default):: if self.isSet(v) then v else default,
  toArray(v)::
    if std.isArray(v) then v
    else if !self.isSet(v) then []
    else [std.stripChars(x, " ") for x in std.split(std.toString(v), ",") if std.stripChars(x, " ") != ""],
  // numbers from numbers or numeric strings ("2" after `param set` of a string param); unset -> default
  toNumber(v, default=0)::
    if std.isNumber(v) then v
    else if !self.isSet(v) then default
    else std.parseJson(std.stripChars(v, " ")),
  namespace(env, params)::
    if std.objectHas(params, "namespace") && self.isSet(params.namespace) then params.namespace
    else if env != null && std.objectHas(env, "namespace") && self.isSet(env.namespace) then env.namespace
    else "default",
  toBool(v)::
    if std.isBoolean(v) then v
    else if std.isNumber(v) then v != 0
    else if std.isString(v) then std.member(["true", "yes", "y", "1", "on"], std.asciiLower(std.stripChars(v, " ")))
    else false,
  cloud(v):: if self.isSet(v) then std.asciiLower(v) else "",

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
