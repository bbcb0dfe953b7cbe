#!/usr/bin/env python3
"""The kfctl workflow end to end, in a temporary app (`make demo`).

Offline first (init, generate, params, show, diff, validate, export); then the deploy loop (apply,
diff against the cluster, status, prune, delete) against kfctl's own API server emulator from
tests/emulator/ — the test server the project's cluster tests use, started on 127.0.0.1 for the
demo.  It is NOT a Kubernetes cluster: it stores objects and answers the API, nothing runs.

Each step prints the command and its output; the demo stops and exits 1 at the first step that
fails (or exits with an unexpected code).

Adding to the demo: append a ``Step`` to a section below, or a ``Section`` to ``SECTIONS`` (sections
run in order; ``cluster=True`` sections run against the emulator, started before the first one).
A step is the kfctl command line as a list, its title, and the exit codes that count as success.
"""

from __future__ import annotations

import os
import shlex
import subprocess
import sys
import tempfile
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
BIN = Path(sys.executable).parent
KFCTL = [str(BIN / "kfctl")] if (BIN / "kfctl").exists() else [sys.executable, "-m", "kfctl"]
EMULATOR_CONTEXT = "kfctl-test-emulator"
EMULATOR_NAMESPACE = "ml-test"


@dataclass
class Step:
    title: str
    args: list[str]
    ok: tuple[int, ...] = (0,)  # exit codes that mean success (diff: 1 = differences)
    show: int = 60  # lines of stdout to print


@dataclass
class Section:
    title: str
    steps: list[Step]
    cluster: bool = False  # runs against the API server emulator
    note: str = ""  # printed under the title


# The emulator's simulated controllers (docs/testing.md): without them no webhook backend would ever be ready
EMULATOR_KNOBS = dict(webhooks=True, endpoints="workloads", require_ca_bundle=True, ca_injector="immediate",
                      cert_controller="immediate", apiservices="endpoints",
                      operator={**{k: "immediate" for k in ("InferenceService", "Notebook", "Issuer", "Certificate")},
                                **{k: {"after": "immediate", "conditions": ["Running"]} for k in ("TFJob", "PyTorchJob")},
                                **{k: {"after": "immediate", "conditions": ["Active"]}
                                   for k in ("ClusterQueue", "LocalQueue")}})

# ------------------------------------------------------------------------------------------ steps
APP_AND_ENVS = Section("An app with two environments", [
    Step("Create an app bound to the kube context 'local-dev' (env 'dev')",
         ["init", "my-ml", "--context", "local-dev", "--env", "dev", "--platform", "kind"]),
    Step("Add a production environment on a GKE context", ["env", "add", "prd", "--context", "remote-prd",
                                                           "--platform", "gke"]),
    Step("Environments", ["env", "list"]),
])

COMPONENTS = Section("Components from prototypes and packages", [
    Step("Prototypes: kfctl's built-ins and the built-in kubeflow registry's (installed or not)",
         ["prototype", "list"]),
    Step("The training operator from the built-in kubeflow registry: training-operator v1.9.4 as released "
         "(the package is vendored on first use)", ["generate", "training-operator", "training-operator"]),
    Step("A distributed TensorFlow training job (TFJob stays on training-operator v1)",
         ["generate", "tf-job", "train", "--image=tensorflow/tensorflow:2.16.1", "--num_workers=3"]),
    Step("TF Serving for the trained model", ["generate", "tf-serving", "serve", "--model_name=mnist",
                                              "--model_path=gs://my-bucket/mnist"]),
    Step("The GPU stack each platform profile picks (dev on kind: none; prd on GKE: the GPU Operator on Google's "
         "driver)", ["generate", "gpu-stack", "gpu"]),
    Step("Kueue v0.19.2 with the training-operator integrations upstream leaves off",
         ["generate", "kueue", "kueue", "--trainingOperator=true"]),
    Step("Per-team quotas: ResourceFlavors from the platform's GPU labels, a ClusterQueue and LocalQueue per team",
         ["generate", "team-queues", "queues",
          "--teams=[{name: 'vision', cpu: 32, memory: '128Gi', gpu: 4, cohort: 'ml', borrowingLimit: {gpu: 2}}, "
          "{name: 'nlp', cpu: 16, memory: '64Gi', gpu: 2, cohort: 'ml'}]"]),
    Step("A PyTorchJob in the vision team's queue, admitted by Kueue as a whole",
         ["generate", "pytorch-job", "finetune", "--namespace=vision", "--num_workers=3", "--num_gpus=1",
          "--queue=vision", "--gangScheduling=kueue"]),
    Step("cert-manager v1.21.1, which KServe's webhooks need for their certificates",
         ["generate", "cert-manager", "cert-manager"]),
    Step("KServe v0.20.0 in Standard mode (plain Deployments: no Istio, no Knative)", ["generate", "kserve", "kserve"]),
    Step("An InferenceService: an sklearn model from object storage, between 1 and 3 replicas",
         ["generate", "inference-service", "iris", "--modelFormat=sklearn",
          "--storageUri=gs://kfserving-examples/models/sklearn/1.0/model", "--minReplicas=1", "--maxReplicas=3"]),
    Step("The Kubeflow Notebooks v1.11.0 controller (standalone, no Istio)",
         ["generate", "notebook-controller", "notebook-controller"]),
    Step("A Jupyter notebook server with a 10Gi workspace volume",
         ["generate", "notebook", "lab", "--cpu=1", "--memory=2Gi", "--workspaceSize=10Gi"]),
    Step("A web front end from the general deployed-service prototype",
         ["generate", "deployed-service", "web", "--image", "nginx:1.27", "--type", "ClusterIP"]),
    Step("Installed packages and the components", ["component", "list"]),
])

PARAMS = Section("Parameters per environment", [
    Step("More workers in prd only (environments/prd/params.libsonnet is edited in place)",
         ["param", "set", "train", "num_workers", "5", "--env", "prd"]),
    Step("GPUs for training in prd", ["param", "set", "train", "num_gpus", "1", "--env", "prd"]),
    Step("Scale the web front end in prd", ["param", "set", "web", "replicas", "3", "--env", "prd"]),
    Step("What differs between dev and prd, parameter by parameter", ["param", "diff", "dev", "prd"]),
    Step("Parameters of prd and where each value comes from", ["param", "list", "--env", "prd"], show=25),
])

RENDER = Section("Render, diff, validate and export (offline)", [
    Step("Render the training job in dev (one jsonnet evaluation for the whole env)",
         ["show", "dev", "-c", "train"], show=40),
    Step("Diff the renders of dev and prd (exit 1: they differ)", ["diff", "dev", "prd", "--summary"], ok=(1,)),
    Step("The PyTorchJob in prd: Kueue's queue label, GKE's GPU node selector and taint from the profile",
         ["show", "prd", "-c", "finetune"]),
    Step("The teams' quotas in prd", ["show", "prd", "-c", "queues", "--kind", "ClusterQueue", "--kind",
                                      "ResourceFlavor"]),
    Step("Diff the TFJob between dev and prd object by object", ["diff", "dev", "prd", "-c", "train"], ok=(1,)),
    Step("Validate prd offline against the Kubernetes schemas of its version (CRDs from the render too)",
         ["validate", "prd"]),
    Step("Export prd for a GitOps repo (Argo CD / Flux): one file per object, an index, a kustomization",
         ["export", "prd", "gitops/prd", "--kustomization"]),
    Step("Export again: same input, same bytes, nothing rewritten",
         ["export", "prd", "gitops/prd", "--kustomization", "--merge-strategy", "replace-env"]),
])

DEPLOY = Section("Deploy: apply, diff against the cluster, status, prune, delete", [
    Step(f"An environment on the context {EMULATOR_CONTEXT!r} (the test server)",
         ["env", "add", "test", "--context", EMULATOR_CONTEXT, "--platform", "kind"]),
    Step("What apply would change (server-side dry run; exit 1: everything is new)",
         ["diff", "test", "--summary"], ok=(1,)),
    Step("Server-side apply in dependency order (the namespace is created), waiting for readiness",
         ["apply", "test", "--yes", "--wait", "--timeout", "60s"], show=40),
    Step("Nothing left to change (exit 0)", ["diff", "test"]),
    Step("Live state of every object", ["status", "test"], show=40),
    Step("Scale the web front end in test", ["param", "set", "web", "replicas", "2", "--env", "test"]),
    Step("The change, as the cluster would apply it (exit 1)", ["diff", "test", "-c", "web"], ok=(1,)),
    Step("Apply just that component", ["apply", "test", "-c", "web", "--yes"]),
    Step("Remove the TF Serving component from the app (the cluster is not touched yet)",
         ["component", "rm", "serve"]),
    Step("What prune would delete: objects this app/env created and no longer renders",
         ["prune", "test", "--dry-run"]),
    Step("Prune them", ["prune", "test", "--yes"]),
    Step("Delete everything this app/env owns, in reverse order", ["delete", "test", "--yes"], show=40),
], cluster=True, note=(
    "Against kfctl's API server emulator (tests/emulator/, the project's test server) on 127.0.0.1 —\n"
    "NOT a Kubernetes cluster: it stores objects and answers the API; no pod ever runs."))

DAY2 = Section("Day 2: revisions and rollback, images for air-gapped clusters, GitOps for fleets", [
    Step("Every image the render pulls, with the objects using each (containers, config, controller defaults)",
         ["images", "test"], show=30),
    Step("The same list as a Hauler manifest for an air-gapped mirror", ["images", "--all-envs", "--format", "hauler"],
         show=12),
    Step("Argo CD for the fleet: one ApplicationSet over every env, objects carrying kfctl's tiers as sync waves",
         ["export", "--all-envs", "fleet", "--applicationset", "--repo-url", "https://git.example.com/ml/deploy.git",
          "--repo-path", "fleet"]),
    Step("Apply: the cluster records revision 1", ["apply", "test", "--yes"], show=20),
    Step("Scale the web front end", ["param", "set", "web", "replicas", "4", "--env", "test"]),
    Step("Apply again: revision 2", ["apply", "test", "--yes"], show=20),
    Step("History: revision, time, user, commit, outcome, what changed", ["history", "test"]),
    Step("What rolling back to revision 1 would change (exit 1)", ["diff", "test", "--revision", "1"], ok=(1,)),
    Step("Roll back: the diff, then revision 1 applied again and recorded as revision 3", ["rollback", "test", "--yes"],
         show=30),
    Step("History after the rollback", ["history", "test"]),
], cluster=True, note="Revisions live beside kfctl's state record in the env namespace (Secrets).")

SECTIONS: list[Section] = [APP_AND_ENVS, COMPONENTS, PARAMS, RENDER, DEPLOY, DAY2]

REAL_CLUSTER = """\
# The same commands against a real cluster

  kfctl env add staging --context my-kind-cluster     # any context of your kubeconfig
  kfctl apply staging --wait                           # asks before changing anything (--yes to skip)
  kfctl diff staging; kfctl status staging; kfctl prune staging; kfctl delete staging
  kfctl apply dev --context other-context             # one run against another context"""


# ------------------------------------------------------------------------------------------ runner
@dataclass
class Demo:
    tmp: Path
    env: dict[str, str] = field(default_factory=dict)
    emulator: object | None = None

    @property
    def app(self) -> Path:
        return self.tmp / "my-ml"

    def run(self, step: Step) -> None:
        bold = sys.stdout.isatty() and not os.environ.get("NO_COLOR")
        print(f"\n\033[1m# {step.title}\033[0m" if bold else f"\n# {step.title}")
        print("$ kfctl " + " ".join(shlex.quote(a) for a in step.args))
        cwd = self.app if self.app.is_dir() else self.tmp
        proc = subprocess.run([*KFCTL, *step.args], cwd=cwd, env=self.env, capture_output=True, text=True)
        lines = proc.stdout.splitlines()
        for line in lines[:step.show]:
            print("  " + line)
        if len(lines) > step.show:
            print(f"  ... ({len(lines) - step.show} more lines)")
        for line in proc.stderr.splitlines():
            print("  " + line)
        if proc.returncode not in step.ok:
            raise StepFailed(f"step failed: 'kfctl {' '.join(step.args)}' exited {proc.returncode} "
                             f"(expected {' or '.join(map(str, step.ok))})")

    def start_emulator(self) -> None:
        sys.path.insert(0, str(ROOT))
        from tests.emulator import start_emulator

        # admission webhooks refuse while their backends are not ready, controllers behind them come up,
        # cert-manager injects CA bundles, operators write status: what kfctl's readiness gates wait for
        self.emulator = start_emulator(**EMULATOR_KNOBS)
        url = self.emulator.url
        import yaml

        kubeconfig = Path(self.env["KUBECONFIG"])
        cfg = yaml.safe_load(kubeconfig.read_text())
        cfg["clusters"].append({"name": EMULATOR_CONTEXT, "cluster": {"server": url}})
        cfg["contexts"].append({"name": EMULATOR_CONTEXT, "context": {
            "cluster": EMULATOR_CONTEXT, "user": "emulator", "namespace": EMULATOR_NAMESPACE}})
        cfg["users"].append({"name": "emulator", "user": {"token": "emulator-token"}})
        kubeconfig.write_text(yaml.safe_dump(cfg, sort_keys=False))
        print(f"\n(started kfctl's test API server emulator at {url}: context {EMULATOR_CONTEXT!r} in the demo's "
              "kubeconfig; it is not a cluster)")

    def stop(self) -> None:
        if self.emulator is not None:
            self.emulator.stop()


class StepFailed(Exception):
    pass


def main() -> int:
    with tempfile.TemporaryDirectory(prefix="kfctl-demo-") as tmp:
        tmp_path = Path(tmp)
        kubeconfig = tmp_path / "kubeconfig"
        kubeconfig.write_text(KUBECONFIG)
        env = {**os.environ, "KUBECONFIG": str(kubeconfig)}
        env.setdefault("XDG_CACHE_HOME", str(tmp_path / "cache"))
        env.pop("KFCTL_APP", None)
        demo = Demo(tmp_path, env)
        try:
            for n, section in enumerate(SECTIONS, 1):
                print(f"\n{'=' * 78}\n{n}. {section.title}")
                if section.note:
                    print(section.note)
                print("=" * 78)
                if section.cluster and demo.emulator is None:
                    demo.start_emulator()
                for step in section.steps:
                    demo.run(step)
        except StepFailed as exc:
            print(f"\n{exc}", file=sys.stderr)
            return 1
        finally:
            demo.stop()
        print(f"\n{REAL_CLUSTER}")
        print("\nDemo finished: the app was created in a temporary directory and removed again; the emulator "
              "is stopped.")
    return 0


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

if __name__ == "__main__":
    sys.exit(main())
