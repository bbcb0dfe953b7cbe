"""File names for exported objects: a ``str.format`` template over object fields.

``/`` in the *template text* makes sub-directories; ``/`` (and anything else unsafe in a path)
inside a *field value* is replaced, so an object can never choose where its file lands.  Templates
that are absolute or climb out of the export directory are refused up front.
"""

from __future__ import annotations

import re
import string
from typing import Any

from kfctl.errors import UsageError
from kfctl.render.model import RenderedObject
from kfctl.render.order import GITOPS_TIERS, gitops_tier
from kfctl.render.scopes import is_namespaced

DEFAULT_TEMPLATE = "{namespace}/{kind}-{name}.yaml"
CLUSTER_DIR = "_cluster"
TIERED_TEMPLATE = "{tier}/{namespace}/{kind}-{name}.yaml"  # --flux: one directory per apply tier
FIELDS = ("namespace", "kind", "name", "component", "env", "apiVersion", "group", "version", "tier")
_UNSAFE = re.compile(r"[^A-Za-z0-9._@+=,-]")


def check_template(template: str) -> str:
    """Validate ``template`` (unknown fields, absolute or escaping paths); return it with an extension."""
    if not template or not template.strip():
        raise UsageError("--format: the file name template is empty")
    try:
        parsed = list(string.Formatter().parse(template))
    except ValueError as exc:
        raise UsageError(f"--format {template!r}: malformed template: {exc}") from None
    used = set()
    for literal, field, spec, conv in parsed:
        if field is None:
            continue
        if field == "" or field not in FIELDS:
            raise UsageError(f"--format {template!r}: unknown field {{{field}}}",
                             hint=f"fields: {', '.join('{' + f + '}' for f in FIELDS)}")
        if spec or conv:
            raise UsageError(f"--format {template!r}: format specs and conversions are not supported in {{{field}}}")
        used.add(field)
    if "name" not in used:
        raise UsageError(f"--format {template!r}: the template must use {{name}} so every object gets its own file")
    literal_text = "".join(lit for lit, *_ in parsed)
    if template.startswith(("/", "\\")) or re.match(r"^[A-Za-z]:", template):
        raise UsageError(f"--format {template!r}: must be a path relative to the export directory")
    for part in re.split(r"[/\\]", literal_text):
        if part == "..":
            raise UsageError(f"--format {template!r}: must not leave the export directory ('..')")
    if not template.endswith((".yaml", ".yml")):
        template += ".yaml"
    return template


def sanitize(value: str) -> str:
    """One safe path component: unsafe characters become '-', never empty, never '.' or '..'."""
    out = _UNSAFE.sub("-", value)
    if out in ("", ".", ".."):
        out = "_" if not out else out.replace(".", "_")
    return out


def fields_of(ro: RenderedObject, env: str, crd_scopes: dict | None = None) -> dict[str, str]:
    meta = ro.obj.get("metadata") or {}
    name = ro.name or str(meta.get("generateName") or "")
    namespaced = is_namespaced(ro.api_version, ro.kind, crd_scopes)
    ns = (ro.namespace or "") if namespaced else ""
    return {
        "namespace": ns or CLUSTER_DIR,
        "kind": ro.kind,
        "name": name,
        "component": ro.component,
        "env": env,
        "apiVersion": ro.api_version,
        "group": ro.group or "core",
        "version": ro.version,
        "tier": GITOPS_TIERS[gitops_tier(ro.kind)],
    }


def file_name(template: str, ro: RenderedObject, env: str, crd_scopes: dict | None = None) -> str:
    """The relative POSIX path of ``ro`` under the export directory (``template`` already checked)."""
    fields = fields_of(ro, env, crd_scopes)
    if not fields["name"]:
        raise UsageError(f"{ro.component}/{ro.kind}: object has no metadata.name (nor generateName) to name its file")
    safe: dict[str, Any] = {k: sanitize(v) for k, v in fields.items()}
    rel = template.format(**safe).replace("\\", "/")
    parts = [p for p in rel.split("/") if p not in ("", ".")]
    if not parts or any(p == ".." for p in parts):  # pragma: no cover - prevented by check_template + sanitize
        raise UsageError(f"--format {template!r}: {ro.ref()} maps outside the export directory")
    return "/".join(parts)
