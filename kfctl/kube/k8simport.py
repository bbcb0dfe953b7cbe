"""Import the parts of the official ``kubernetes`` client kfctl uses, and only those.

``kubernetes/__init__.py`` imports every subpackage — ``dynamic`` (which pulls in
``kubernetes_validate`` and jsonschema), ``watch``, ``stream``, ``utils``, ``leaderelection``,
``informer`` — though kfctl only needs ``kubernetes.client`` (ApiClient, Configuration,
ApiException) and ``kubernetes.config`` (kubeconfig loading).  :func:`client_and_config` registers
the package without running its ``__init__`` (submodules import as usual; any other attribute of
the package, ``kubernetes.watch`` say, is imported on first access, so code that expects the whole
package still gets it) and imports those two.

Of those, ``kubernetes.client.api_client`` imports pydantic and dateutil and builds a pydantic model
at import time, and ``kubernetes.config.kube_config`` imports oauthlib and requests_oauthlib (and with
it requests) — ~0.2 s together — for what kfctl never asks of them: (de)serialising the generated
models and refreshing OIDC tokens.  They are served from stand-ins while those two modules execute
(:mod:`kfctl.util.lazyimport`): the first real use imports the real thing.
"""

from __future__ import annotations

import importlib
import sys
from typing import TypeVar

from kfctl.util import lazyimport


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


def _client_stand_ins() -> dict:
    # kubernetes.client.api_client: pydantic's SecretStr is only isinstance-checked when serialising
    # models, ApiResponse (a pydantic model) only built by the generated API classes, dateutil's parser
    # only called to deserialise dates into models; kfctl sends plain REST requests through it
    return {"pydantic": lazyimport.stand_in("pydantic", SecretStr=lazyimport.lazy_class("pydantic", "SecretStr")),
            "kubernetes.client.api_response": lazyimport.stand_in(
                "kubernetes.client.api_response", T=TypeVar("T"),
                ApiResponse=lazyimport.lazy_class("kubernetes.client.api_response", "ApiResponse")),
            "dateutil.parser": lazyimport.stand_in("dateutil.parser",
                                                   parse=lazyimport.lazy_function("dateutil.parser", "parse"))}


def _config_stand_ins() -> dict:
    # kubernetes.config.kube_config: oauthlib and requests_oauthlib (and with them requests) only refresh
    # an OIDC auth-provider's token
    return {"oauthlib": lazyimport.stand_in("oauthlib"), "oauthlib.oauth2": lazyimport.stand_in("oauthlib.oauth2"),
            "requests_oauthlib": lazyimport.stand_in(
                "requests_oauthlib", OAuth2Session=lazyimport.lazy_class("requests_oauthlib", "OAuth2Session"))}


def client_and_config():
    """``(kubernetes.client, kubernetes.config)``."""
    _package_without_init()
    lazyimport.defer("kubernetes.client.api_client", _client_stand_ins)
    lazyimport.defer("kubernetes.config.kube_config", _config_stand_ins)
    from kubernetes import client, config

    sys.modules["kubernetes"].__dict__.setdefault("__version__", client.__version__)
    return client, config
