"""The prototype renderings under test: every prototype's default rendering plus non-default ones.

Each case: (case id, prototype path, params, namespace).  ``params`` are what a user passes to
``kfctl generate`` (strings, as on the command line) or sets with ``kfctl param set`` (which decodes
``true``/numbers to booleans/numbers — hence the non-string values in some cases).
"""

from __future__ import annotations

from pathlib import Path

from tests.packages.render_helper import PROTOTYPES, REGISTRY

CORE = REGISTRY / "core" / "prototypes" / "all.jsonnet"
OPERATOR = REGISTRY / "core" / "prototypes" / "tf-job-operator.jsonnet"
TF_JOB = REGISTRY / "tf-job" / "prototypes" / "tf-job.jsonnet"
TF_SERVING = REGISTRY / "tf-serving" / "prototypes" / "tf-serving.jsonnet"
DEVICE_PLUGIN = REGISTRY / "gpu" / "prototypes" / "nvidia-device-plugin.jsonnet"
TRAINING_OPERATOR = REGISTRY / "training-operator" / "prototypes" / "training-operator.jsonnet"
KATIB = REGISTRY / "katib" / "prototypes" / "katib.jsonnet"
EXPERIMENT = REGISTRY / "katib" / "prototypes" / "katib-experiment.jsonnet"
NOTEBOOK_CONTROLLER = REGISTRY / "notebooks" / "prototypes" / "notebook-controller.jsonnet"
NOTEBOOK = REGISTRY / "notebooks" / "prototypes" / "notebook.jsonnet"
KSERVE = REGISTRY / "kserve" / "prototypes" / "kserve.jsonnet"
ISVC = REGISTRY / "kserve" / "prototypes" / "inference-service.jsonnet"
ARGO = REGISTRY / "argo-workflows" / "prototypes" / "argo-workflows.jsonnet"
WORKFLOW = REGISTRY / "argo-workflows" / "prototypes" / "workflow.jsonnet"
CERT_MANAGER = REGISTRY / "cert-manager" / "prototypes" / "cert-manager.jsonnet"
PLATFORM = REGISTRY / "platform" / "prototypes" / "kubeflow-platform.jsonnet"


def R(package: str, proto: str) -> Path:
    return REGISTRY / package / "prototypes" / f"{proto}.jsonnet"


PYTORCH_JOB = R("training-operator", "pytorch-job")
TEAMS = ("[{name: 'team-a', cpu: 16, memory: '64Gi', gpu: 4, cohort: 'ml', borrowingLimit: {cpu: 8, gpu: 2}}, "
         "{name: 'team-b', namespace: 'research', queue: 'research', cpu: '8', memory: '32Gi', cohort: 'ml'}]")
GKE_GPU = {"gpuNodeSelectorKey": "cloud.google.com/gke-accelerator", "gpuNodeSelectorValue": "nvidia-l4",
           "gpuTolerationKey": "nvidia.com/gpu"}
PREM_GPU = {"gpuNodeSelectorKey": "nvidia.com/gpu.present", "gpuNodeSelectorValue": "true",
            "gpuTolerationKey": "nvidia.com/gpu"}


def P(name: str) -> Path:
    return PROTOTYPES / f"{name}.jsonnet"


CASES: list[tuple[str, Path, dict, str]] = [
    # kubeflow/core: kubeflow-core
    ("kubeflow-core-default", CORE, {"name": "kubeflow-core"}, "kubeflow"),
    ("kubeflow-core-gke-disks-usage", CORE,
     {"name": "kubeflow-core", "cloud": "gke", "disks": "data,models", "reportUsage": True,
      "usageId": "cluster-42", "jupyterHubAuthenticator": "iap"}, "kubeflow"),
    ("kubeflow-core-onprem-nfs", CORE,
     {"name": "kubeflow-core", "cloud": "on-prem", "disks": "shared", "nfsServer": "10.0.0.5",
      "nfsPath": "/srv/nfs/", "jupyterNotebookPVCMount": "/home/jovyan", "gpuTolerationKey": "nvidia.com/gpu",
      "namespace": "ml"}, "default"),
    ("kubeflow-core-eks-disks", CORE,
     {"name": "kf", "cloud": "eks", "disks": "scratch", "tfDefaultImage": "tensorflow/tensorflow:2.16.1",
      "reportUsage": "true"}, "kubeflow"),
    ("kubeflow-core-minikube", CORE, {"name": "kubeflow-core", "cloud": "minikube"}, "kubeflow"),
    # kubeflow/core: tf-job-operator
    ("tf-job-operator-default", OPERATOR, {"name": "tf-job-operator"}, "kubeflow"),
    ("tf-job-operator-onprem", OPERATOR, {"name": "tf-job-operator", "cloud": "on-prem"}, "kubeflow"),
    ("tf-job-operator-custom", OPERATOR,
     {"name": "op", "namespace": "training", "tfJobImage": "kubeflow/training-operator:v1-5170a36",
      "tfDefaultImage": "tensorflow/tensorflow:2.16.1-gpu", "tfJobUiServiceType": "LoadBalancer"}, "kubeflow"),
    # kubeflow/training-operator
    ("training-operator-default", TRAINING_OPERATOR, {"name": "training-operator"}, "kubeflow"),
    ("training-operator-no-mpijob", TRAINING_OPERATOR,
     {"name": "training-operator", "enabledKinds": "tfjob,pytorchjob,xgboostjob,paddlejob,jaxjob",
      "gangSchedulerName": "scheduler-plugins-scheduler"}, "kubeflow"),
    ("training-operator-mirror-placement", TRAINING_OPERATOR,
     {"name": "to", "namespace": "null", "createNamespace": "false", "enabledKinds": "pytorchjob",
      "imageRegistry": "registry.corp.example:5000", "imageTag": "v1-93c5489", "replicas": "2",
      "resources": "{requests: {cpu: '100m', memory: '256Mi'}}", "nodeSelector": "{'node-role/infra': 'true'}",
      "tolerations": "[{key: 'infra', operator: 'Exists', effect: 'NoSchedule'}]"}, "ml-system"),
    # kubeflow/training-operator: job prototypes
    ("pytorch-job-default", PYTORCH_JOB, {"name": "mnist"}, "kubeflow"),
    ("pytorch-job-queued-gpu", PYTORCH_JOB,
     {"name": "bert", "num_workers": "3", "num_gpus": "2", "queue": "team-a", "gangScheduling": "kueue",
      "args": "python,train.py,--epochs=2", **GKE_GPU}, "team-a"),
    ("pytorch-job-coscheduled", PYTORCH_JOB,
     {"name": "ddp", "num_workers": "2", "num_gpus": "1", "gangScheduling": "coscheduling",
      "restartPolicy": "Never", "cleanPodPolicy": "All", "ttlSecondsAfterFinished": "600", **PREM_GPU}, "ml"),
    ("xgboost-job-default", R("training-operator", "xgboost-job"), {"name": "iris", "image": "example/xgb:1"}, "kubeflow"),
    ("xgboost-job-workers-queue", R("training-operator", "xgboost-job"),
     {"name": "iris", "image": "example/xgb:1", "num_workers": "2", "queue": "team-b"}, "research"),
    ("xgboost-job-coscheduled", R("training-operator", "xgboost-job"),
     {"name": "iris", "image": "example/xgb:1", "num_workers": "4", "gangScheduling": "coscheduling",
      "schedulerName": "my-gang-scheduler"}, "ml"),
    # kubeflow/mpi-operator
    ("mpi-operator-default", R("mpi-operator", "mpi-operator"), {"name": "mpi-operator"}, "kubeflow"),
    ("mpi-operator-gang", R("mpi-operator", "mpi-operator"),
     {"name": "mpi-operator", "gangScheduling": "scheduler-plugins-scheduler", "installCrds": "false"}, "kubeflow"),
    ("mpi-operator-moved", R("mpi-operator", "mpi-operator"),
     {"name": "mpi", "namespace": "training", "imageRegistry": "mirror.example.com", "replicas": "2"}, "kubeflow"),
    ("mpi-job-default", R("mpi-operator", "mpi-job"), {"name": "horovod", "image": "example/horovod:1"}, "kubeflow"),
    ("mpi-job-queued-gpu", R("mpi-operator", "mpi-job"),
     {"name": "horovod", "image": "example/horovod:1", "num_workers": "4", "slotsPerWorker": "2", "num_gpus": "2",
      "command": "mpirun,-np,8,python,train.py", "queue": "team-a", "gangScheduling": "kueue", **PREM_GPU}, "team-a"),
    ("mpi-job-coscheduled", R("mpi-operator", "mpi-job"),
     {"name": "allreduce", "image": "example/mpi:1", "num_workers": "3", "gangScheduling": "coscheduling"}, "ml"),
    # kubeflow/jobset
    ("jobset-controller-default", R("jobset", "jobset-controller"), {"name": "jobset"}, "kubeflow"),
    ("jobset-controller-moved", R("jobset", "jobset-controller"),
     {"name": "jobset", "namespace": "batch-system", "imageTag": "v0.12.0", "resources": "{limits: {memory: '1Gi'}}"},
     "kubeflow"),
    ("jobset-controller-no-crds", R("jobset", "jobset-controller"),
     {"name": "jobset", "installCrds": "false", "createNamespace": "false"}, "kubeflow"),
    ("jobset-default", R("jobset", "jobset"), {"name": "sleep", "image": "busybox:1.36"}, "default"),
    ("jobset-queued-gpu", R("jobset", "jobset"),
     {"name": "train", "image": "example/train:1", "replicas": "2", "parallelism": "4", "num_gpus": "1",
      "queue": "team-a", **GKE_GPU}, "team-a"),
    ("jobset-coscheduled", R("jobset", "jobset"),
     {"name": "gang", "image": "example/train:1", "replicas": "3", "gangScheduling": "coscheduling",
      "command": "python,-c,print(1)", "replicatedJob": "trainers"}, "ml"),
    # kubeflow/kueue
    ("kueue-default", R("kueue", "kueue"), {"name": "kueue"}, "kubeflow"),
    ("kueue-training-operator", R("kueue", "kueue"),
     {"name": "kueue", "trainingOperator": "true", "disableFrameworks": "ray.io/rayjob,ray.io/raycluster,ray.io/rayservice"},
     "kubeflow"),
    ("kueue-mirror", R("kueue", "kueue"),
     {"name": "kueue", "imageRegistry": "registry.corp.example", "enableFrameworks": "kubeflow.org/pytorchjob",
      "replicas": "2"}, "kubeflow"),
    ("team-queues-default", R("kueue", "team-queues"), {"name": "queues", "teams": "[{name: 'team-a', cpu: 4, memory: '8Gi'}]"},
     "kubeflow"),
    ("team-queues-gke", R("kueue", "team-queues"), {"name": "queues", "teams": TEAMS, **GKE_GPU}, "kubeflow"),
    ("team-queues-on-prem-types", R("kueue", "team-queues"),
     {"name": "queues", "createNamespaces": "false", **PREM_GPU, "gpuNodeSelectorKey": "nvidia.com/gpu.product",
      "teams": "[{name: 'vision', cpu: 32, memory: '128Gi', gpu: 8, gpuType: 'NVIDIA-H100-80GB-HBM3'}, "
               "{name: 'nlp', cpu: 16, memory: '64Gi', gpu: 4, gpuType: 'NVIDIA-A100-SXM4-40GB'}]"}, "kubeflow"),
    # kubeflow/trainer
    ("trainer-default", R("trainer", "trainer"), {"name": "trainer"}, "kubeflow"),
    ("trainer-external-jobset-runtimes", R("trainer", "trainer"),
     {"name": "trainer", "jobset": "external", "runtimes": "true"}, "kubeflow"),
    ("trainer-mirror", R("trainer", "trainer"),
     {"name": "trainer", "imageRegistry": "registry.corp.example", "namespace": "trainer", "nodeSelector": "{pool: 'system'}"},
     "kubeflow"),
    ("train-job-default", R("trainer", "train-job"), {"name": "llm"}, "kubeflow"),
    ("train-job-queued-gpu", R("trainer", "train-job"),
     {"name": "llm", "runtime": "deepspeed-distributed", "numNodes": "2", "num_gpus": "8", "queue": "team-a",
      "gangScheduling": "kueue", "image": "example/ds:1", "command": "deepspeed,train.py", **GKE_GPU}, "team-a"),
    ("train-job-namespaced-runtime", R("trainer", "train-job"),
     {"name": "ft", "runtime": "my-runtime", "runtimeKind": "TrainingRuntime", "args": "--lr=0.1", "num_gpus": "1",
      "gpuNodeSelectorKey": "nvidia.com/gpu.present", "gpuTolerationKey": "nvidia.com/gpu"}, "ml"),
    # kubeflow/scheduler-plugins
    ("scheduler-plugins-default", R("scheduler-plugins", "scheduler-plugins"), {"name": "scheduler-plugins"}, "kubeflow"),
    ("scheduler-plugins-chart-defaults", R("scheduler-plugins", "scheduler-plugins"),
     {"name": "scheduler-plugins", "plugins": "chart-defaults"}, "kubeflow"),
    ("scheduler-plugins-mirror", R("scheduler-plugins", "scheduler-plugins"),
     {"name": "sp", "namespace": "gang", "imageRegistry": "mirror.example.com",
      "schedulerImage": "registry.k8s.io/scheduler-plugins/kube-scheduler:v0.34.7"}, "kubeflow"),
    # kubeflow/gpu: gpu-operator and gpu-stack
    ("gpu-operator-default", R("gpu", "gpu-operator"), {"name": "gpu-operator"}, "kubeflow"),
    ("gpu-operator-gke", R("gpu", "gpu-operator"),
     {"name": "gpu-operator", "driver": "false", "driverInstallDir": "/home/kubernetes/bin/nvidia",
      "toolkitInstallDir": "/home/kubernetes/bin/nvidia"}, "kubeflow"),
    ("gpu-operator-mirror-no-nfd", R("gpu", "gpu-operator"),
     {"name": "gpu-operator", "nfd": "false", "imageRegistry": "mirror.example.com", "migStrategy": "mixed",
      "dcgmExporter": "false"}, "kubeflow"),
    ("gpu-stack-default", R("gpu", "gpu-stack"), {"name": "gpu"}, "kubeflow"),
    ("gpu-stack-aks", R("gpu", "gpu-stack"),
     {"name": "gpu", "gpuStack": "gpu-operator", "gpuDriver": "true", "gpuToolkit": "true"}, "kubeflow"),
    ("gpu-stack-eks", R("gpu", "gpu-stack"),
     {"name": "gpu", "gpuStack": "device-plugin", "gpuNodeSelectorKey": "k8s.amazonaws.com/accelerator"}, "kubeflow"),
    # kubeflow/platform
    ("kubeflow-platform-default", PLATFORM, {"name": "platform"}, "kubeflow"),
    ("kubeflow-platform-trainer-gpu-eks", PLATFORM,
     {"name": "platform", "training": "false", "trainer": "true", "serving": "false", "workflows": "false",
      "gpu": "true", "gpuStack": "device-plugin", "gpuNodeSelectorKey": "k8s.amazonaws.com/accelerator",
      "installCrds": "false"}, "kubeflow"),
    ("kubeflow-platform-serving-mirror", PLATFORM,
     {"name": "ml", "training": "false", "kueue": "false", "tuning": "false", "notebooks": "false",
      "workflows": "false", "certManager": "false", "imageRegistry": "registry.corp.example:5000",
      "installCrds": "false"}, "kubeflow"),
    # cert-manager/cert-manager
    ("cert-manager-default", CERT_MANAGER, {"name": "cert-manager"}, "kubeflow"),
    ("cert-manager-mirror-issuer", CERT_MANAGER,
     {"name": "cert-manager", "imageRegistry": "registry.corp.example:5000", "clusterIssuer": "selfsigned",
      "featureGates": "ExperimentalGatewayAPISupport=true", "installCrds": "false"}, "kubeflow"),
    ("cert-manager-own-namespace", CERT_MANAGER,
     {"name": "certs", "namespace": "platform-certs", "leaderElectionNamespace": "platform-certs", "replicas": "2",
      "imageTag": "v1.21.0", "tolerations": "[{key: 'infra', operator: 'Exists', effect: 'NoSchedule'}]",
      "resources": "{requests: {cpu: '10m', memory: '32Mi'}}", "installCrds": "false"}, "kubeflow"),
    # kubeflow/katib
    ("katib-default", KATIB, {"name": "katib"}, "kubeflow"),
    ("katib-postgres-mirror", KATIB,
     {"name": "katib", "database": "postgres", "dbPassword": "tuning-db-pw", "dbStorage": "20Gi",
      "storageClass": "gp3", "imageRegistry": "registry.corp.example:5000", "ui": "false",
      "trialResources": "Job.v1.batch,PyTorchJob.v1.kubeflow.org", "installCrds": "false"}, "kubeflow"),
    ("katib-cert-manager", KATIB,
     {"name": "tuning", "namespace": "tuning", "certManager": "true", "imageTag": "v0.19.0", "replicas": "2",
      "nodeSelector": "{'node-role/infra': 'true'}", "installCrds": "false"}, "kubeflow"),
    ("katib-experiment-default", EXPERIMENT, {"name": "random-search"}, "kubeflow"),
    ("katib-experiment-pytorchjob-gpu", EXPERIMENT,
     {"name": "pytorch-tune", "trialKind": "PyTorchJob", "numWorkers": "2", "num_gpus": "1", "algorithm": "tpe",
      "objectiveMetric": "accuracy", "objectiveType": "maximize", "goal": "0.99", "additionalMetrics": "loss",
      "parameters": "[{name: 'lr', type: 'double', min: 0.001, max: 0.1}, {name: 'optimizer', type: 'categorical', "
                    "list: ['sgd', 'adam']}]",
      "queue": "team-a", "gpuNodeSelectorKey": "cloud.google.com/gke-accelerator", "gpuTolerationKey": "nvidia.com/gpu"},
     "team-a"),
    ("katib-experiment-grid-job", EXPERIMENT,
     {"name": "grid", "algorithm": "grid", "parameters": "[{name: 'batch-size', type: 'int', min: 16, max: 64, step: 16}]",
      "maxTrialCount": "4", "parallelTrialCount": "2", "cpu": "1", "memory": "2Gi", "image": "example/train:1",
      "command": "python3,/app/train.py", "metricsCollector": "File", "algorithmSettings": "{random_state: 7}"},
     "default"),
    # kubeflow/notebooks
    ("notebook-controller-default", NOTEBOOK_CONTROLLER, {"name": "notebook-controller"}, "kubeflow"),
    ("notebook-controller-culling", NOTEBOOK_CONTROLLER,
     {"name": "notebook-controller", "enableCulling": "true", "cullIdleTime": "120", "idlenessCheckPeriod": "5",
      "namespace": "kubeflow", "createNamespace": "false", "installCrds": "false"}, "kubeflow"),
    ("notebook-controller-istio-mirror", NOTEBOOK_CONTROLLER,
     {"name": "nbc", "useIstio": "true", "istioGateway": "istio-system/main", "istioHost": "nb.example.com",
      "clusterDomain": "corp.local", "imageRegistry": "mirror.local", "replicas": "2",
      "tolerations": "[{key: 'infra', operator: 'Exists', effect: 'NoSchedule'}]", "installCrds": "false"}, "kubeflow"),
    ("notebook-default", NOTEBOOK, {"name": "alice"}, "kubeflow-user"),
    ("notebook-gpu", NOTEBOOK,
     {"name": "train-nb", "image": "ghcr.io/kubeflow/kubeflow/notebook-servers/jupyter-pytorch-cuda-full:v1.11.0",
      "cpu": "4", "memory": "16Gi", "num_gpus": "1", "workspaceSize": "50Gi", "storageClass": "premium-rwo",
      "gpuNodeSelectorKey": "cloud.google.com/gke-accelerator", "gpuNodeSelectorValue": "nvidia-l4",
      "gpuTolerationKey": "nvidia.com/gpu"}, "ml"),
    ("notebook-existing-claim", NOTEBOOK,
     {"name": "vscode", "serverType": "group-one", "image": "ghcr.io/kubeflow/kubeflow/notebook-servers/codeserver-python:v1.11.0",
      "workspacePvc": "shared-home", "createWorkspace": "false", "limitFactor": "1", "shm": "false",
      "serviceAccountName": "default-editor", "namespace": "team-b"}, "default"),
    # kserve/kserve
    ("kserve-default", KSERVE, {"name": "kserve"}, "kubeflow"),
    ("kserve-knative-some-runtimes", KSERVE,
     {"name": "kserve", "deploymentMode": "Knative", "runtimes": "sklearnserver,xgbserver,tensorflow-serving",
      "tensorflowServingImage": "tensorflow/serving:2.20.0", "installCrds": "false"}, "kubeflow"),
    ("kserve-mirror-ingress", KSERVE,
     {"name": "kserve", "namespace": "serving", "imageRegistry": "registry.corp.example:5000", "runtimes": "none",
      "ingressClassName": "nginx", "ingressDomain": "models.example.com", "replicas": "2",
      "resources": "{requests: {cpu: '200m', memory: '300Mi'}}", "installCrds": "false"}, "kubeflow"),
    ("inference-service-default", ISVC, {"name": "sklearn-iris"}, "models"),
    ("inference-service-tensorflow-gpu", ISVC,
     {"name": "flowers", "modelFormat": "tensorflow", "storageUri": "gs://kfserving-examples/models/tensorflow/flowers",
      "num_gpus": "1", "minReplicas": "1", "maxReplicas": "4", "scaleMetric": "concurrency", "scaleTarget": "10",
      "gpuNodeSelectorKey": "cloud.google.com/gke-accelerator", "gpuNodeSelectorValue": "nvidia-l4",
      "gpuTolerationKey": "nvidia.com/gpu"}, "models"),
    ("inference-service-runtime-knative", ISVC,
     {"name": "llm", "modelFormat": "huggingface", "storageUri": "hf://meta-llama/Llama-3.2-1B-Instruct",
      "runtime": "kserve-huggingfaceserver", "protocolVersion": "v2", "deploymentMode": "Knative", "cpu": "4",
      "memory": "16Gi", "minReplicas": "0", "maxReplicas": "2", "serviceAccountName": "hf-reader",
      "namespace": "llm"}, "default"),
    # argoproj/argo-workflows
    ("argo-workflows-default", ARGO, {"name": "argo"}, "kubeflow"),
    ("argo-workflows-no-server-mirror", ARGO,
     {"name": "argo", "server": "false", "imageRegistry": "registry.corp.example:5000", "parallelism": "10",
      "controllerConfig": "{artifactRepository: {s3: {bucket: 'artifacts', endpoint: 'minio:9000', insecure: true}}}",
      "installCrds": "false"}, "kubeflow"),
    ("argo-workflows-sso", ARGO,
     {"name": "wf", "namespace": "workflows", "createNamespace": "false", "serverAuthMode": "sso,client",
      "executorImage": "quay.io/argoproj/argoexec:v4.1.2", "replicas": "2", "installCrds": "false",
      "resources": "{requests: {cpu: '100m', memory: '128Mi'}}"}, "kubeflow"),
    ("workflow-default", WORKFLOW, {"name": "hello"}, "default"),
    ("workflow-dag", WORKFLOW,
     {"name": "etl", "steps": "[{name: 'extract', image: 'python:3.12-slim', command: ['python', '-c', 'print(1)']}, "
                              "{name: 'transform', command: ['echo', 'transform'], dependencies: ['extract']}, "
                              "{name: 'load', command: ['echo', 'load'], dependencies: 'extract,transform'}]",
      "ttlSecondsAfterFinished": "3600", "podGC": "OnPodSuccess", "parallelism": "2", "namespace": "pipelines"},
     "default"),
    ("workflow-own-sa", WORKFLOW,
     {"name": "batch", "image": "example/batch:2", "command": "/bin/run,--all", "serviceAccountName": "batch-runner",
      "executorRbac": "false", "activeDeadlineSeconds": "600", "queue": "team-a"}, "team-a"),
    # kubeflow/tf-job
    ("tf-job-default", TF_JOB, {"name": "mnist"}, "kubeflow"),
    ("tf-job-distributed-gpu", TF_JOB,
     {"name": "dist-mnist", "num_masters": "1", "num_ps": "2", "num_workers": "4", "num_evaluators": "1",
      "num_gpus": "2", "args": "python,/opt/mnist.py,--train_steps=1000",
      "gpuNodeSelectorKey": "cloud.google.com/gke-accelerator", "gpuNodeSelectorValue": "nvidia-l4",
      "gpuTolerationKey": "nvidia.com/gpu"}, "kubeflow"),
    ("tf-job-workers-ttl", TF_JOB,
     {"name": "workers", "num_masters": "0", "num_workers": "3", "restartPolicy": "Never",
      "cleanPodPolicy": "All", "ttlSecondsAfterFinished": "3600", "num_gpus": "1",
      "gpuNodeSelectorKey": "nvidia.com/gpu.present", "namespace": "team-a"}, "kubeflow"),
    ("tf-job-queued-coscheduled", TF_JOB,
     {"name": "dist", "num_ps": "1", "num_workers": "2", "queue": "team-a", "gangScheduling": "coscheduling"}, "team-a"),
    # kubeflow/tf-serving
    ("tf-serving-default", TF_SERVING, {"name": "mnist"}, "kubeflow"),
    ("tf-serving-gke-gpu", TF_SERVING,
     {"name": "inception", "cloud": "gke", "model_path": "gs://kubeflow-models/inception", "num_gpus": "1",
      "serviceType": "LoadBalancer", "gpuTolerationKey": "nvidia.com/gpu",
      "gpuNodeSelectorKey": "cloud.google.com/gke-accelerator"}, "kubeflow"),
    ("tf-serving-eks-s3", TF_SERVING,
     {"name": "resnet", "cloud": "eks", "model_name": "resnet50", "model_path": "s3://models/resnet",
      "s3SecretName": "aws-creds", "s3AwsRegion": "eu-west-1", "replicas": "3"}, "serving"),
    ("tf-serving-pvc", TF_SERVING,
     {"name": "local-model", "cloud": "on-prem", "model_path": "pvc://models/mnist/export",
      "serviceType": "NodePort", "cpuLimit": "2", "memoryLimit": "2Gi"}, "kubeflow"),
    # kubeflow/gpu
    ("nvidia-device-plugin-default", DEVICE_PLUGIN, {"name": "nvidia-device-plugin-daemonset"}, "kubeflow"),
    ("nvidia-device-plugin-selector", DEVICE_PLUGIN,
     {"name": "nvidia-device-plugin", "gpuNodeSelectorKey": "nvidia.com/gpu.present", "gpuNodeSelectorValue": "true",
      "failOnInitError": "false", "migStrategy": "mixed"}, "kubeflow"),
    ("nvidia-device-plugin-affinity", DEVICE_PLUGIN,
     {"name": "gpu-plugin", "namespace": "null", "gpuNodeSelectorKey": "k8s.amazonaws.com/accelerator",
      "priorityClassName": "null", "image": "nvcr.io/nvidia/k8s-device-plugin:v0.16.2"}, "gpu-operators"),
    # general prototypes
    ("single-port-deployment-default", P("single-port-deployment"), {"name": "nginx", "image": "nginx:1.27"}, "default"),
    ("single-port-deployment-scaled", P("single-port-deployment"),
     {"name": "web", "image": "nginx:1.27", "replicas": "3", "port": "8080", "namespace": "web"}, "default"),
    ("single-port-deployment-named-port", P("single-port-deployment"),
     {"name": "api", "image": "example/api:1.0", "port": "8443"}, "apps"),
    ("single-port-service-default", P("single-port-service"),
     {"name": "nginx", "targetLabelSelector": "{app: 'nginx'}"}, "default"),
    ("single-port-service-nodeport", P("single-port-service"),
     {"name": "dns", "targetLabelSelector": "{app: 'dns', tier: 'infra'}", "servicePort": "53", "targetPort": "dns",
      "protocol": "UDP", "type": "NodePort"}, "default"),
    ("single-port-service-lb", P("single-port-service"),
     {"name": "web", "targetLabelSelector": "{app: 'web'}", "servicePort": "443", "targetPort": "8443",
      "type": "LoadBalancer", "namespace": "edge"}, "default"),
    ("namespace-default", P("namespace"), {"name": "team-a"}, "default"),
    ("namespace-other", P("namespace"), {"name": "kubeflow"}, "kubeflow"),
    ("namespace-long", P("namespace"), {"name": "ml-platform-staging"}, "default"),
    ("configmap-default", P("configmap"), {"name": "settings"}, "default"),
    ("configmap-data", P("configmap"),
     {"name": "app-config", "data": "{'app.properties': 'color=blue\\nsize=3', 'LOG_LEVEL': 'debug'}"}, "default"),
    ("configmap-nonstring", P("configmap"),
     {"name": "json-config", "data": "{settings: {replicas: 3, debug: true}, mode: 'fast'}", "namespace": "ops"},
     "default"),
    ("cron-job-default", P("cron-job"), {"name": "cleanup", "image": "busybox:1.36"}, "default"),
    ("cron-job-command", P("cron-job"),
     {"name": "report", "image": "python:3.12-slim", "schedule": "*/15 * * * *",
      "command": "['python', '-c']", "args": "['print(42)']", "concurrencyPolicy": "Replace",
      "restartPolicy": "Never", "timeZone": "Etc/UTC", "backoffLimit": "0"}, "jobs"),
    ("cron-job-daily", P("cron-job"),
     {"name": "backup", "image": "example/backup:2", "schedule": "@daily", "successfulJobsHistoryLimit": "1",
      "namespace": "backup"}, "default"),
    ("service-account-with-role-default", P("service-account-with-role"), {"name": "reader"}, "default"),
    ("service-account-with-role-cluster", P("service-account-with-role"),
     {"name": "node-watcher", "scope": "cluster",
      "rules": '[{apiGroups: [""], resources: ["nodes"], verbs: ["get", "list", "watch"]}]'}, "monitoring"),
    ("service-account-with-role-rules", P("service-account-with-role"),
     {"name": "deployer", "namespace": "ci",
      "rules": '[{apiGroups: ["apps"], resources: ["deployments"], verbs: ["get", "patch"]}, '
               '{apiGroups: [""], resources: ["configmaps"], verbs: ["*"]}]'}, "default"),
    ("persistent-volume-claim-default", P("persistent-volume-claim"), {"name": "data"}, "default"),
    ("persistent-volume-claim-class", P("persistent-volume-claim"),
     {"name": "shared", "storage": "100Gi", "accessMode": "ReadWriteMany", "storageClass": "nfs-client"}, "kubeflow"),
    ("persistent-volume-claim-block", P("persistent-volume-claim"),
     {"name": "raw", "volumeMode": "Block", "storageClass": "gp3", "namespace": "db"}, "default"),
    ("ingress-default", P("ingress"), {"name": "web", "serviceName": "web"}, "default"),
    ("ingress-tls", P("ingress"),
     {"name": "kubeflow", "serviceName": "ambassador", "host": "kubeflow.example.com", "ingressClass": "nginx",
      "tlsSecretName": "kubeflow-tls", "path": "/", "pathType": "Prefix"}, "kubeflow"),
    ("ingress-named-port", P("ingress"),
     {"name": "api", "serviceName": "api", "servicePort": "https", "path": "/api", "pathType": "Exact",
      "ingressClass": "gce"}, "default"),
]

# every prototype file shipped must have cases (deployed-service is owned and tested elsewhere)
NOT_COVERED_HERE = {"deployed-service.jsonnet"}
ALL_PROTOTYPE_FILES = [p for p in sorted(PROTOTYPES.glob("*.jsonnet")) if p.name not in NOT_COVERED_HERE] + sorted(
    REGISTRY.glob("*/prototypes/*.jsonnet"))
