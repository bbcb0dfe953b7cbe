// training-operator v1 (kubeflow/trainer release-1.9): TFJob, PyTorchJob, MPIJob (v1), XGBoostJob,
// PaddleJob and JAXJob.  A thin layer over the vendored release objects (upstream/, written by
// scripts/vendor_upstream.py): namespace, images, controller placement and the enabled job kinds.
local up = import "kubeflow/training-operator/upstream/upstream.libsonnet";
local lib = import "kubeflow/training-operator/upstream/lib.libsonnet";

{
  upstreamNamespace:: "kubeflow",
  imageRepo:: "ghcr.io/kubeflow/training-v1/training-operator",
  deployment:: "training-operator",

  // job kind (the --enable-scheme value) → its CRD
  kinds:: {
    tfjob: "tfjobs.kubeflow.org",
    pytorchjob: "pytorchjobs.kubeflow.org",
    mpijob: "mpijobs.kubeflow.org",
    xgboostjob: "xgboostjobs.kubeflow.org",
    paddlejob: "paddlejobs.kubeflow.org",
    jaxjob: "jaxjobs.kubeflow.org",
  },

  defaults:: {
    namespace: $.upstreamNamespace,
    createNamespace: true,
    enabledKinds: "all",
    installCrds: true,
    gangSchedulerName: "null",
    image: "null",
    imageTag: "null",
    imageRegistry: "null",
    replicas: "null",
    resources: "null",
    nodeSelector: "null",
    tolerations: "null",
  },

  config(env, params):: lib.controllerConfig(env, params, $.defaults) {
    local p = $.defaults + params,
    local raw = [std.asciiLower(k) for k in lib.toArray(p.enabledKinds)],
    local all = std.objectFields($.kinds),
    local unknown = [k for k in raw if k != "all" && !std.objectHas($.kinds, k)],
    enabledKinds:
      assert std.length(unknown) == 0 :
             "training-operator: enabledKinds has unknown kind(s) %s; use all or a comma list of %s" % [std.join(", ", unknown), std.join(", ", all)];
      assert std.length(raw) > 0 : "training-operator: enabledKinds is empty; use all or a comma list of " + std.join(", ", all);
      if std.member(raw, "all") then all else std.set(raw),
    allKinds: std.length(self.enabledKinds) == std.length(all),
    installCrds: lib.toBool(p.installCrds),
    gangSchedulerName: if lib.isSet(p.gangSchedulerName) then p.gangSchedulerName else "",
  },

  crds(cfg):: if !cfg.installCrds then [] else [up.crds[$.kinds[k]] for k in cfg.enabledKinds],

  // webhooks of disabled kinds go (the controller would not serve them; failurePolicy is Fail)
  webhooks(objs, cfg):: [
    if o.kind == "ValidatingWebhookConfiguration" then o {
      local served = [std.split($.kinds[k], ".")[0] for k in cfg.enabledKinds],
      webhooks: [w for w in o.webhooks if std.length(std.setInter(std.set(w.rules[0].resources), std.set(served))) > 0],
    } else o
    for o in objs
  ],

  flags(cfg)::
    (if cfg.allKinds then [] else ["--enable-scheme=" + k for k in cfg.enabledKinds]) +
    (if cfg.gangSchedulerName != "" then ["--gang-scheduler-name=" + cfg.gangSchedulerName] else []),

  objects(cfg)::
    local base = lib.standard($.webhooks(up.variants.standalone, cfg), cfg, $.upstreamNamespace, $.imageRepo);
    local flags = $.flags(cfg);
    lib.crds($.crds(cfg), cfg, $.upstreamNamespace) + (if std.length(flags) == 0 then base else lib.mapArgs(base, $.deployment, "training-operator", function(a) a + flags)),

  new(env, params):: $.objects($.config(env, params)),
  list(items):: lib.list(items),
}
