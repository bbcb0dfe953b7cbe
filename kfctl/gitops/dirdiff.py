"""Compare a render with a GitOps directory: what ``kfctl apply`` would change there.

Used by ``kfctl diff ENV`` when the env deploys to a directory (``env.gitops_dir``; see
:mod:`kfctl.ops.deploy`).  File names
come from the same template the previous export used (recorded in the index), so the comparison
is per object: created, updated (unified diff of the file), deleted (exported before by this env,
no longer rendered) or unchanged.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Sequence

from kfctl.gitops.export import plan_export
from kfctl.gitops.index import load_index
from kfctl.gitops.naming import DEFAULT_TEMPLATE
from kfctl.render.model import Render
from kfctl.util.textdiff import unified_text


@dataclass
class ObjectChange:
    path: str
    action: str  # create | update | delete | unchanged
    ref: str  # component/Kind/[namespace/]name
    diff: str = ""

    def to_dict(self) -> dict[str, Any]:
        return {"file": self.path, "action": self.action, "object": self.ref, "diff": self.diff}


@dataclass
class DirDiffResult:
    env: str
    directory: Path
    changes: list[ObjectChange] = field(default_factory=list)

    @property
    def changed(self) -> list[ObjectChange]:
        return [c for c in self.changes if c.action != "unchanged"]

    @property
    def different(self) -> bool:
        return bool(self.changed)

    @property
    def exit_code(self) -> int:
        """kubectl diff convention: 0 same, 1 different."""
        return 1 if self.different else 0

    def counts(self) -> dict[str, int]:
        out = {"create": 0, "update": 0, "delete": 0, "unchanged": 0}
        for c in self.changes:
            out[c.action] += 1
        return out

    def unified(self) -> str:
        return "".join(c.diff for c in self.changes if c.diff)

    def to_dict(self) -> dict[str, Any]:
        return {"env": self.env, "directory": str(self.directory), "counts": self.counts(),
                "changes": [c.to_dict() for c in self.changed]}


def _ref(entry: dict) -> str:
    ns = f"{entry.get('namespace')}/" if entry.get("namespace") else ""
    return f"{entry.get('component')}/{entry.get('kind')}/{ns}{entry.get('name')}"


def _udiff(old: str, new: str, path: str, *, created: bool = False, deleted: bool = False) -> str:
    return unified_text(old, new, "/dev/null" if created else f"a/{path}", "/dev/null" if deleted else f"b/{path}")


def _secret_text(text: str, show_secrets: bool) -> str:
    """A Secret file's text for display: values redacted unless ``show_secrets``."""
    if show_secrets or not text or "Secret" not in text:
        return text
    import yaml

    from kfctl.render.redact import is_secret, redact
    from kfctl.util.yamlio import dump_yaml

    try:
        obj = yaml.safe_load(text)
    except yaml.YAMLError:
        return text
    if isinstance(obj, dict) and is_secret(obj):
        return dump_yaml(redact(obj))
    return text


def diff_render_against_dir(render: Render, directory: Path | str, *, template: str | None = None,
                            components: Sequence[str] | None = None, show_secrets: bool = True) -> DirDiffResult:
    """Pure over ``render`` and the files in ``directory``.  Whether an object changed is decided on
    the exact bytes; with ``show_secrets=False`` the diff text of Secrets shows redacted values."""
    directory = Path(directory)
    index = load_index(directory)
    settings = index.envs.get(render.env, {})
    template = template or settings.get("format") or DEFAULT_TEMPLATE
    plan = plan_export(render, template, sync_waves=bool(settings.get("syncWaves")))
    result = DirDiffResult(env=render.env, directory=directory)
    for rel, pf in sorted(plan.items()):
        ref = _ref(pf.entry)
        new = pf.content.decode("utf-8")
        try:
            old = (directory / rel).read_text(encoding="utf-8")
        except (FileNotFoundError, NotADirectoryError, IsADirectoryError):
            result.changes.append(ObjectChange(rel, "create", ref,
                                               _udiff("", _secret_text(new, show_secrets), rel, created=True)))
            continue
        except UnicodeDecodeError:
            old = ""
        if old == new:
            result.changes.append(ObjectChange(rel, "unchanged", ref))
        else:
            result.changes.append(ObjectChange(rel, "update", ref, _udiff(
                _secret_text(old, show_secrets), _secret_text(new, show_secrets), rel)))
    selected = set(components) if components else None
    for rel, entry in sorted(index.files_of(render.env).items()):
        if rel in plan or (selected is not None and entry.get("component") not in selected):
            continue
        try:
            old = (directory / rel).read_text(encoding="utf-8")
        except (FileNotFoundError, NotADirectoryError, IsADirectoryError, UnicodeDecodeError):
            continue  # already gone
        result.changes.append(ObjectChange(rel, "delete", _ref(entry),
                                           _udiff(_secret_text(old, show_secrets), "", rel, deleted=True)))
    result.changes.sort(key=lambda c: c.path)
    return result
