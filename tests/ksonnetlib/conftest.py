from __future__ import annotations

import json
import os
from pathlib import Path

import pytest


@pytest.fixture(scope="session", autouse=True)
def ksonnetlib_cache(tmp_path_factory) -> Path:
    """One private XDG cache for the whole session: each library version is generated once."""
    cache = tmp_path_factory.mktemp("xdg-cache")
    old = os.environ.get("XDG_CACHE_HOME")
    os.environ["XDG_CACHE_HOME"] = str(cache)
    import kfctl.ksonnetlib as kl

    kl._fast.clear()
    yield cache
    kl._fast.clear()
    if old is None:
        os.environ.pop("XDG_CACHE_HOME", None)
    else:
        os.environ["XDG_CACHE_HOME"] = old


def evaluate(code: str, jpath, engine: str = "rjsonnet"):
    jp = [str(p) for p in jpath]
    if engine == "rjsonnet":
        import rjsonnet

        return json.loads(rjsonnet.evaluate_snippet("<test>", code, jpathdir=jp))
    import _gojsonnet

    return json.loads(_gojsonnet.evaluate_snippet("<test>", code, jpathdir=jp))


@pytest.fixture
def ks(tmp_path):
    """ks(code, version='v1.8.0', engine='rjsonnet') evaluates code with an app's ksonnet jpath."""
    from kfctl.ksonnetlib import lib_dirs

    def run(code: str, version: str = "v1.8.0", engine: str = "rjsonnet"):
        return evaluate(code, lib_dirs(tmp_path, version), engine)

    return run
