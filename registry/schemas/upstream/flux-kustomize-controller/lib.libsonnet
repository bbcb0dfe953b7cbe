// kfctl's helpers for the thin jsonnet layer over vendored upstream objects.
// scripts/vendor_upstream.py copies this file into every package's upstream folder as
// lib.libsonnet (and hashes it in upstream.json); edit it here and re-run the script.
//
// Params arrive the ksonnet way (generate quotes strings, so an unset default is the string
// "null"; `param set` decodes booleans and numbers); the normalisers below accept all of that.
{
  isSet(v):: v != null && !(std.isString(v) && (v == "" || std.asciiLower(v) == "null")),
  orDefault(v, default):: if self.isSet(v) then v else default,
  toBool(v)::
    if std.isBoolean(v) then v
    else if std.isNumber(v) then v != 0
    else if std.isString(v) then std.member(["true", "yes", "y", "1", "on"], std.asciiLower(std.stripChars(v, " ")))
    else false,
  toNumber(v, default=null)::
    if std.isNumber(v) then v
    else if !self.isSet(v) then default
    else std.parseJson(std.stripChars(v, " ")),
  // "a, b" -> ["a", "b"]; a JSON/jsonnet array passes through; unset -> []
  toArray(v)::
    if std.isArray(v) then v
    else if !self.isSet(v) then []
    else if std.startsWith(std.stripChars(v, " "), "[") then std.parseJson(v)
    else [std.stripChars(x, " ") for x in std.split(std.toString(v), ",") if std.stripChars(x, " ") != ""],
  // an object param: an object, a JSON string, or unset -> null
  toObject(v)::
    if std.isObject(v) then v
    else if !self.isSet(v) then null
    else std.parseJson(v),
  // the namespace param: set -> it; unset -> the env's; else `default`
  namespace(env, params, default)::
    if std.objectHas(params, "namespace") && self.isSet(params.namespace) then params.namespace
    else if default != null then default
    else if env != null && std.objectHas(env, "namespace") && self.isSet(env.namespace) then env.namespace
    else "default",

  // ---------------------------------------------------------------- images
  // registry host of an image reference ("" for Docker Hub short names)
  imageHost(image)::
    local first = std.split(image, "/")[0];
    if std.length(std.split(image, "/")) > 1 && (std.length(std.findSubstr(".", first)) > 0 ||
                                                   std.length(std.findSubstr(":", first)) > 0 || first == "localhost")
    then first else "",
  // the image pulled from `mirror` instead of its registry (mirror "" = unchanged)
  mirrorImage(image, mirror)::
    if mirror == "" then image
    else
      local host = self.imageHost(image);
      local rest = if host == "" then image else std.substr(image, std.length(host) + 1, std.length(image));
      std.rstripChars(mirror, "/") + "/" + rest,
  // the repository part of an image (no tag or digest)
  imageRepo(image)::
    local noDigest = std.split(image, "@")[0];
    local parts = std.split(noDigest, "/");
    local last = parts[std.length(parts) - 1];
    local lastRepo = std.split(last, ":")[0];
    std.join("/", parts[:std.length(parts) - 1] + [lastRepo]),
  withTag(image, tag):: if tag == "" then image else self.imageRepo(image) + ":" + tag,

  // ---------------------------------------------------------------- objects
  podTemplateKinds:: ["Deployment", "DaemonSet", "StatefulSet", "ReplicaSet", "Job"],
  isWorkload(o):: std.member(self.podTemplateKinds, o.kind),

  // apply f(container) to every container and init container of the workloads among objs
  mapContainers(objs, f):: [
    if $.isWorkload(o) then o {
      spec+: { template+: { spec+: {
        containers: [f(c) for c in o.spec.template.spec.containers],
        [if std.objectHas(o.spec.template.spec, "initContainers") then "initContainers"]:
          [f(c) for c in o.spec.template.spec.initContainers],
      } } },
    } else o
    for o in objs
  ],

  // every image: `images[repo]` when given (a full reference), else mirrored
  images(objs, mirror="", overrides={}):: self.mapContainers(objs, function(c)
    if !std.objectHas(c, "image") then c
    else
      local repo = $.imageRepo(c.image);
      local img = if std.objectHas(overrides, repo) && overrides[repo] != "" then overrides[repo] else c.image;
      c { image: $.mirrorImage(img, mirror) }),

  // pod-level settings of every workload: replicas (Deployments/StatefulSets), node selector,
  // tolerations, resources of the container named `container` (or all when "")
  workloads(objs, cfg):: [
    if $.isWorkload(o) then o + (
      if cfg.replicas != null && std.member(["Deployment", "StatefulSet"], o.kind) then { spec+: { replicas: cfg.replicas } } else {}
    ) + {
      spec+: { template+: { spec+:
        (if cfg.nodeSelector != null then { nodeSelector: cfg.nodeSelector } else {}) +
        (if cfg.tolerations != null then { tolerations: cfg.tolerations } else {}) +
        (if cfg.resources != null then {
          containers: [
            if cfg.container == "" || c.name == cfg.container then c { resources: cfg.resources } else c
            for c in o.spec.template.spec.containers
          ],
        } else {}) } },
    } else o
    for o in objs
  ],

  // move objects from namespace `from` to `to`, with the references kustomize's namespace
  // transformer rewrites (role binding subjects, webhook/APIService/CRD-conversion services,
  // cert-manager CA injection) and the Service host names of cert-manager Certificates
  renamespace(objs, from, to):: if from == to then objs else [
    local ns(v) = if v == from then to else v;
    local meta = std.get(o, "metadata", {});
    o + {
      metadata+: (if std.objectHas(meta, "namespace") then { namespace: ns(meta.namespace) } else {}) +
                 (if o.kind == "Namespace" && meta.name == from then { name: to } else {}) +
                 (
                   local annotations = local a = std.get(meta, "annotations", null); if a == null then {} else a;
                   local injected = [a for a in ["cert-manager.io/inject-ca-from", "cert-manager.io/inject-ca-from-secret"]
                                     if std.objectHas(annotations, a)];
                   if std.length(injected) == 0 then {} else {
                     annotations+: {
                       [a]: local parts = std.splitLimit(annotations[a], "/", 1);
                            if std.length(parts) == 2 then ns(parts[0]) + "/" + parts[1] else annotations[a]
                       for a in injected
                     },
                   }
                 ),
    } + (
      // a cert-manager Certificate for a Service: <svc>.<from>.svc[.cluster.local] names
      if o.kind == "Certificate" && std.startsWith(o.apiVersion, "cert-manager.io/") then {
        local host(h) = local parts = std.split(h, ".");
                        if std.length(parts) >= 3 && parts[1] == from && parts[2] == "svc"
                        then std.join(".", [parts[0], to] + parts[2:]) else h,
        spec+: (if std.objectHas(o.spec, "commonName") then { commonName: host(o.spec.commonName) } else {}) +
               (if std.objectHas(o.spec, "dnsNames") then { dnsNames: [host(h) for h in o.spec.dnsNames] } else {}),
      } else {}
    ) + (
      if std.member(["RoleBinding", "ClusterRoleBinding"], o.kind) && std.objectHas(o, "subjects") then {
        subjects: [if std.objectHas(s, "namespace") then s { namespace: ns(s.namespace) } else s for s in o.subjects],
      } else {}
    ) + (
      if std.member(["MutatingWebhookConfiguration", "ValidatingWebhookConfiguration"], o.kind) && std.objectHas(o, "webhooks") then {
        webhooks: [
          if std.objectHas(w, "clientConfig") && std.objectHas(w.clientConfig, "service") then
            w { clientConfig+: { service+: { namespace: ns(w.clientConfig.service.namespace) } } }
          else w
          for w in o.webhooks
        ],
      } else {}
    ) + (
      if o.kind == "APIService" && std.objectHas(o.spec, "service") && o.spec.service != null then {
        spec+: { service+: { namespace: ns(o.spec.service.namespace) } },
      } else {}
    ) + (
      if o.kind == "CustomResourceDefinition" && std.objectHas(o.spec, "conversion") &&
         std.objectHas(o.spec.conversion, "webhook") && std.objectHas(o.spec.conversion.webhook, "clientConfig") &&
         std.objectHas(o.spec.conversion.webhook.clientConfig, "service") then {
        spec+: { conversion+: { webhook+: { clientConfig+: { service+: {
          namespace: ns(o.spec.conversion.webhook.clientConfig.service.namespace),
        } } } } },
      } else {}
    )
    for o in objs
  ],

  // the args of container `container` in Deployment `deployment`, replaced by f(args)
  mapArgs(objs, deployment, container, f):: [
    if o.kind == "Deployment" && o.metadata.name == deployment then o {
      spec+: { template+: { spec+: { containers: [
        if c.name == container then c { args: f(std.get(c, "args", [])) } else c
        for c in o.spec.template.spec.containers
      ] } } },
    } else o
    for o in objs
  ],

  // ---------------------------------------------------------------- the params every controller package takes
  // namespace, createNamespace, imageRegistry, image, imageTag, replicas, resources, nodeSelector,
  // tolerations (`defaults`: the package's defaults, merged under `params`)
  controllerConfig(env, params, defaults):: {
    local p = defaults + params,
    local str(v) = if $.isSet(v) then std.toString(v) else "",
    namespace: $.namespace(env, p, null),
    createNamespace: $.toBool(std.get(p, "createNamespace", true)),
    imageRegistry: str(std.get(p, "imageRegistry", null)),
    image: str(std.get(p, "image", null)),
    imageTag: str(std.get(p, "imageTag", null)),
    replicas: $.toNumber(std.get(p, "replicas", null)),
    resources: $.toObject(std.get(p, "resources", null)),
    nodeSelector: $.toObject(std.get(p, "nodeSelector", null)),
    tolerations: if $.isSet(std.get(p, "tolerations", null)) then $.toArray(p.tolerations) else null,
    container: "",
  },

  // the standard transformation: namespace (and the Namespace object), the controller image
  // (`image` replaces, `imageTag` retags the image whose repository is `mainImageRepo`), the
  // mirror registry for every image, then replicas/resources/node placement of every workload
  standard(objs, cfg, upstreamNamespace, mainImageRepo="")::
    local kept = [o for o in objs if cfg.createNamespace || !(o.kind == "Namespace" && o.metadata.name == upstreamNamespace)];
    local moved = $.renamespace(kept, upstreamNamespace, cfg.namespace);
    local main = if mainImageRepo == "" then {} else {
      [mainImageRepo]: if cfg.image != "" then cfg.image else if cfg.imageTag != "" then mainImageRepo + ":" + cfg.imageTag else "",
    };
    $.workloads($.images(moved, cfg.imageRegistry, main), cfg),

  // ---------------------------------------------------------------- job prototypes
  // queue (Kueue LocalQueue), gangScheduling (none | coscheduling | kueue), schedulerName, and the
  // GPU placement the env's platform profile gives (gpuNodeSelectorKey/Value, gpuTolerationKey)
  jobConfig(env, params, defaults={}):: {
    local p = { queue: "null", gangScheduling: "none", schedulerName: "scheduler-plugins-scheduler",
                gpuNodeSelectorKey: "null", gpuNodeSelectorValue: "null", gpuTolerationKey: "null",
                namespace: "null", num_gpus: 0 } + defaults + params,
    local str(v) = if $.isSet(v) then std.toString(v) else "",
    name: p.name,
    namespace: $.namespace(env, p, null),
    queue: str(p.queue),
    gangScheduling:
      local g = std.asciiLower(str(p.gangScheduling));
      local v = if g == "" then "none" else g;
      assert std.member(["none", "coscheduling", "kueue"], v) :
             "%s: gangScheduling must be none, coscheduling or kueue, got %s" % [p.name, v];
      assert v != "kueue" || str(p.queue) != "" :
             "%s: gangScheduling=kueue needs queue (the team's Kueue LocalQueue)" % p.name;
      v,
    schedulerName: str(p.schedulerName),
    numGpus: $.toNumber(p.num_gpus, 0),
    gpuNodeSelectorKey: str(p.gpuNodeSelectorKey),
    gpuNodeSelectorValue: str(p.gpuNodeSelectorValue),
    gpuTolerationKey: str(p.gpuTolerationKey),
  },
  // labels of the job object: Kueue's queue label
  jobLabels(cfg):: if cfg.queue != "" then { "kueue.x-k8s.io/queue-name": cfg.queue } else {},
  jobMetaLabels(cfg):: if cfg.queue != "" then { labels: $.jobLabels(cfg) } else {},
  // the PodGroup of a coscheduled job (scheduler-plugins), or nothing
  podGroup(cfg, minMember):: if cfg.gangScheduling != "coscheduling" then [] else [{
    apiVersion: "scheduling.x-k8s.io/v1alpha1",
    kind: "PodGroup",
    metadata: { name: cfg.name, namespace: cfg.namespace },
    spec: { minMember: minMember },
  }],
  // GPU placement of a pod spec (only when it uses GPUs)
  gpuPlacement(cfg, gpu):: if !gpu || cfg.numGpus <= 0 then {} else
    (if cfg.gpuNodeSelectorKey != "" && cfg.gpuNodeSelectorValue != "" then
       { nodeSelector: { [cfg.gpuNodeSelectorKey]: cfg.gpuNodeSelectorValue } } else {}) +
    (if cfg.gpuNodeSelectorKey != "" && cfg.gpuNodeSelectorValue == "" then {
       affinity: { nodeAffinity: { requiredDuringSchedulingIgnoredDuringExecution: {
         nodeSelectorTerms: [{ matchExpressions: [{ key: cfg.gpuNodeSelectorKey, operator: "Exists" }] }],
       } } },
     } else {}) +
    (if cfg.gpuTolerationKey != "" then
       { tolerations: [{ key: cfg.gpuTolerationKey, operator: "Exists", effect: "NoSchedule" }] } else {}),
  // a pod template: containers, with the gang-scheduling label/scheduler and GPU placement
  podTemplate(cfg, containers, gpu=true, extraSpec={}):: {
    [if cfg.gangScheduling == "coscheduling" then "metadata"]: { labels: { "scheduling.x-k8s.io/pod-group": cfg.name } },
    spec: { containers: containers } + extraSpec +
          (if cfg.gangScheduling == "coscheduling" then { schedulerName: cfg.schedulerName } else {}) +
          $.gpuPlacement(cfg, gpu),
  },
  gpuResources(cfg, gpu=true):: if gpu && cfg.numGpus > 0 then { resources: { limits: { "nvidia.com/gpu": cfg.numGpus } } } else {},

  // vendored CRDs, their conversion-webhook services moved with the controller's namespace
  crds(list, cfg, upstreamNamespace):: $.renamespace(list, upstreamNamespace, cfg.namespace),

  // the Namespace a Helm chart expects `helm install --create-namespace` to make
  namespaceObject(name):: { apiVersion: "v1", kind: "Namespace", metadata: { name: name } },

  // the standard params' prototype header lines are documented in registry/README.md
  // the v1 List a prototype renders
  list(items):: { apiVersion: "v1", kind: "List", items: [i for i in items if i != null] },
}
