"""Fewer requests for the same answers (issue 17, the request row): CRDs waited for with one labelled LIST
per round, a round of gate reads with one LIST per question and namespace, no APIService list for a render
that no APIService can serve — each with its fallback when the list cannot answer.  In-process against the
emulator over HTTP."""

from __future__ import annotations

import time

import pytest

from kfctl.kube.apply import apply_render
from kfctl.kube.gategraph import Gate
from kfctl.kube.gatereads import read_round
from kfctl.kube.objects import owner_selector
from kfctl.render.model import LABEL_APP, LABEL_ENV, LABEL_MANAGED_BY, MANAGED_BY, Render, RenderedObject
from tests.emulator import Emulator
from tests.emulator.gates import NS, crd, namespace, ready_slice, webhook_deployment

CRDS = "/apis/apiextensions.k8s.io/v1/customresourcedefinitions"
OWNER = {LABEL_MANAGED_BY: MANAGED_BY, LABEL_APP: "app", LABEL_ENV: "dev"}


def owned(obj: dict) -> dict:
    """``obj`` with the ownership labels the render pipeline gives every object of app/dev."""
    obj.setdefault("metadata", {}).setdefault("labels", {}).update(OWNER)
    return obj


def render_of(*objs: dict) -> Render:
    scopes = {(o["spec"]["group"], o["spec"]["names"]["kind"]): True for o in objs
              if o["kind"] == "CustomResourceDefinition"}
    return Render("app", "dev", NS, [RenderedObject("c", o) for o in objs], crd_scopes=scopes)


def three_kinds(labelled: bool) -> list[dict]:
    crds = [crd("example.com", k, k.lower() + "s") for k in ("Alpha", "Beta", "Gamma")]
    crs = [{"apiVersion": "example.com/v1", "kind": k, "metadata": {"name": "one", "namespace": NS}}
           for k in ("Alpha", "Beta", "Gamma")]
    objs = [namespace(), *crds, *crs]
    return [owned(o) for o in objs] if labelled else objs


def sel(r) -> str | None:
    return (r.query.get("labelSelector") or [None])[0]


def crd_reads(emu: Emulator) -> tuple[list[str], list[str]]:
    """(labelled LISTs of CRDs, GETs of one CRD) sent after the first CRD was applied."""
    reqs = list(emu.requests)
    first = next(i for i, r in enumerate(reqs) if r.method == "PATCH" and r.path.startswith(CRDS))
    after = reqs[first:]
    lists = [sel(r) for r in after if r.method == "GET" and r.path == CRDS]
    gets = [r.path for r in after if r.method == "GET" and r.path.startswith(CRDS + "/")]
    return lists, gets


@pytest.mark.emulator(crd_established=2)
def test_crds_are_waited_for_with_one_labelled_list_per_round(emu_kube, emulator: Emulator) -> None:
    report, _ = apply_render(emu_kube, render_of(*three_kinds(labelled=True)), deadline=time.monotonic() + 30)
    assert report.ok, [r.error for r in report.results if r.error]
    assert [(r.kind, r.action) for r in report.results][-3:] == [("Alpha", "created"), ("Beta", "created"),
                                                                  ("Gamma", "created")]
    lists, gets = crd_reads(emulator)
    assert gets == []
    # Established on their second read: two rounds of one list each, of the render's labels
    assert lists == [owner_selector("app", "dev")] * 2


@pytest.mark.emulator(crd_established=2)
def test_crds_the_labelled_list_does_not_show_are_read_one_by_one(emu_kube, emulator: Emulator) -> None:
    """Without the render's labels (someone else's CRDs kfctl applies, labels changed) the list finds none of
    them: each is read alone, and the apply still waits for them."""
    report, _ = apply_render(emu_kube, render_of(*three_kinds(labelled=False)), deadline=time.monotonic() + 30)
    assert report.ok, [r.error for r in report.results if r.error]
    lists, gets = crd_reads(emulator)
    assert len(lists) == 2 and sorted(gets) == sorted(
        f"{CRDS}/{p}.example.com" for p in ("alphas", "betas", "gammas") for _ in range(2))


@pytest.mark.emulator(crd_established=2)
def test_a_failing_crd_list_falls_back_to_reading_each(emu_kube, emulator: Emulator) -> None:
    objs = three_kinds(labelled=True)
    del objs[3], objs[-1]  # two CRDs: the clash check before the apply reads each by name, not a list
    emulator.inject(method="GET", path=r"customresourcedefinitions$", status=500, count=None, message="boom")
    report, _ = apply_render(emu_kube, render_of(*objs), deadline=time.monotonic() + 30)
    assert report.ok, [r.error for r in report.results if r.error]
    _lists, gets = crd_reads(emulator)
    assert sorted(set(gets)) == [f"{CRDS}/alphas.example.com", f"{CRDS}/betas.example.com"]


def labelled_deployment(name: str) -> dict:
    return owned(webhook_deployment(name, NS))


def round_of(emu_kube, gates: list[Gate]) -> list[tuple[bool, str]]:
    return read_round(emu_kube, gates, lambda fn, items: [fn(x) for x in items], time.monotonic() + 10,
                      owner_selector("app", "dev"))


def test_a_round_of_gates_reads_one_list_per_namespace_and_question(emu_kube, emulator: Emulator) -> None:
    emulator.create(namespace())
    emulator.create(ready_slice("hook-a", NS))
    emulator.create(ready_slice("hook-b", NS, ready=False))
    for name in ("ctl-a", "ctl-b"):
        emulator.create(labelled_deployment(name))
    emulator.create(webhook_deployment("ctl-c", NS))  # not labelled as the render's: not in the list
    gates = [Gate("endpoints", "hook-a", NS, port="https"), Gate("endpoints", "hook-b", NS, port="https"),
             Gate("endpoints", "hook-c", NS), Gate("workload", "ctl-a", NS, what="Deployment"),
             Gate("workload", "ctl-b", NS, what="Deployment"), Gate("workload", "ctl-c", NS, what="Deployment"),
             Gate("workload", "ctl-d", NS, what="Deployment")]
    emulator.clear_requests()
    results = round_of(emu_kube, gates)
    assert results[:3] == [(True, "ready"), (False, f"Service {NS}/hook-b has no ready endpoints"),
                           (False, f"Service {NS}/hook-c has no ready endpoints")]
    assert [ok for ok, _ in results[3:6]] == [True, True, True]  # (ready at once: the emulator's default)
    assert results[6] == (False, f"Deployment {NS}/ctl-d does not exist yet")
    reads = sorted((r.path, sel(r) or "") for r in emulator.requests)
    # one list of the slices, one of the render's Deployments; ctl-c and ctl-d (not in that list) one by one
    assert reads == [(f"/apis/apps/v1/namespaces/{NS}/deployments", owner_selector("app", "dev")),
                     (f"/apis/apps/v1/namespaces/{NS}/deployments/ctl-c", ""),
                     (f"/apis/apps/v1/namespaces/{NS}/deployments/ctl-d", ""),
                     (f"/apis/discovery.k8s.io/v1/namespaces/{NS}/endpointslices",
                      "kubernetes.io/service-name in (hook-a,hook-b,hook-c)")], reads


def test_gates_fall_back_to_one_read_each_when_the_list_is_refused(emu_kube, emulator: Emulator) -> None:
    """No EndpointSlices for kfctl (403): each Service's legacy Endpoints, as a single gate reads them."""
    emulator.create(namespace())
    emulator.create({"apiVersion": "v1", "kind": "Endpoints", "metadata": {"name": "hook-a", "namespace": NS},
                     "subsets": [{"addresses": [{"ip": "10.244.0.7"}], "ports": [{"name": "https", "port": 9443}]}]})
    emulator.inject(method="GET", path="endpointslices", status=403, count=None)
    results = round_of(emu_kube, [Gate("endpoints", "hook-a", NS, port="https"), Gate("endpoints", "hook-b", NS)])
    assert results == [(True, "ready"), (False, f"Service {NS}/hook-b has no ready endpoints")]
    assert sorted(r.path for r in emulator.requests_matching("GET", "/endpoints/")) == [
        f"/api/v1/namespaces/{NS}/endpoints/hook-a", f"/api/v1/namespaces/{NS}/endpoints/hook-b"]


AGG = {"metrics.k8s.io/v1beta1": [{"name": "pods", "kind": "PodMetrics", "namespaced": True}]}


@pytest.mark.emulator(webhooks=True, aggregated_resources=AGG)
def test_the_apiservice_list_is_read_only_for_objects_an_apiservice_could_serve(emu_kube, emulator) -> None:
    builtins = [namespace(), webhook_deployment("web", NS), *three_kinds(labelled=True)[1:]]
    report, _ = apply_render(emu_kube, render_of(*builtins), deadline=time.monotonic() + 30)
    assert report.ok, [r.error for r in report.results if r.error]
    assert emulator.requests_matching("GET", "apiservices") == []
    assert len(emulator.requests_matching("GET", "validatingwebhookconfigurations$")) == 1  # (the webhooks: read)
    emulator.clear_requests()
    metrics = {"apiVersion": "metrics.k8s.io/v1beta1", "kind": "PodMetrics", "metadata": {"name": "p", "namespace": NS}}
    report, _ = apply_render(emu_kube, render_of(*builtins, metrics), deadline=time.monotonic() + 30)
    assert [r.path for r in emulator.requests_matching("GET", "apiservices")] == [
        "/apis/apiregistration.k8s.io/v1/apiservices"]
