// @apiVersion 0.1
// @name io.ksonnet.pkg.ingress
// @description A networking.k8s.io/v1 Ingress routing 'path' (on 'host', or any host) to the service 'serviceName' at 'servicePort'; 'ingressClass' follows the platform profile; TLS with 'tlsSecretName'.
// @shortDescription An ingress for one service
// @param name string Name of the Ingress
// @param serviceName string The backend Service
// @optionalParam servicePort numberOrString 80 Port (number or name) of the backend Service.
// @optionalParam host string null Host name to match (null: every host).
// @optionalParam path string / Path prefix to route.
// @optionalParam pathType string Prefix Prefix, Exact or ImplementationSpecific.
// @optionalParam ingressClass string null IngressClass name (null: the cluster's default class).
// @optionalParam tlsSecretName string null Secret with the TLS certificate for host (null: no TLS).
// @optionalParam namespace string null Namespace of the Ingress (null: the environment's).

local isSet(v) = v != null && v != "" && v != "null";
local namespace = if std.objectHas(params, "namespace") && isSet(params.namespace) then params.namespace else env.namespace;
local port = if std.isNumber(params.servicePort) then { number: params.servicePort } else { name: params.servicePort };
local host = if isSet(params.host) then params.host else null;

std.prune({
  apiVersion: "v1",
  kind: "List",
  items: [
    {
      apiVersion: "networking.k8s.io/v1",
      kind: "Ingress",
      metadata: { name: params.name, namespace: namespace, labels: { app: params.name } },
      spec: {
        ingressClassName: if isSet(params.ingressClass) then params.ingressClass else null,
        tls: if isSet(params.tlsSecretName) then [
          { secretName: params.tlsSecretName, hosts: if host != null then [host] else null },
        ] else null,
        rules: [
          {
            host: host,
            http: {
              paths: [
                {
                  path: params.path,
                  pathType: params.pathType,
                  backend: { service: { name: params.serviceName, port: port } },
                },
              ],
            },
          },
        ],
      },
    },
  ],
})
