"""What the serving / tuning / notebooks / workflows packages' params do beyond the golden files:
Katib Experiments against Katib's own OpenAPI document (its CRDs carry no schema), trial specs
against the pinned Job/PyTorchJob schemas, one-line errors for impossible params, and the data a
readiness gate reads from the rendered objects."""

from __future__ import annotations

import json
from functools import cache

import pytest

from kfctl.jsonnet import JsonnetError
from tests.packages.cases import (ARGO, CASES, CERT_MANAGER, EXPERIMENT, ISVC, KATIB, KSERVE, NOTEBOOK,
                                  NOTEBOOK_CONTROLLER, WORKFLOW)
from tests.packages.render_helper import REGISTRY, render_prototype
from tests.packages.validation import crd_schemas, strict_schema, validate_objects


@cache
def katib_swagger() -> dict:
    return json.loads((REGISTRY / "katib/upstream/schemas/swagger.json").read_text())


def validate_experiment_spec(spec: dict) -> None:
    """The spec against Katib's v1beta1.ExperimentSpec (strict). References to Kubernetes types
    the document does not define (v1.Container, v1.ObjectMeta, the unstructured trialSpec) accept
    any object here; the trial spec is validated on its own below."""
    import re

    import jsonschema

    defs = {k: strict_schema(v) for k, v in katib_swagger()["definitions"].items()}
    for name in set(re.findall(r'"\$ref": "#/definitions/([^"]+)"', json.dumps(defs))) - set(defs):
        defs[name] = {"type": "object"}
    schema = {**defs["v1beta1.ExperimentSpec"], "definitions": defs}
    jsonschema.Draft4Validator(schema).validate(spec)


EXPERIMENT_CASES = [c for c in CASES if c[1] == EXPERIMENT]


@pytest.mark.parametrize("case_id,path,params,namespace", EXPERIMENT_CASES, ids=[c[0] for c in EXPERIMENT_CASES])
def test_experiments_match_katibs_api_and_their_trials_validate(case_id, path, params, namespace):
    [exp] = render_prototype(path, params, namespace=namespace)
    validate_experiment_spec(exp["spec"])
    # the trial as Katib creates it (named, in the Experiment's namespace): a Job against the
    # Kubernetes schemas, a PyTorchJob against training-operator v1.9.4's CRD
    trial = exp["spec"]["trialTemplate"]["trialSpec"]
    pytorch = crd_schemas([json.loads((REGISTRY / "training-operator/upstream/crds/pytorchjobs.kubeflow.org.json").read_text())])
    validate_objects([{**trial, "metadata": {**trial.get("metadata", {}), "name": "trial", "namespace": namespace}}], pytorch)
    # every hyperparameter reaches the command of the primary container
    pods = ([trial["spec"]["template"]["spec"]] if trial["kind"] == "Job" else
            [r["template"]["spec"] for r in trial["spec"]["pytorchReplicaSpecs"].values()])
    primary = exp["spec"]["trialTemplate"]["primaryContainerName"]
    for pod in pods:
        [c] = [c for c in pod["containers"] if c["name"] == primary]
        assert [a for a in c["command"] if "${trialParameters." in a] == [
            f"--{p['name']}=${{trialParameters.{p['name']}}}" for p in exp["spec"]["parameters"]]


def test_the_swagger_check_catches_a_wrong_field():
    """The validation above would notice a field Katib does not know (not just accept anything)."""
    import jsonschema

    [exp] = render_prototype(EXPERIMENT, {"name": "e"})
    with pytest.raises(jsonschema.ValidationError, match="'maxTrials' was unexpected"):
        validate_experiment_spec({**exp["spec"], "maxTrials": 3})
    with pytest.raises(jsonschema.ValidationError, match="'maximise' is not of type"):
        validate_experiment_spec({**exp["spec"], "objective": {**exp["spec"]["objective"], "goal": "maximise"}})


@pytest.mark.parametrize("path,params,message", [
    (KATIB, {"database": "oracle"}, "katib: database must be mysql or postgres, got oracle"),
    (KATIB, {"database": "postgres", "certManager": "true"},
     "katib: certManager=true is the release's katib-cert-manager install, which runs MySQL; use database=mysql"),
    (EXPERIMENT, {"objectiveType": "best"}, "e: objectiveType must be minimize or maximize, got best"),
    (EXPERIMENT, {"trialKind": "TFJob"}, "e: trialKind must be Job or PyTorchJob, got TFJob"),
    (EXPERIMENT, {"parameters": "[{name: 'lr', type: 'double', min: 0.1}]"}, "e: parameter lr (double) needs min and max"),
    (EXPERIMENT, {"parameters": "[{name: 'opt', type: 'categorical'}]"}, "e: parameter opt (categorical) needs list"),
    (EXPERIMENT, {"parameters": "[{name: 'x', type: 'float', min: 1, max: 2}]"},
     "e: parameter x has type float; use double, int, categorical or discrete"),
    (EXPERIMENT, {"parameters": "[]"}, "e: parameters must be a non-empty array of {name, type, min, max | list}"),
    (NOTEBOOK, {"serverType": "lab"}, "e: serverType must be jupyter, group-one (VS Code) or group-two (RStudio), got lab"),
    (KSERVE, {"deploymentMode": "Serverful"}, "kserve: deploymentMode must be Standard or Knative, got Serverful"),
    (KSERVE, {"runtimes": "sklearnserver,onnx"},
     "kserve: runtimes has unknown runtime(s) onnx; use all, none or a comma list of kserve-autogluonserver, "),
    (ISVC, {"minReplicas": "3", "maxReplicas": "2"}, "e: maxReplicas (2) is below minReplicas (3)"),
    (ISVC, {"deploymentMode": "Raw"}, "e: deploymentMode must be Standard or Knative (null: the controller's default), got Raw"),
    (WORKFLOW, {"steps": "[{name: 'a', dependencies: ['b']}]"}, "e: step a depends on b, which is not a step"),
    (WORKFLOW, {"podGC": "Always"},
     "e: podGC must be one of OnPodCompletion, OnPodSuccess, OnWorkflowCompletion, OnWorkflowSuccess, got Always"),
    (CERT_MANAGER, {"clusterIssuer": "acme"}, "cert-manager: clusterIssuer must be none or selfsigned, got acme"),
], ids=lambda v: v if isinstance(v, str) and len(v) < 40 else None)
def test_impossible_params_are_one_clear_line(path, params, message):
    with pytest.raises(JsonnetError) as info:
        render_prototype(path, {"name": "e", "installCrds": "false", **params} if path in (KATIB, KSERVE, CERT_MANAGER)
                         else {"name": "e", **params})
    line = info.value.first_line
    assert line.split(": ", 1)[1].startswith(message), line


def test_notebook_controller_needs_no_webhook_and_argo_none():
    """Nothing for a gate to wait on beyond the Deployments and CRDs."""
    for path in (NOTEBOOK_CONTROLLER, ARGO):
        kinds = {o["kind"] for o in render_prototype(path, {"name": "x", "installCrds": "false"})}
        assert not kinds & {"MutatingWebhookConfiguration", "ValidatingWebhookConfiguration", "APIService"}, path


def test_readiness_gate_data_is_in_the_objects():
    """What a readiness gate can derive from the render alone: every webhook names its Service,
    and either cert-manager injects its CA (annotation → a Certificate or CA Secret in the render)
    or the controller writes the caBundle itself (none rendered)."""
    renders = {
        "kserve": render_prototype(KSERVE, {"name": "kserve", "installCrds": "false"}),
        "katib": render_prototype(KATIB, {"name": "katib", "installCrds": "false"}),
        "katib-cm": render_prototype(KATIB, {"name": "katib", "certManager": "true", "installCrds": "false"}),
        "cert-manager": render_prototype(CERT_MANAGER, {"name": "cm", "installCrds": "false"}),
    }
    found = {}
    for name, objs in renders.items():
        services = {(o["metadata"]["namespace"], o["metadata"]["name"]) for o in objs if o["kind"] == "Service"}
        certs = {f'{o["metadata"]["namespace"]}/{o["metadata"]["name"]}' for o in objs if o["kind"] == "Certificate"}
        for o in objs:
            if o["kind"] not in ("MutatingWebhookConfiguration", "ValidatingWebhookConfiguration"):
                continue
            for w in o["webhooks"]:
                svc = w["clientConfig"]["service"]
                assert (svc["namespace"], svc["name"]) in services, (name, w["name"])
                assert "caBundle" not in w["clientConfig"], (name, w["name"])
            ann = o["metadata"].get("annotations") or {}
            if "cert-manager.io/inject-ca-from" in ann:
                assert ann["cert-manager.io/inject-ca-from"] in certs, name
                how = "cert-manager Certificate"
            elif "cert-manager.io/inject-ca-from-secret" in ann:
                how = "cert-manager CA Secret"
            else:
                how = "controller"
            found.setdefault(name, set()).add(how)
    assert found == {"kserve": {"cert-manager Certificate"}, "katib": {"controller"},
                     "katib-cm": {"cert-manager Certificate"}, "cert-manager": {"cert-manager CA Secret"}}
