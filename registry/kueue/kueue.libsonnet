// Kueue v0.19.2 controller (kueue.x-k8s.io/v1beta2): a thin layer over the vendored release
// manifests (upstream/).  integrations.frameworks is edited in the controller config text: a
// framework upstream lists commented out (e.g. the v1 kubeflow.org/pytorchjob) is uncommented,
// one it enables is commented out, so the default config is byte for byte the release's.
local up = import "kubeflow/kueue/upstream/upstream.libsonnet";
local lib = import "kubeflow/kueue/upstream/lib.libsonnet";

{
  upstreamNamespace:: "kueue-system",
  imageRepo:: "registry.k8s.io/kueue/kueue",
  configMap:: "kueue-manager-config",
  configKey:: "controller_manager_config.yaml",
  // what the training stack's packages install → the Kueue framework that manages it
  trainingOperatorFrameworks:: ["kubeflow.org/pytorchjob", "kubeflow.org/tfjob", "kubeflow.org/xgboostjob",
                                "kubeflow.org/paddlejob", "kubeflow.org/jaxjob"],
  defaults:: { namespace: $.upstreamNamespace, installCrds: true, enableFrameworks: "null", disableFrameworks: "null",
               trainingOperator: "false" },

  config(env, params):: lib.controllerConfig(env, params, $.defaults) {
    local p = $.defaults + params,
    installCrds: lib.toBool(p.installCrds),
    disableFrameworks: lib.toArray(p.disableFrameworks),
    enableFrameworks: std.set(lib.toArray(p.enableFrameworks) +
                              (if lib.toBool(p.trainingOperator) then $.trainingOperatorFrameworks else [])),
  },

  local frameworkOf(line) =
    local t = std.stripChars(line, " ");
    local body = if std.startsWith(t, "# - ") then std.substr(t, 4, std.length(t)) else if std.startsWith(t, "- ") then std.substr(t, 2, std.length(t)) else "";
    std.stripChars(body, "\""),

  // the frameworks a config text lists, enabled or commented out
  frameworks(text):: {
    local lines = std.split(text, "\n"),
    local start = std.find("  frameworks:", lines),
    local after = if std.length(start) == 0 then [] else lines[start[0] + 1:],
    local block = std.foldl(function(acc, l) if acc.done then acc
                                             else if std.startsWith(l, "  - ") || std.startsWith(l, "  # - ") then acc { lines+: [l] }
                                             else acc { done: true }, after, { lines: [], done: false }).lines,
    enabled: [frameworkOf(l) for l in block if std.startsWith(l, "  - ")],
    available: [frameworkOf(l) for l in block],
  },

  editFrameworks(text, enable, disable)::
    local known = $.frameworks(text).available;
    local unknown = [f for f in enable + disable if !std.member(known, f)];
    assert std.length(unknown) == 0 :
           "kueue: unknown framework(s) %s; Kueue v0.19.2 lists %s" % [std.join(", ", unknown), std.join(", ", known)];
    local edit(l) =
      local f = frameworkOf(l);
      if std.startsWith(l, "  # - ") && std.member(enable, f) then "  - " + std.substr(l, 6, std.length(l))
      else if std.startsWith(l, "  - ") && std.member(disable, f) && !std.member(enable, f) then "  # - " + std.substr(l, 4, std.length(l))
      else l;
    std.join("\n", [edit(l) for l in std.split(text, "\n")]),

  objects(cfg)::
    local edited = [
      if o.kind == "ConfigMap" && o.metadata.name == $.configMap && (cfg.enableFrameworks != [] || cfg.disableFrameworks != []) then
        o { data+: { [$.configKey]: $.editFrameworks(o.data[$.configKey], cfg.enableFrameworks, cfg.disableFrameworks) } }
      else o
      for o in up.variants.manifests
    ];
    lib.crds(if cfg.installCrds then [up.crds[c] for c in std.objectFields(up.crds)] else [], cfg, $.upstreamNamespace) +
    lib.standard(edited, cfg, $.upstreamNamespace, $.imageRepo),

  new(env, params):: $.objects($.config(env, params)),
  list(items):: lib.list(items),
}
