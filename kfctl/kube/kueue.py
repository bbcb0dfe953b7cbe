"""Read the cluster's Kueue ConfigMaps (when a render queues jobs but holds no Kueue itself)."""

from __future__ import annotations

# the labels Kueue's release manifests and Helm chart give the controller's ConfigMap
KUEUE_CONFIG_SELECTOR = "app.kubernetes.io/name=kueue,control-plane=controller-manager"


def live_kueue_configmaps(kube) -> list[dict]:
    """The cluster's ConfigMaps labelled as Kueue's; [] when there are none or the user may not list
    ConfigMaps in every namespace (the check is then skipped)."""
    from kfctl.kube.errors import ApiError

    try:
        return list(kube.get("/api/v1/configmaps", labelSelector=KUEUE_CONFIG_SELECTOR).get("items") or [])
    except ApiError as exc:
        if exc.status in (401, 403, 404):
            return []
        raise
