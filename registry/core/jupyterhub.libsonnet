// JupyterHub for kubeflow-core: the zero-to-jupyterhub chart 4.4.0 (JupyterHub 5.5.0, KubeSpawner
// 7), vendored in upstream-jupyterhub/ by scripts/vendor_upstream.py, configured from the Kubeflow
// 0.1 params.  The hub reads its configuration from the values.yaml of its Secret (z2jh.py), so
// the params edit that document (and the objects the chart rendered from the same values).
local up = import "kubeflow/core/upstream-jupyterhub/upstream.libsonnet";
local lib = import "kubeflow/core/upstream-jupyterhub/lib.libsonnet";

{
  upstreamNamespace:: "kubeflow",
  hubImage:: "quay.io/jupyterhub/k8s-hub:4.4.0",
  // the 2018 Kubeflow hub (KubeSpawner 0.x, its own jupyterhub_config.py): not the z2jh hub
  isKubeflow2018Image(image):: std.startsWith(image, "gcr.io/kubeflow/jupyterhub-k8s"),

  // Kubeflow 0.1's header authenticators (jhub_remote_user_authenticator), which the z2jh hub image
  // does not ship: a RemoteUserAuthenticator in hub.extraConfig (run after hub.config, so its
  // authenticator_class wins over the chart's dummy), with the same headers
  remoteUserHeader:: { iap: "X-Goog-Authenticated-User-Email", "remote-user": "X-Remote-User" },
  remoteUserConfig(header):: std.join("\n", [
    "# kfctl: Kubeflow 0.1's jupyterHubAuthenticator (a header set by the proxy in front of the hub)",
    "from jupyterhub.auth import Authenticator",
    "from jupyterhub.handlers import BaseHandler",
    "from tornado import web",
    "",
    "class RemoteUserLoginHandler(BaseHandler):",
    "    async def get(self):",
    "        user = self.request.headers.get(" + std.manifestJson(header) + ", '')",
    "        user = user.split(':', 1)[-1]  # IAP: accounts.google.com:<email>",
    "        if not user:",
    "            raise web.HTTPError(401)",
    "        self.set_login_cookie(await self.auth_to_user({'name': user}))",
    "        self.redirect(self.get_next_url())",
    "",
    "class RemoteUserAuthenticator(Authenticator):",
    "    def get_handlers(self, app):",
    "        return [(r'/login', RemoteUserLoginHandler)]",
    "",
    "    async def authenticate(self, handler, data):",
    "        raise NotImplementedError('the user comes from the request header')",
    "",
    "c.JupyterHub.authenticator_class = RemoteUserAuthenticator",
    "c.Authenticator.allow_all = True",
    "",
  ]),

  isNamespaced(o):: !std.member(["ClusterRole", "ClusterRoleBinding"], o.kind),

  // the hub's configuration (the chart's values) with kubeflow-core's params applied
  values(cfg, released)::
    local storage = released.singleuser.storage;
    released {
      Release+: { Namespace: cfg.namespace },
      hub+: {
        config+: (if cfg.jupyterHubSecret == "" then {} else {
          ConfigurableHTTPProxy+: { auth_token: std.sha256(cfg.jupyterHubSecret + ":proxy-token") },
          JupyterHub+: { cookie_secret: std.sha256(cfg.jupyterHubSecret + ":cookie-secret") },
          CryptKeeper+: { keys: [std.sha256(cfg.jupyterHubSecret + ":crypt-keeper")] },
        }),
      } + (if std.objectHas($.remoteUserHeader, cfg.jupyterHubAuthenticator) then {
        extraConfig+: { "kfctl-remote-user": $.remoteUserConfig($.remoteUserHeader[cfg.jupyterHubAuthenticator]) },
      } else {}),
      proxy+: { service+: { type: cfg.jupyterHubServiceType } },
      singleuser+: {
        storage: storage {
          // Kubeflow 0.1: per-user claims only with jupyterNotebookPVCMount; the disks at /mnt/<disk>
          type: if cfg.jupyterNotebookPVCMount == "" then "none" else "dynamic",
          [if cfg.jupyterNotebookPVCMount != "" then "homeMountPath"]: cfg.jupyterNotebookPVCMount,
          // the claims keep Kubeflow 0.1's names, so its users find their data again
          dynamic+: (if cfg.storageClass != "" then { storageClass: cfg.storageClass } else {}) +
                    (if cfg.jupyterNotebookPVCMount != "" then { pvcNameTemplate: "claim-{username}{servername}" } else {}),
          extraVolumes: if std.length(cfg.disks) == 0 then storage.extraVolumes
                        else [{ name: d, persistentVolumeClaim: { claimName: d } } for d in cfg.disks],
          extraVolumeMounts: if std.length(cfg.disks) == 0 then storage.extraVolumeMounts
                             else [{ name: d, mountPath: "/mnt/" + d } for d in cfg.disks],
        },
      } + (if cfg.gpuTolerationKey != "" then {
        extraTolerations: [{ key: cfg.gpuTolerationKey, operator: "Exists", effect: "NoSchedule" }],
      } else {}),
    },

  parts(cfg):: {
    local hubSecret = [o for o in up.variants.chart if o.kind == "Secret" && o.metadata.name == "hub"][0],
    local released = std.native("parseYaml")(std.base64Decode(hubSecret.data["values.yaml"]))[0],
    local values = $.values(cfg, released),
    local secretData = hubSecret.data {
      "values.yaml": std.base64(std.native("manifestYamlFromJson")(std.manifestJson(values))),
      "hub.config.ConfigurableHTTPProxy.auth_token": std.base64(values.hub.config.ConfigurableHTTPProxy.auth_token),
      "hub.config.JupyterHub.cookie_secret": std.base64(values.hub.config.JupyterHub.cookie_secret),
      "hub.config.CryptKeeper.keys": std.base64(std.join(";", values.hub.config.CryptKeeper.keys)),
    },
    local image = if cfg.jupyterHubImage == "" || $.isKubeflow2018Image(cfg.jupyterHubImage) then $.hubImage else cfg.jupyterHubImage,
    local edit(o) =
      if o.kind == "Secret" && o.metadata.name == "hub" then o { data: secretData }
      else if o.kind == "Deployment" && o.metadata.name == "hub" then o {
        spec+: { template+: {
          // the chart's checksum of its Secret: the hub restarts when its configuration changes
          metadata+: { annotations+: { "checksum/secret": std.sha256(std.manifestJsonMinified(secretData)) } },
          spec+: { containers: [c { image: image } for c in o.spec.template.spec.containers] },
        } },
      }
      else if o.kind == "Deployment" && o.metadata.name == "proxy" then o {
        spec+: { template+: { metadata+: { annotations+: {
          "checksum/auth-token": std.substr(std.sha256(values.hub.config.ConfigurableHTTPProxy.auth_token), 0, 4),
        } } } },
      }
      else if o.kind == "Service" && o.metadata.name == "proxy-public" then o { spec+: { type: cfg.jupyterHubServiceType } }
      else if o.kind == "ConfigMap" && o.metadata.name == "user-scheduler" then o {
        data+: { "config.yaml": std.strReplace(o.data["config.yaml"], 'resourceNamespace: "%s"' % $.upstreamNamespace,
                                               'resourceNamespace: "%s"' % cfg.namespace) },
      }
      else o,
    local placed = [
      if $.isNamespaced(o) then o { metadata+: { namespace: $.upstreamNamespace } } else o
      for o in up.variants.chart
    ],
    all:: [edit(o) for o in lib.renamespace(placed, $.upstreamNamespace, cfg.namespace)],
  },
}
