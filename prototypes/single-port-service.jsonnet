// @apiVersion 0.1
// @name io.ksonnet.pkg.single-port-service
// @description A service that exposes 'servicePort', and directs traffic to 'targetLabelSelector', at 'targetPort'. Since 'targetLabelSelector' is an object literal that specifies which labels the service is meant to target, this will typically look something like: kfctl generate single-port-service web --targetLabelSelector "{app: 'nginx'}"
// @shortDescription Service that exposes a single port
// @param name string Name of the service
// @param targetLabelSelector object Label for the service to target (e.g., "{app: 'MyApp'}").
// @optionalParam servicePort numberOrString 80 Port for the service to expose.
// @optionalParam targetPort numberOrString 80 Port for the service target.
// @optionalParam protocol string TCP Protocol to use (either TCP or UDP).
// @optionalParam type string ClusterIP Type of service to expose
// @alias type serviceType
// @optionalParam namespace string null Namespace of the service (null: the environment's).

local isSet(v) = v != null && v != "" && v != "null";
local namespace = if std.objectHas(params, "namespace") && isSet(params.namespace) then params.namespace else env.namespace;

std.prune({
  apiVersion: "v1",
  kind: "List",
  items: [
    {
      apiVersion: "v1",
      kind: "Service",
      metadata: { name: params.name, namespace: namespace },
      spec: {
        ports: [
          {
            port: params.servicePort,
            targetPort: params.targetPort,
            protocol: params.protocol,
          },
        ],
        selector: params.targetLabelSelector,
        type: params.type,
      },
    },
  ],
})
