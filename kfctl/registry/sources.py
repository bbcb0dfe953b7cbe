"""Where a registry's files come from: a local folder, kfctl's built-in registry, or a git repository.

URI forms (``kfctl registry add NAME URI``), as ksonnet accepted them plus plain git:

* ``builtin:kubeflow`` — the registry shipped with kfctl (``kfctl.data.registry_dir()``), offline.
* ``/abs/dir``, ``./rel/dir``, ``~/dir``, ``file:///abs/dir`` — a folder with ``registry.yaml``, read in
  place (protocol ``fs``).  A local *git repository* becomes protocol ``git`` when a ref is asked for
  (``PATH@REF``, ``--version``, ``PATH/tree/REF/SUBDIR``) or when its top has no ``registry.yaml``.
* ``github.com/ORG/REPO/tree/REF/SUBDIR`` (ksonnet's GitHub form, with or without ``https://``) —
  protocol ``github``, fetched with git from ``https://github.com/ORG/REPO.git``.
* ``https://…``, ``ssh://…``, ``git://…``, ``git@host:path`` — protocol ``git``; ``URL@REF`` pins a ref,
  ``URL/tree/REF/SUBDIR`` (also for ``file://`` URLs) picks a subdirectory.

Git sources are fetched with the ``git`` CLI into ``$XDG_CACHE_HOME/kfctl/git`` (default
``~/.cache/kfctl``): ``git clone --depth 1 --branch REF`` when the ref is a branch or tag, else a full
clone and ``git checkout`` (commit shas).  Checkouts of tags and commits are immutable and reused
offline; branches (and the default branch) are refreshed when asked to, falling back to the cached
checkout with a warning when the remote is unreachable.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import os
import re
import shutil
import subprocess
import tempfile
import time
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Iterator

from kfctl.util.logs import logger
from kfctl.errors import KfctlError, UsageError
from kfctl.util.cache import cache_root
from kfctl.util.progress import status


class RegistryError(KfctlError):
    """A registry could not be reached, read or understood."""


PROTOCOLS = ("fs", "git", "github", "builtin")
_SHA = re.compile(r"^[0-9a-f]{7,40}$")
_GITHUB = re.compile(r"^(?:https?://)?(?:www\.)?github\.com/([^/]+)/([^/@]+?)(?:\.git)?(?:/tree/([^/]+)(?:/(.*?))?)?/?(?:@([^/]+))?$")


@dataclass(frozen=True)
class Source:
    """A parsed registry location."""

    protocol: str  # fs | git | github | builtin
    uri: str  # as recorded in app.yaml
    path: Path | None = None  # fs/builtin: the folder holding registry.yaml
    url: str | None = None  # git/github: what git clones
    ref: str | None = None  # git/github: branch, tag or commit; None = the remote's default branch
    subdir: str = ""  # git/github: folder of the repository holding registry.yaml

    def at(self, ref: str | None) -> "Source":
        """The same source at another ref (a package version)."""
        if self.protocol not in ("git", "github") or ref is None:
            return self
        return replace(self, ref=ref, uri=format_uri(self.protocol, self.url or "", ref, self.subdir, self.uri))

    @property
    def display(self) -> str:
        if self.protocol in ("git", "github"):
            return f"{self.url}{'@' + self.ref if self.ref else ''}{' (' + self.subdir + ')' if self.subdir else ''}"
        return str(self.path)


def _is_git_repo(p: Path) -> bool:
    return (p / ".git").exists() or ((p / "HEAD").is_file() and (p / "objects").is_dir())


def git_work_tree(p: Path) -> Path | None:
    """The top of the git work tree holding folder ``p`` (``p`` itself or a parent), else None."""
    p = p.resolve()
    for d in (p, *p.parents):
        if (d / ".git").exists():
            return d
    return None


def folder_at_ref(source: Source, ref: str) -> Source | None:
    """A folder registry inside a git work tree, at a branch, tag or commit of that repository
    (fetched like any git registry, so the work tree's uncommitted state is not what is served);
    None when the folder is not in a git work tree."""
    if source.protocol != "fs" or source.path is None:
        return None
    top = git_work_tree(source.path)
    if top is None:
        return None
    subdir = source.path.resolve().relative_to(top).as_posix()
    subdir = "" if subdir == "." else subdir
    url = top.as_uri()
    return Source("git", format_uri("git", url, ref, subdir), url=url, ref=ref, subdir=subdir)


def _split_at_ref(uri: str) -> tuple[str, str | None]:
    """``URL@REF`` → (URL, REF), leaving ``user@host`` parts alone."""
    i = uri.rfind("@")
    if i <= 0:
        return uri, None
    prefix, ref = uri[:i], uri[i + 1:]
    if not ref or ":" in ref:
        return uri, None
    if "://" in prefix and "/" not in prefix.split("://", 1)[1]:
        return uri, None  # scheme://user@host
    return prefix, ref


def _split_tree(path: str) -> tuple[str, str | None, str]:
    """``…/REPO/tree/REF/SUBDIR`` → (…/REPO, REF, SUBDIR)."""
    m = re.match(r"^(.*?)/tree/([^/]+)(?:/(.*?))?/?$", path)
    if not m:
        return path, None, ""
    return m.group(1), m.group(2), (m.group(3) or "").strip("/")


def format_uri(protocol: str, url: str, ref: str | None, subdir: str, original: str = "") -> str:
    if protocol == "github":
        m = _GITHUB.match(original) if original else None
        base = url[:-4] if url.endswith(".git") else url
        if m and not original.startswith("http"):
            base = base.replace("https://", "", 1)
        if ref is None and not subdir:
            return base
        return f"{base}/tree/{ref or 'master'}" + (f"/{subdir}" if subdir else "")
    if subdir:
        return f"{url}/tree/{ref or 'HEAD'}/{subdir}"
    return f"{url}@{ref}" if ref else url


def parse_source(uri: str, *, protocol: str | None = None, version: str | None = None, base: Path | None = None,
                 extra: dict | None = None) -> Source:
    """Parse a registry URI (as typed, or as recorded in app.yaml with its ``protocol``).

    ``base`` resolves relative paths (the app root for recorded entries, the CWD when typed).
    ``extra`` is the rest of the app.yaml entry (apiVersion 0.1.0 ``gitVersion.refSpec``).
    """
    uri = (uri or "").strip()
    if not uri:
        raise UsageError("empty registry URI")
    base = base or Path.cwd()
    if protocol == "builtin" or uri.startswith("builtin:"):
        from kfctl.data import registry_dir

        name = uri.split(":", 1)[1] if uri.startswith("builtin:") else "kubeflow"
        if name != "kubeflow":
            raise RegistryError(f"unknown built-in registry {uri!r} (kfctl ships 'builtin:kubeflow')")
        if version:
            raise UsageError("the built-in registry has a single version: --version does not apply")
        return Source("builtin", "builtin:kubeflow", path=registry_dir())
    gv_ref = None
    if extra and isinstance(extra.get("gitVersion"), dict):
        gv_ref = extra["gitVersion"].get("refSpec") or extra["gitVersion"].get("commitSha")

    m = _GITHUB.match(uri)
    if m and protocol in (None, "github", "git"):
        org, repo, tree_ref, subdir, at_ref = m.groups()
        ref = version or at_ref or tree_ref or gv_ref
        url = f"https://github.com/{org}/{repo}.git"
        src = Source("github", "", url=url, ref=ref, subdir=(subdir or "").strip("/"))
        return replace(src, uri=format_uri("github", url, ref, src.subdir, uri) if version or at_ref else uri)

    local = uri.startswith(("/", ".", "~", "file://")) or protocol == "fs" or (
        "://" not in uri and not re.match(r"^[\w.-]+@[\w.-]+:", uri) and (base / uri).exists())
    if local:
        raw = uri[len("file://"):] if uri.startswith("file://") else uri
        p = Path(os.path.expanduser(raw))
        if not p.is_absolute():
            p = (base / p)
        p = Path(os.path.normpath(p))
        if protocol == "git":  # recorded: parse by syntax only (the repository may be gone; the cache may do)
            repo, ref, subdir = _split_tree(str(p))
            if ref is None and not p.exists():
                repo, ref = _split_at_ref(str(p))
            ref = version or ref or gv_ref
            src = Source("git", "", url=Path(repo).as_uri(), ref=ref, subdir=subdir)
            return replace(src, uri=uri if not version else format_uri("git", src.url or "", ref, subdir))
        if p.is_dir() and not version and (p / "registry.yaml").is_file() and protocol != "git":
            return Source("fs", uri if protocol else _fs_uri(uri, p), path=p)
        # git forms of a local repository: PATH/tree/REF/SUBDIR, PATH@REF, a repo + --version
        repo, ref, subdir = _split_tree(str(p))
        if ref is None:
            repo, ref = _split_at_ref(str(p)) if not p.exists() else (str(p), None)
        repo_p = Path(repo)
        if repo_p.is_dir() and _is_git_repo(repo_p):
            ref = version or ref or gv_ref
            url = repo_p.as_uri()
            src = Source("git", "", url=url, ref=ref, subdir=subdir)
            recorded = uri if (protocol and not version) else format_uri("git", url, ref, subdir)
            return replace(src, uri=recorded)
        if p.is_dir():
            if version:
                raise UsageError(f"{p} is a plain folder, not a git repository: --version does not apply")
            return Source("fs", uri if protocol else _fs_uri(uri, p), path=p)
        if protocol == "fs" or not repo_p.exists():
            raise RegistryError(f"registry folder {p} does not exist")
        raise RegistryError(f"{repo_p} is not a git repository (needed for a ref or a /tree/ path)")

    # remote git
    url, at_ref = _split_at_ref(uri)
    url, tree_ref, subdir = _split_tree(url) if "/tree/" in url else (url, None, "")
    ref = version or at_ref or tree_ref or gv_ref
    if protocol not in (None, "git"):
        raise RegistryError(f"registry protocol {protocol!r} is not supported (kfctl reads {', '.join(PROTOCOLS)})",
                            hint="ksonnet's 'helm' registries are not supported")
    if not re.match(r"^(https?|ssh|git|file)://", url) and not re.match(r"^[\w.-]+@[\w.-]+:", url):
        raise UsageError(f"cannot tell what kind of registry {uri!r} is",
                         hint="use a folder path, file://PATH, a git URL (https://, ssh://, git@host:repo) "
                              "or github.com/ORG/REPO/tree/REF/DIR")
    src = Source("git", "", url=url, ref=ref, subdir=subdir)
    return replace(src, uri=uri if (protocol and not version) else format_uri("git", url, ref, subdir))


def _fs_uri(typed: str, p: Path) -> str:
    # keep what the user typed when it is relative (app repos move), else an absolute path
    return typed if not typed.startswith(("/", "file://", "~")) else str(p)


# ------------------------------------------------------------------------------------------ git
@dataclass(frozen=True)
class Checkout:
    root: Path  # the folder holding registry.yaml (checkout + subdir)
    commit: str | None  # resolved git commit (None for fs/builtin)
    ref_kind: str  # branch | tag | commit | head | local


def _git_env() -> dict:
    env = dict(os.environ)
    env["GIT_TERMINAL_PROMPT"] = "0"
    env.setdefault("GIT_SSH_COMMAND", "ssh -o BatchMode=yes")
    env["GCM_INTERACTIVE"] = "never"
    env.pop("GIT_DIR", None)
    env.pop("GIT_WORK_TREE", None)
    return env


def _git(*args: str, cwd: Path | None = None, check: bool = True) -> subprocess.CompletedProcess:
    try:
        proc = subprocess.run(["git", "-c", "advice.detachedHead=false", *args], cwd=cwd, env=_git_env(),
                              capture_output=True, text=True, timeout=600)
    except FileNotFoundError:
        raise RegistryError("the 'git' command is not installed (needed for git registries)") from None
    except subprocess.TimeoutExpired:
        raise RegistryError(f"git {args[0]} timed out after 10 minutes") from None
    if check and proc.returncode != 0:
        raise _GitFailed(_git_message(proc.stderr))
    return proc


class _GitFailed(Exception):
    pass


def _git_message(stderr: str) -> str:
    lines = [ln.strip() for ln in stderr.splitlines() if ln.strip()]
    for ln in lines:
        if ln.startswith(("fatal:", "error:")):
            return ln.split(":", 1)[1].strip()
    return lines[-1] if lines else "git failed"


@contextlib.contextmanager
def _cache_lock(path: Path) -> Iterator[None]:
    from filelock import FileLock

    path.parent.mkdir(parents=True, exist_ok=True)
    with FileLock(str(path) + ".lock", timeout=600):
        yield


def _key(url: str, ref: str | None) -> str:
    return hashlib.sha256(f"{url}\0{ref or ''}".encode()).hexdigest()[:24]


def fetch(source: Source, *, refresh: bool = False, what: str = "registry", offline: bool = False) -> Checkout:
    """Make ``source`` available locally; return the folder that should hold registry.yaml.
    ``offline``: never run git; a git source not fetched before is a RegistryError."""
    if source.protocol in ("fs", "builtin"):
        assert source.path is not None
        return Checkout(source.path, None, "local")
    url, ref = source.url or "", source.ref
    entry = cache_root() / "git" / _key(url, ref)
    meta_file, tree = entry / "meta.json", entry / "tree"
    if offline:
        try:
            meta = json.loads(meta_file.read_text(encoding="utf-8"))
        except (OSError, ValueError):
            raise RegistryError(f"{url}{'@' + ref if ref else ''} has not been fetched yet") from None
        root = tree / source.subdir if source.subdir else tree
        if not root.is_dir():
            raise RegistryError(f"{url}{'@' + ref if ref else ''} has not been fetched yet")
        return Checkout(root, meta.get("commit"), meta.get("kind", "head"))
    with _cache_lock(entry):
        meta = None
        if meta_file.is_file() and tree.is_dir():
            with contextlib.suppress(ValueError, OSError):
                meta = json.loads(meta_file.read_text(encoding="utf-8"))
        mutable = meta is None or meta.get("kind") in ("branch", "head")
        if meta is None or (refresh and mutable):
            try:
                with status(f"Fetching {what} {url}{'@' + ref if ref else ''} …"):
                    meta = _clone(url, ref, entry)
            except _GitFailed as exc:
                if meta is not None:
                    logger(__name__).warning(f"cannot refresh {url}{'@' + ref if ref else ''} ({exc}); using the copy "
                                 f"fetched {time.strftime('%Y-%m-%d %H:%M', time.localtime(meta.get('fetched', 0)))}")
                else:
                    raise RegistryError(_fetch_error(url, ref, str(exc))) from None
    root = tree / source.subdir if source.subdir else tree
    if source.subdir and not root.is_dir():
        raise RegistryError(f"{url}{'@' + ref if ref else ''} has no folder {source.subdir!r}")
    return Checkout(root, meta.get("commit"), meta.get("kind", "head"))


def _fetch_error(url: str, ref: str | None, msg: str) -> str:
    low = msg.lower()
    if ref and ("remote branch" in low or "pathspec" in low or "not a tree" in low or "unknown revision" in low
                or "couldn't find remote ref" in low or "not our ref" in low):
        return f"{url} has no branch, tag or commit {ref!r}"
    return f"cannot fetch {url}: {msg}"


def _clone(url: str, ref: str | None, entry: Path) -> dict:
    entry.mkdir(parents=True, exist_ok=True)
    tmp = Path(tempfile.mkdtemp(prefix=".clone-", dir=entry))
    try:
        work = tmp / "tree"
        args = ["clone", "--quiet", "--depth", "1"]
        if ref:
            args += ["--branch", ref]
        proc = _git(*args, url, str(work), check=False)
        if proc.returncode != 0:
            shutil.rmtree(work, ignore_errors=True)
            if not ref:
                raise _GitFailed(_git_message(proc.stderr))
            first = _git_message(proc.stderr)
            if "not found" not in first.lower() and "remote branch" not in first.lower():
                raise _GitFailed(first)
            # a commit sha (or an abbreviated one): full clone + checkout
            _git("clone", "--quiet", "--no-checkout", url, str(work))
            co = _git("checkout", "--quiet", "--detach", ref, cwd=work, check=False)
            if co.returncode != 0:
                raise _GitFailed(f"unknown revision {ref!r}")
            kind = "commit"
        else:
            head = _git("symbolic-ref", "-q", "HEAD", cwd=work, check=False)
            kind = ("branch" if head.returncode == 0 else "tag") if ref else "head"
        commit = _git("rev-parse", "HEAD", cwd=work).stdout.strip()
        shutil.rmtree(work / ".git", ignore_errors=True)
        meta = {"url": url, "ref": ref, "commit": commit, "kind": kind, "fetched": int(time.time())}
        (tmp / "meta.json").write_text(json.dumps(meta, sort_keys=True), encoding="utf-8")
        old = entry / "tree"
        if old.exists():
            trash = Path(tempfile.mkdtemp(prefix=".old-", dir=entry))
            os.replace(old, trash / "tree")
            shutil.rmtree(trash, ignore_errors=True)
        os.replace(work, old)
        os.replace(tmp / "meta.json", entry / "meta.json")
        return meta
    finally:
        shutil.rmtree(tmp, ignore_errors=True)


def looks_like_sha(ref: str | None) -> bool:
    return bool(ref and _SHA.match(ref))
