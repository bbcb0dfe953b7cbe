#!/usr/bin/env python3
"""The kfctl workflow end to end, in a temporary app, without a cluster (`make demo`).

Each step prints the command it runs and its output, and stops at the first failure.
"""

from __future__ import annotations

import os
import shlex
import subprocess
import sys
import tempfile
from pathlib import Path

BIN = Path(sys.executable).parent
KFCTL = [str(BIN / "kfctl")] if (BIN / "kfctl").exists() else [sys.executable, "-m", "kfctl"]


def step(title: str, *args: str, cwd: Path, ok_codes: tuple[int, ...] = (0,), show: int = 60) -> str:
    print(f"\n\033[1m# {title}\033[0m" if sys.stdout.isatty() else f"\n# {title}")
    print("$ kfctl " + " ".join(shlex.quote(a) for a in args))
    proc = subprocess.run([*KFCTL, *args], cwd=cwd, capture_output=True, text=True)
    out = proc.stdout
    lines = out.splitlines()
    for line in lines[:show]:
        print("  " + line)
    if len(lines) > show:
        print(f"  ... ({len(lines) - show} more lines)")
    for line in proc.stderr.splitlines():
        print("  " + line)
    if proc.returncode not in ok_codes:
        print(f"\nstep failed with exit code {proc.returncode}", file=sys.stderr)
        sys.exit(1)
    return out


def main() -> None:
    with tempfile.TemporaryDirectory(prefix="kfctl-demo-") as tmp:
        tmp_path = Path(tmp)
        kubeconfig = tmp_path / "kubeconfig"
        kubeconfig.write_text(KUBECONFIG)
        os.environ["KUBECONFIG"] = str(kubeconfig)
        os.environ.setdefault("XDG_CACHE_HOME", str(tmp_path / "cache"))
        step("Create an app bound to the kube context 'local-dev' (env 'dev')",
             "init", "my-ml", "--context", "local-dev", "--env", "dev", "--platform", "kind", cwd=tmp_path)
        app = tmp_path / "my-ml"
        step("Add a production environment on a GKE context", "env", "add", "prd", "--context", "remote-prd",
             "--platform", "gke", cwd=app)
        step("Environments", "env", "list", cwd=app)
        for title, args in DEMO_COMPONENTS:
            step(title, *args, cwd=app)
        for title, args in DEMO_PARAMS:
            step(title, *args, cwd=app)
        step("What differs between dev and prd, parameter by parameter", "param", "diff", "dev", "prd", cwd=app)
        step("Parameters of prd and where each value comes from", "param", "list", "--env", "prd", cwd=app, show=25)
        step("Render the training job in dev (one jsonnet evaluation for the whole env)", "show", "dev", "-c", "train",
             cwd=app, show=40)
        step("Diff the renders of dev and prd (exit 1: they differ)", "diff", "dev", "prd", "--summary",
             cwd=app, ok_codes=(1,))
        for title, args, codes in DEMO_TAIL:
            step(title, *args, cwd=app, ok_codes=codes)
        print("\nDemo finished: the app was created in a temporary directory and removed again.")


KUBECONFIG = """\
apiVersion: v1
kind: Config
current-context: local-dev
clusters:
- name: kind-local
  cluster: {server: "https://127.0.0.1:6443"}
- name: gke-prd
  cluster: {server: "https://34.1.2.3"}
contexts:
- name: local-dev
  context: {cluster: kind-local, user: dev, namespace: ml-dev}
- name: remote-prd
  context: {cluster: gke-prd, user: gke, namespace: kubeflow}
users:
- name: dev
  user: {token: not-a-real-token}
- name: gke
  user:
    exec:
      apiVersion: client.authentication.k8s.io/v1beta1
      command: gke-gcloud-auth-plugin
      interactiveMode: IfAvailable
"""

DEMO_COMPONENTS = [
    ("The training operator from the built-in kubeflow registry: training-operator v1.9.4 as released "
     "(the package is vendored on first use)", ["generate", "training-operator", "training-operator"]),
    ("A distributed TensorFlow training job (TFJob stays on training-operator v1)", ["generate", "tf-job", "train",
                                               "--image=tensorflow/tensorflow:2.16.1", "--num_workers=3"]),
    ("TF Serving for the trained model", ["generate", "tf-serving", "serve", "--model_name=mnist",
                                          "--model_path=gs://my-bucket/mnist"]),
    ("The GPU stack each platform profile picks (dev on kind: none; prd on GKE: the GPU Operator on Google's driver)",
     ["generate", "gpu-stack", "gpu"]),
    ("Kueue v0.19.2 with the training-operator integrations upstream leaves off",
     ["generate", "kueue", "kueue", "--trainingOperator=true"]),
    ("Per-team quotas: ResourceFlavors from the platform's GPU labels, a ClusterQueue and LocalQueue per team",
     ["generate", "team-queues", "queues",
      "--teams=[{name: 'vision', cpu: 32, memory: '128Gi', gpu: 4, cohort: 'ml', borrowingLimit: {gpu: 2}}, "
      "{name: 'nlp', cpu: 16, memory: '64Gi', gpu: 2, cohort: 'ml'}]"]),
    ("A PyTorchJob in the vision team's queue, admitted by Kueue as a whole",
     ["generate", "pytorch-job", "finetune", "--namespace=vision", "--num_workers=3", "--num_gpus=1",
      "--queue=vision", "--gangScheduling=kueue"]),
    ("A web front end from the general deployed-service prototype",
     ["generate", "deployed-service", "web", "--image", "nginx:1.27", "--type", "ClusterIP"]),
    ("Installed packages and the components", ["component", "list"]),
]
DEMO_PARAMS = [
    ("More workers in prd only (environments/prd/params.libsonnet is edited in place)",
     ["param", "set", "train", "num_workers", "5", "--env", "prd"]),
    ("GPUs for training in prd", ["param", "set", "train", "num_gpus", "1", "--env", "prd"]),
    ("Scale the web front end in prd", ["param", "set", "web", "replicas", "3", "--env", "prd"]),
]
DEMO_TAIL: list = [
    ("The PyTorchJob in prd: Kueue's queue label, GKE's GPU node selector and taint from the profile",
     ["show", "prd", "-c", "finetune"], (0,)),
    ("The teams' quotas in prd", ["show", "prd", "-c", "queues", "--kind", "ClusterQueue", "--kind", "ResourceFlavor"], (0,)),
    ("Diff the TFJob between dev and prd object by object", ["diff", "dev", "prd", "-c", "train"], (1,)),
    ("Validate prd offline against the Kubernetes schemas of its version (CRDs from the render too)",
     ["validate", "prd"], (0,)),
    ("Export prd for a GitOps repo (Argo CD / Flux): one file per object, an index, a kustomization",
     ["export", "prd", "gitops/prd", "--kustomization"], (0,)),
    ("Export again: same input, same bytes, nothing rewritten", ["export", "prd", "gitops/prd", "--kustomization",
                                                               "--merge-strategy", "replace-env"], (0,)),
]

if __name__ == "__main__":
    main()
