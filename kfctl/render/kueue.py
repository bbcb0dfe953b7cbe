"""Kueue's integrations against what the render queues and installs.

Kueue admits a job labelled ``kueue.x-k8s.io/queue-name`` only if the integration of its kind is
enabled in Kueue's Configuration (``integrations.frameworks``).  With the integration off, Kueue's
webhook for that kind is a no-op: the job runs at once, outside its queue's quota, and nothing says
so.  Kueue v0.19 leaves the training-operator v1 integrations (PyTorchJob, TFJob, ...) off.

A component cannot see the others at jsonnet time, so the check runs on the render: every queued
workload (also a CronJob's jobs, a Katib Experiment's trials, an Argo Workflow's pods) against the
Kueue Configuration the render holds (or, at diff/apply, the cluster's: see ``kfctl.ops.deploy``):

* a queued workload whose integration is off: an error at ``validate``/``diff``/``apply`` naming
  the workload, the integration and the param that enables it;
* a CRD of a kind whose integration is off (the env installs PyTorchJob, Kueue ignores it), or a
  queue label Kueue does not read (a label on an Argo Workflow itself; training-operator's v1 MPIJob):
  a ``validate`` warning.

Pure: it reads objects only.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Callable, Iterable

from kfctl.errors import KfctlError

QUEUE_LABEL = "kueue.x-k8s.io/queue-name"
CONFIG_GROUP = "config.kueue.x-k8s.io/"

# Kueue v0.19.2's job integrations: (group, kind) → (framework name, the versions it manages)
# (pkg/controller/jobs/*: FrameworkName and the GVK each integration registers)
FRAMEWORKS: dict[tuple[str, str], tuple[str, tuple[str, ...]]] = {
    ("batch", "Job"): ("batch/job", ("v1",)),
    ("", "Pod"): ("pod", ("v1",)),
    ("apps", "Deployment"): ("deployment", ("v1",)),
    ("apps", "StatefulSet"): ("statefulset", ("v1",)),
    ("jobset.x-k8s.io", "JobSet"): ("jobset.x-k8s.io/jobset", ("v1alpha2",)),
    ("trainer.kubeflow.org", "TrainJob"): ("trainer.kubeflow.org/trainjob", ("v1alpha1",)),
    ("kubeflow.org", "MPIJob"): ("kubeflow.org/mpijob", ("v2beta1",)),
    ("kubeflow.org", "PyTorchJob"): ("kubeflow.org/pytorchjob", ("v1",)),
    ("kubeflow.org", "TFJob"): ("kubeflow.org/tfjob", ("v1",)),
    ("kubeflow.org", "XGBoostJob"): ("kubeflow.org/xgboostjob", ("v1",)),
    ("kubeflow.org", "PaddleJob"): ("kubeflow.org/paddlejob", ("v1",)),
    ("kubeflow.org", "JAXJob"): ("kubeflow.org/jaxjob", ("v1",)),
    ("ray.io", "RayJob"): ("ray.io/rayjob", ("v1",)),
    ("ray.io", "RayCluster"): ("ray.io/raycluster", ("v1",)),
    ("ray.io", "RayService"): ("ray.io/rayservice", ("v1",)),
    ("workload.codeflare.dev", "AppWrapper"): ("workload.codeflare.dev/appwrapper", ("v1beta2",)),
    ("leaderworkerset.x-k8s.io", "LeaderWorkerSet"): ("leaderworkerset.x-k8s.io/leaderworkerset", ("v1",)),
    ("sparkoperator.k8s.io", "SparkApplication"): ("sparkoperator.k8s.io/sparkapplication", ("v1beta2",)),
}
# what the kueue package's trainingOperator=true enables (registry/kueue/kueue.libsonnet)
TRAINING_OPERATOR = ("kubeflow.org/pytorchjob", "kubeflow.org/tfjob", "kubeflow.org/xgboostjob",
                     "kubeflow.org/paddlejob", "kubeflow.org/jaxjob")
DEFAULT_FRAMEWORKS = ("batch/job",)  # Kueue's default when the Configuration lists none
ARGO_KINDS = ("Workflow", "WorkflowTemplate", "ClusterWorkflowTemplate", "CronWorkflow")


class KueueIntegrationError(KfctlError):
    """A queued workload whose Kueue integration is off."""


@dataclass
class KueueConfig:
    """One Kueue Configuration: where it is and what it enables."""

    where: str  # "component 'kueue'" or "ConfigMap kueue-system/kueue-manager-config (kfctl app ...)"
    component: str | None  # the component rendering it (None: the cluster's)
    configmap: str  # namespace/name
    frameworks: tuple[str, ...]
    external: tuple[str, ...] = ()  # integrations.externalFrameworks: Kind.version.group

    def enables(self, framework: str) -> bool:
        return framework in self.frameworks


@dataclass
class Queued:
    """A workload Kueue would admit through a LocalQueue: the object or a template inside it."""

    component: str
    obj: dict
    api_version: str
    kind: str
    queue: str
    path: str  # where the label is, e.g. "metadata.labels" or "spec.trialTemplate.trialSpec.metadata.labels"

    @property
    def ref(self) -> str:
        meta = self.obj.get("metadata") or {}
        ns = meta.get("namespace")
        what = f"{self.obj.get('kind')} {ns + '/' if ns else ''}{meta.get('name', '')}"
        inner = "" if self.path == "metadata.labels" else f" ({self.kind} in {self.path.rsplit('.metadata', 1)[0]})"
        return f"{what}{inner} of component {self.component!r}"


@dataclass
class Finding:
    component: str
    obj: dict
    path: str  # the queue label's path in obj; "" for a finding about the whole component
    subject: str  # "PyTorchJob team-a/mnist of component 'mnist'"
    detail: str  # "is queued to 'team-a', but ..."
    severity: str  # error | warning

    @property
    def message(self) -> str:
        return f"{self.subject} {self.detail}"


@dataclass
class Check:
    errors: list[Finding] = field(default_factory=list)
    warnings: list[Finding] = field(default_factory=list)

    def raise_errors(self) -> None:
        if self.errors:
            more = f" ({len(self.errors) - 1} more like it)" if len(self.errors) > 1 else ""
            raise KueueIntegrationError(f"Kueue integration off: {self.errors[0].message}{more}")


def _split(api_version: str) -> tuple[str, str]:
    group, _, version = str(api_version).rpartition("/")
    return group, version


def _labels(meta) -> dict:
    labels = (meta or {}).get("labels") if isinstance(meta, dict) else None
    return labels if isinstance(labels, dict) else {}


def queued_workloads(component: str, obj: dict) -> list[Queued]:
    """The queue labels of one object: its own, and those of the jobs/pods it makes that Kueue reads
    (a CronJob's job template, a Katib Experiment's trial spec, an Argo Workflow's pod metadata)."""
    out: list[Queued] = []
    api, kind = str(obj.get("apiVersion", "")), str(obj.get("kind", ""))
    own = _labels(obj.get("metadata")).get(QUEUE_LABEL)
    if own:
        out.append(Queued(component, obj, api, kind, str(own), "metadata.labels"))
    spec = obj.get("spec") if isinstance(obj.get("spec"), dict) else {}
    group = _split(api)[0]
    if (group, kind) == ("batch", "CronJob"):
        tmpl = spec.get("jobTemplate") or {}
        q = _labels(tmpl.get("metadata")).get(QUEUE_LABEL)
        if q:
            out.append(Queued(component, obj, "batch/v1", "Job", str(q), "spec.jobTemplate.metadata.labels"))
    elif (group, kind) == ("kubeflow.org", "Experiment"):
        trial = ((spec.get("trialTemplate") or {}).get("trialSpec")) or {}
        q = _labels(trial.get("metadata")).get(QUEUE_LABEL) if isinstance(trial, dict) else None
        if q:
            out.append(Queued(component, obj, str(trial.get("apiVersion", "")), str(trial.get("kind", "")), str(q),
                              "spec.trialTemplate.trialSpec.metadata.labels"))
    elif group == "argoproj.io" and kind in ARGO_KINDS:
        wf = spec.get("workflowSpec") if kind == "CronWorkflow" else spec
        prefix = "spec.workflowSpec" if kind == "CronWorkflow" else "spec"
        wf = wf if isinstance(wf, dict) else {}
        q = _labels(wf.get("podMetadata")).get(QUEUE_LABEL)
        if q:
            out.append(Queued(component, obj, "v1", "Pod", str(q), f"{prefix}.podMetadata.labels"))
        for i, t in enumerate(wf.get("templates") or []):
            q = _labels(t.get("metadata")).get(QUEUE_LABEL) if isinstance(t, dict) else None
            if q:
                out.append(Queued(component, obj, "v1", "Pod", str(q), f"{prefix}.templates[{i}].metadata.labels"))
    return out


def kueue_configs(objects: Iterable[tuple[str, dict]]) -> list[KueueConfig]:
    """The Kueue Configurations among the rendered ConfigMaps (any key holding a
    ``config.kueue.x-k8s.io`` Configuration)."""
    out = []
    for component, obj in objects:
        if obj.get("kind") != "ConfigMap" or obj.get("apiVersion") != "v1":
            continue
        cfg = configuration_of(obj)
        if cfg is not None:
            meta = obj.get("metadata") or {}
            out.append(KueueConfig(f"component {component!r}", component,
                                   f"{meta.get('namespace', '')}/{meta.get('name', '')}", *cfg))
    return out


def configuration_of(configmap: dict) -> tuple[tuple[str, ...], tuple[str, ...]] | None:
    """(frameworks, externalFrameworks) of the Kueue Configuration a ConfigMap holds, else None."""
    data = configmap.get("data")
    if not isinstance(data, dict):
        return None
    for text in data.values():
        if not isinstance(text, str) or CONFIG_GROUP not in text or "Configuration" not in text:
            continue
        import yaml

        try:
            doc = yaml.safe_load(text)
        except yaml.YAMLError:
            continue
        if not (isinstance(doc, dict) and doc.get("kind") == "Configuration"
                and str(doc.get("apiVersion", "")).startswith(CONFIG_GROUP)):
            continue
        integrations = doc.get("integrations") if isinstance(doc.get("integrations"), dict) else {}
        frameworks = tuple(str(f) for f in integrations.get("frameworks") or ()) or DEFAULT_FRAMEWORKS
        external = tuple(str(f) for f in integrations.get("externalFrameworks") or ())
        return frameworks, external
    return None


def enable_fix(cfg: KueueConfig, frameworks: list[str], package: str | None) -> str:
    """How to enable ``frameworks`` in ``cfg``: the param of the prototype that rendered it."""
    listed = ", ".join(frameworks)
    training = [f for f in frameworks if f in TRAINING_OPERATOR]
    other = [f for f in frameworks if f not in TRAINING_OPERATOR]
    if cfg.component is None:  # the cluster's
        param = "trainingOperator=true" if not other else "enableFrameworks"
        return (f"enable {listed} in that Configuration's integrations.frameworks (with kfctl's kueue prototype: "
                f"its param {param}) and apply it")
    c = cfg.component
    if package == "kubeflow/kueue":
        if training and other:
            return f"set {c}'s param trainingOperator=true and add {', '.join(other)} to its param enableFrameworks"
        if training:
            return f"set {c}'s param trainingOperator=true"
        return f"add {listed} to {c}'s param enableFrameworks"
    if package == "kubeflow/platform":
        return f"add {listed} to {c}'s param kueueFrameworks"
    return f"enable {listed} in integrations.frameworks of ConfigMap {cfg.configmap} (component {c!r})"


def check_integrations(objects: Iterable[tuple[str, dict]], package_of: Callable[[str], str | None] = lambda c: None,
                       configs: list[KueueConfig] | None = None) -> Check:
    """Queued workloads and installed kinds against the Kueue Configurations (the render's, or
    ``configs``: the cluster's)."""
    objects = list(objects)
    configs = kueue_configs(objects) if configs is None else configs
    result = Check()
    queued = [q for component, obj in objects for q in queued_workloads(component, obj)]
    for q in queued:
        group, version = _split(q.api_version)
        where = f'{q.path}["{QUEUE_LABEL}"]'
        known = FRAMEWORKS.get((group, q.kind))
        if group == "argoproj.io" and q.kind in ARGO_KINDS and q.path == "metadata.labels":
            result.warnings.append(Finding(q.component, q.obj, where, q.ref, (
                f"has the queue label on the {q.kind} itself, which Kueue does not read (it has no Argo "
                "integration): put it in spec.podMetadata.labels (Kueue's pod integration then admits each pod)"),
                "warning"))
            continue
        if known is None:
            ext = f"{q.kind}.{version}.{group}"
            if configs and not any(ext in c.external for c in configs):
                result.warnings.append(Finding(q.component, q.obj, where, q.ref, (
                    f"is queued to {q.queue!r}, but Kueue has no integration for {q.api_version} {q.kind} "
                    f"(and no externalFramework {ext} is configured): the label has no effect"), "warning"))
            continue
        framework, versions = known
        if version not in versions:
            result.warnings.append(Finding(q.component, q.obj, where, q.ref, (
                f"is queued to {q.queue!r}, but Kueue's {framework} integration manages "
                f"{group}/{' or '.join(versions)} only, not {q.api_version}: the label has no effect"
                + ("; run MPI jobs with mpi-operator's v2beta1 MPIJob (prototype mpi-job)"
                   if (group, q.kind) == ("kubeflow.org", "MPIJob") else "")), "warning"))
            continue
        for cfg in configs:
            if not cfg.enables(framework):
                result.errors.append(Finding(q.component, q.obj, where, q.ref, (
                    f"is queued to {q.queue!r}, but the Kueue of {cfg.where} has integration {framework} "
                    f"off: it would run at once, outside the queue's quota; "
                    f"{enable_fix(cfg, [framework], package_of(cfg.component) if cfg.component else None)}"), "error"))
    # CRDs of kinds whose integration is off: jobs of those kinds queued later (kubectl, SDKs) would
    # run unqueued too
    for cfg in configs:
        off: dict[str, list[tuple[str, str]]] = {}  # installing component → [(kind, framework)]
        crd_obj: dict[str, dict] = {}
        for component, obj in objects:
            if obj.get("kind") != "CustomResourceDefinition":
                continue
            spec = obj.get("spec") or {}
            key = (str(spec.get("group", "")), str((spec.get("names") or {}).get("kind", "")))
            known = FRAMEWORKS.get(key)
            if known is None or cfg.enables(known[0]):
                continue
            served = {str(v.get("name")) for v in spec.get("versions") or [] if isinstance(v, dict) and v.get("served", True)}
            if served & set(known[1]):
                off.setdefault(component, []).append((key[1], known[0]))
                crd_obj.setdefault(component, obj)
        for component, kinds in off.items():
            names = [k for k, _ in kinds]
            fws = [f for _, f in kinds]
            listed = ", ".join(names[:-1]) + " and " + names[-1] if len(names) > 1 else names[0]
            result.warnings.append(Finding(component, crd_obj[component], "", f"component {component!r}", (
                f"installs {listed}, whose Kueue integration{'s' if len(fws) > 1 else ''} "
                f"({', '.join(fws)}) the Kueue of {cfg.where} leaves off: such jobs queued with {QUEUE_LABEL} would "
                f"run at once, outside their queues' quotas; "
                f"{enable_fix(cfg, fws, package_of(cfg.component) if cfg.component else None)}"), "warning"))
    return result


def has_queued(objects: Iterable[tuple[str, dict]]) -> bool:
    return any(queued_workloads(c, o) for c, o in objects)


def check_render(rendered, configs: list[KueueConfig] | None = None) -> Check:
    """:func:`check_integrations` over a :class:`~kfctl.render.model.Render`."""
    return check_integrations([(o.component, o.obj) for o in rendered.objects], rendered.package_of, configs)
