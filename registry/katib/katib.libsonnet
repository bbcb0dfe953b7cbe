// Katib v0.19.0 standalone (kubeflow/katib manifests/v1beta1/installs): the controller, DB manager,
// UI, its database (MySQL as released, or PostgreSQL) and webhooks.  A thin layer over the vendored
// release objects (upstream/, written by scripts/vendor_upstream.py).
local up = import "kubeflow/katib/upstream/upstream.libsonnet";
local lib = import "kubeflow/katib/upstream/lib.libsonnet";

{
  upstreamNamespace:: "kubeflow",
  katibRepo:: "ghcr.io/kubeflow/katib/",
  // the three component images the release's kustomization tags
  components:: ["katib-controller", "katib-db-manager", "katib-ui"],

  defaults:: {
    namespace: $.upstreamNamespace,
    createNamespace: true,
    installCrds: true,
    database: "mysql",
    certManager: false,
    ui: true,
    dbPassword: "null",
    dbStorage: "null",
    storageClass: "null",
    trialResources: "null",
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
    local str(v) = if lib.isSet(v) then std.toString(v) else "",
    installCrds: lib.toBool(p.installCrds),
    database:
      local d = std.asciiLower(str(p.database));
      assert std.member(["mysql", "postgres"], d) : "katib: database must be mysql or postgres, got " + d;
      d,
    certManager:
      local c = lib.toBool(p.certManager);
      assert !c || self.database == "mysql" :
             "katib: certManager=true is the release's katib-cert-manager install, which runs MySQL; use database=mysql";
      c,
    ui: lib.toBool(p.ui),
    dbPassword: str(p.dbPassword),
    dbStorage: str(p.dbStorage),
    storageClass: str(p.storageClass),
    trialResources: lib.toArray(p.trialResources),
  },

  variant(cfg)::
    if cfg.certManager then up.variants["cert-manager"]
    else if cfg.database == "postgres" then up.variants["standalone-postgres"]
    else up.variants.standalone,

  uiObjects:: {
    Deployment: ["katib-ui"],
    Service: ["katib-ui"],
    ServiceAccount: ["katib-ui"],
    ClusterRole: ["katib-ui"],
    ClusterRoleBinding: ["katib-ui"],
  },
  isUi(o):: std.objectHas($.uiObjects, o.kind) && std.member($.uiObjects[o.kind], o.metadata.name),

  // the images: `image` replaces the controller's, `imageTag` retags all three components, and
  // `imageRegistry` mirrors every image — also those katib-config and the trial templates name,
  // which the controller pulls at run time (suggestions, metrics collectors, trial examples)
  componentImages(objs, cfg):: [
    if lib.isWorkload(o) then o {
      spec+: { template+: { spec+: { containers: [
        local repo = lib.imageRepo(c.image);
        local name = std.substr(repo, std.length($.katibRepo), std.length(repo));
        if !std.startsWith(repo, $.katibRepo) || !std.member($.components, name) then c
        else if name == "katib-controller" && cfg.image != "" then c { image: cfg.image }
        else if cfg.imageTag != "" then c { image: repo + ":" + cfg.imageTag }
        else c
        for c in o.spec.template.spec.containers
      ] } } },
    } else o
    for o in objs
  ],

  // katib-config's KatibConfig document, edited by f (the YAML is rewritten only when a param asks)
  editKatibConfig(objs, f):: [
    if o.kind == "ConfigMap" && o.metadata.name == "katib-config" then o {
      local doc = std.native("parseYaml")(o.data["katib-config.yaml"])[0],
      data+: { "katib-config.yaml": std.native("manifestYamlFromJson")(std.manifestJson(f(doc))) },
    } else o
    for o in objs
  ],

  mirrorRuntimeImages(objs, cfg)::
    if cfg.imageRegistry == "" then objs else
    local m(img) = lib.mirrorImage(img, cfg.imageRegistry);
    local withImages(list) = [if std.objectHas(x, "image") then x { image: m(x.image) } else x for x in list];
    local edited = $.editKatibConfig(objs, function(doc) doc {
      runtime+: {
        [k]: withImages(doc.runtime[k])
        for k in ["metricsCollectors", "suggestions", "earlyStoppings"]
        if std.objectHas(doc.runtime, k)
      },
    });
    [
      if o.kind == "ConfigMap" && o.metadata.name == "trial-templates" then o {
        data: {
          [k]: std.join("\n", [
            local t = std.lstripChars(line, " ");
            if std.startsWith(t, "image: ") then
              std.substr(line, 0, std.length(line) - std.length(t)) + "image: " + m(std.substr(t, 7, std.length(t)))
            else line
            for line in std.split(o.data[k], "\n")
          ])
          for k in std.objectFields(o.data)
        },
      } else o
      for o in edited
    ],

  trialResourcesConfig(objs, cfg)::
    if std.length(cfg.trialResources) == 0 then objs
    else $.editKatibConfig(objs, function(doc) doc { init+: { controller+: { trialResources: cfg.trialResources } } }),

  database(objs, cfg):: [
    local db = if cfg.database == "postgres" then "katib-postgres" else "katib-mysql";
    if o.kind == "Secret" && cfg.dbPassword != "" && o.metadata.name == db + "-secrets" then o {
      data+: (if cfg.database == "postgres" then { POSTGRES_PASSWORD: std.base64(cfg.dbPassword) }
              else { MYSQL_ROOT_PASSWORD: std.base64(cfg.dbPassword) }),
    }
    // the PostgreSQL DB manager carries the password in its env (as released)
    else if o.kind == "Deployment" && o.metadata.name == "katib-db-manager" && cfg.dbPassword != "" && cfg.database == "postgres" then o {
      spec+: { template+: { spec+: { containers: [
        c { env: [if e.name == "DB_PASSWORD" then e { value: cfg.dbPassword } else e for e in c.env] }
        for c in o.spec.template.spec.containers
      ] } } },
    }
    else if o.kind == "PersistentVolumeClaim" && o.metadata.name == db then o {
      spec+: (if cfg.dbStorage != "" then { resources+: { requests+: { storage: cfg.dbStorage } } } else {}) +
             (if cfg.storageClass != "" then { storageClassName: cfg.storageClass } else {}),
    }
    else o
    for o in objs
  ],

  // replicas and resources are the controller's; node placement applies to every Katib pod
  placement(objs, cfg)::
    local controllerOnly = cfg { nodeSelector: null, tolerations: null };
    local podsOnly = cfg { replicas: null, resources: null };
    [
      local once = lib.workloads([o], podsOnly)[0];
      if o.kind == "Deployment" && o.metadata.name == "katib-controller" then lib.workloads([once], controllerOnly)[0] else once
      for o in objs
    ],

  objects(cfg)::
    local crds = if cfg.installCrds then [up.crds[c] for c in std.objectFields(up.crds)] else [];
    local base = $.componentImages([o for o in $.variant(cfg) if cfg.ui || !$.isUi(o)], cfg);
    // namespace and the registry mirror (placement below: it is not the same for every pod)
    local moved = lib.standard(base, cfg { replicas: null, resources: null, nodeSelector: null, tolerations: null },
                               $.upstreamNamespace);
    crds + $.placement($.database($.trialResourcesConfig($.mirrorRuntimeImages(moved, cfg), cfg), cfg), cfg),

  new(env, params):: $.objects($.config(env, params)),
  list(items):: lib.list(items),
}
