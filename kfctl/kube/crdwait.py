"""Between apply's tiers: the render's CRDs Established, then their kinds served by discovery."""

from __future__ import annotations

import time

from kfctl.kube.client import Kube
from kfctl.kube.discovery import Discovery
from kfctl.kube.errors import ApiError, Unreachable, explain
from kfctl.kube.readiness import readiness
from kfctl.render.model import RenderedObject

CRDS = "/apis/apiextensions.k8s.io/v1/customresourcedefinitions"


def wait_established(kube: Kube, names: list[str], timeout: float = 60.0,
                     deadline: float | None = None, selector: str | None = None) -> dict[str, str]:
    """Wait for CRDs to be Established; returns {name: why not} for those that are not.

    With ``selector`` (the labels the render put on them) and two or more CRDs still pending, each round
    reads them with one labelled LIST instead of a GET each; a CRD the list does not show (its labels
    changed by someone else) is read alone.  A read the server keeps failing (after the client's retries,
    which the CLI shows) fails that CRD at once with the server's answer, rather than being taken for
    "not Established yet"."""
    start = time.monotonic()
    end = start + timeout
    if deadline is not None:
        end = min(end, deadline)
    pending = {n: "not established yet" for n in names}
    failed: dict[str, str] = {}
    while pending:
        listed: dict[str, dict] = {}
        if selector and len(pending) >= 2:
            try:
                doc = kube.get(CRDS, deadline=end, labelSelector=selector)
                listed = {(i.get("metadata") or {}).get("name", ""): i for i in doc.get("items") or []}
            except (ApiError, Unreachable):
                listed = {}  # read one by one below: each gets the server's answer
        for n in list(pending):
            crd = listed.get(n)
            if crd is None:
                try:
                    crd = kube.get(f"{CRDS}/{n}", deadline=end)
                except ApiError as exc:
                    if exc.status == 404:
                        pending[n] = "not visible on the server yet"
                        continue
                    failed[n] = "cannot read its status: " + explain(exc, kube.target)
                    del pending[n]
                    continue
                except Unreachable as exc:
                    failed[n] = "cannot read its status: " + exc.message
                    del pending[n]
                    continue
            ok, _why = readiness(crd)
            if ok:
                del pending[n]
            else:
                cond = [c for c in (crd.get("status") or {}).get("conditions") or [] if c.get("status") != "True"]
                pending[n] = (f"{cond[0].get('type')}: {cond[0].get('message') or cond[0].get('reason', '')}"
                              if cond else "no Established condition yet")
        if not pending or time.monotonic() >= end:
            break
        time.sleep(0.2)
    for n, why in pending.items():
        failed[n] = f"not Established within {max(end - start, 0):.0f}s ({why})"
    return failed


def refresh_until_served(disco: Discovery, custom: list[RenderedObject], timeout: float = 15.0,
                          deadline: float | None = None) -> None:
    """After CRDs are Established, discovery can lag a moment on a real server: refresh until
    every custom kind of this render is served (or the timeout passes; apply then names it)."""
    end = time.monotonic() + timeout
    if deadline is not None:
        end = min(end, deadline)
    if all(disco.by_gvk.get((o.group, o.version, o.kind)) is not None for o in custom):
        return  # served already (a discovery cache from an earlier apply knows them): no refresh
    while True:
        disco.refresh()
        if all(disco.lookup(o.api_version, o.kind) is not None for o in custom) or time.monotonic() >= end:
            return
        time.sleep(0.5)
