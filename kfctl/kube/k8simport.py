"""Import the parts of the official ``kubernetes`` client kfctl uses, and only those.

``kubernetes/__init__.py`` imports every subpackage — ``dynamic`` (which pulls in
``kubernetes_validate`` and jsonschema), ``watch``, ``stream``, ``utils``, ``leaderelection``,
``informer`` — though kfctl only needs ``kubernetes.client`` (ApiClient, Configuration,
ApiException) and ``kubernetes.config`` (kubeconfig loading).  :func:`client_and_config` registers
the package without running its ``__init__`` (submodules import as usual; any other attribute of
the package, ``kubernetes.watch`` say, is imported on first access, so code that expects the whole
package still gets it) and imports those two.
"""

from __future__ import annotations

import importlib
import sys


def _package_without_init() -> None:
    if "kubernetes" in sys.modules:
        return
    import importlib.util

    spec = importlib.util.find_spec("kubernetes")
    if spec is None or not spec.submodule_search_locations:  # pragma: no cover - a dependency
        return
    pkg = importlib.util.module_from_spec(spec)

    def __getattr__(name: str):  # PEP 562: kubernetes.watch, kubernetes.dynamic... on first use
        if name.startswith("__"):
            raise AttributeError(name)
        try:
            return importlib.import_module(f"kubernetes.{name}")
        except ModuleNotFoundError:
            raise AttributeError(f"module 'kubernetes' has no attribute {name!r}") from None

    pkg.__getattr__ = __getattr__
    sys.modules["kubernetes"] = pkg


def client_and_config():
    """``(kubernetes.client, kubernetes.config)``."""
    _package_without_init()
    from kubernetes import client, config

    sys.modules["kubernetes"].__dict__.setdefault("__version__", client.__version__)
    return client, config
