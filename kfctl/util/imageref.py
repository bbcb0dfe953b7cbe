"""Container image references: parsing and normalisation as containerd, ``crane`` and Docker do it
(github.com/distribution/reference: ``ParseNormalizedNamed``, ``TagNameOnly``).

* The first path component is a registry host when it contains ``.`` or ``:``, is ``localhost``,
  or has upper-case letters — and there is more than one component.  Otherwise the registry is
  ``docker.io``; ``index.docker.io`` is ``docker.io`` too.
* On ``docker.io`` a one-component repository lives under ``library/`` (``nginx`` →
  ``docker.io/library/nginx``).
* A reference without tag or digest means ``:latest`` (what a pull fetches).

Nothing here knows about kfctl; :mod:`kfctl.render.images` finds the references in objects.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

DEFAULT_DOMAIN = "docker.io"
LEGACY_DOMAIN = "index.docker.io"

# github.com/distribution/reference/regexp.go
_ALNUM = r"[a-z0-9]+"
_SEP = r"(?:[._]|__|[-]+)"
_PATH_COMPONENT = rf"{_ALNUM}(?:{_SEP}{_ALNUM})*"
_DOMAIN_COMPONENT = r"(?:[a-zA-Z0-9]|[a-zA-Z0-9][a-zA-Z0-9-]*[a-zA-Z0-9])"
_DOMAIN = rf"(?:{_DOMAIN_COMPONENT}(?:\.{_DOMAIN_COMPONENT})*|\[[0-9A-Fa-f:]+\])(?::[0-9]+)?"
_TAG = r"[\w][\w.-]{0,127}"
_DIGEST = r"[A-Za-z][A-Za-z0-9]*(?:[-_+.][A-Za-z][A-Za-z0-9]*)*:[0-9a-fA-F]{32,}"
_PATH_RE = re.compile(rf"^{_PATH_COMPONENT}(?:/{_PATH_COMPONENT})*$")
_DOMAIN_RE = re.compile(rf"^{_DOMAIN}$")
_TAG_RE = re.compile(rf"^{_TAG}$")
_DIGEST_RE = re.compile(rf"^{_DIGEST}$")
NAME_TOTAL_LENGTH_MAX = 255


class InvalidReference(ValueError):
    pass


@dataclass(frozen=True)
class ImageRef:
    domain: str  # docker.io, registry.k8s.io, localhost:5000
    path: str  # library/nginx, kueue/kueue
    tag: str | None = None
    digest: str | None = None

    @property
    def repository(self) -> str:
        """``docker.io/library/nginx``."""
        return f"{self.domain}/{self.path}"

    def suffix(self) -> str:
        return (f":{self.tag}" if self.tag else "") + (f"@{self.digest}" if self.digest else "")

    def __str__(self) -> str:
        """Fully qualified, tag and digest as written (no ``:latest`` added)."""
        return self.repository + self.suffix()

    def pull_name(self) -> str:
        """What a pull fetches: fully qualified, ``:latest`` when neither tag nor digest is given."""
        return self.repository + (self.suffix() or ":latest")

    def familiar(self) -> str:
        """The short form Docker prints: ``nginx:1.27`` for ``docker.io/library/nginx:1.27``."""
        path = self.path
        if self.domain == DEFAULT_DOMAIN:
            if path.startswith("library/") and path.count("/") == 1:
                path = path[len("library/"):]
            return path + self.suffix()
        return str(self)

    def with_repository(self, repository: str) -> "ImageRef":
        """The same tag and digest under another repository (``REGISTRY/PATH``, parsed as written)."""
        other = parse(repository)
        return ImageRef(other.domain, other.path, self.tag, self.digest)


def _split_domain(name: str) -> tuple[str, str]:
    i = name.find("/")
    first = name[:i] if i >= 0 else ""
    if i == -1 or (not any(c in first for c in ".:") and first != "localhost" and first.lower() == first):
        domain, remainder = DEFAULT_DOMAIN, name
    else:
        domain, remainder = first, name[i + 1:]
    if domain == LEGACY_DOMAIN:
        domain = DEFAULT_DOMAIN
    if domain == DEFAULT_DOMAIN and "/" not in remainder:
        remainder = "library/" + remainder
    return domain, remainder


def parse(text: str) -> ImageRef:
    """Parse and normalise ``text``; raises :class:`InvalidReference` with the reason."""
    if not isinstance(text, str) or not text:
        raise InvalidReference("empty image reference")
    if text != text.strip() or any(c.isspace() for c in text):
        raise InvalidReference(f"{text!r}: whitespace in an image reference")
    name, digest = text, None
    if "@" in name:
        name, digest = name.split("@", 1)
        if not _DIGEST_RE.match(digest):
            raise InvalidReference(f"{text!r}: invalid digest {digest!r}")
    tag = None
    last = name.rsplit("/", 1)[-1]
    if ":" in last:
        name, tag = name.rsplit(":", 1)
        if not _TAG_RE.match(tag):
            raise InvalidReference(f"{text!r}: invalid tag {tag!r}")
    if not name:
        raise InvalidReference(f"{text!r}: no repository name")
    domain, path = _split_domain(name)
    if not _DOMAIN_RE.match(domain):
        raise InvalidReference(f"{text!r}: invalid registry host {domain!r}")
    if not _PATH_RE.match(path):
        if path.lower() != path and _PATH_RE.match(path.lower()):
            raise InvalidReference(f"{text!r}: repository names must be lower-case")
        raise InvalidReference(f"{text!r}: invalid repository name {path!r}")
    if len(f"{domain}/{path}") > NAME_TOTAL_LENGTH_MAX:
        raise InvalidReference(f"{text!r}: repository name longer than {NAME_TOTAL_LENGTH_MAX} characters")
    return ImageRef(domain, path, tag, digest)


def try_parse(text: str) -> ImageRef | None:
    try:
        return parse(text)
    except InvalidReference:
        return None


def looks_like_image(text: object) -> bool:
    """A string outside a container's ``image`` field that is an image reference with a registry or
    repository path, tag or digest (``kserve/agent:v0.20.0``) — not a bare word like ``driver``."""
    return isinstance(text, str) and any(c in text for c in "/:@") and "://" not in text \
        and try_parse(text) is not None


def parse_mirror(text: str) -> tuple[str, str]:
    """``REGISTRY[/PREFIX]`` of an image mirror → (registry host, prefix without slashes); raises
    :class:`InvalidReference` naming what is wrong."""
    if not text or not text.strip():
        raise InvalidReference("empty registry")
    if "://" in text:
        raise InvalidReference(f"{text!r}: give a registry host and optional path (REGISTRY[/PREFIX]), not a URL")
    text = text.strip().rstrip("/")
    host, _, prefix = text.partition("/")
    if not _DOMAIN_RE.match(host):
        raise InvalidReference(f"{text!r}: invalid registry host {host!r}")
    if prefix and not _PATH_RE.match(prefix):
        raise InvalidReference(f"{text!r}: invalid repository prefix {prefix!r} (lower-case path components)")
    if ":" in prefix or "@" in prefix:
        raise InvalidReference(f"{text!r}: a registry prefix has no tag or digest")
    return host, prefix


def mirrored(ref: ImageRef, registry: str, prefix: str = "") -> ImageRef:
    """``ref`` in the mirror, keeping its repository path: ``registry.k8s.io/kueue/kueue:v1`` →
    ``mirror.example.com/PREFIX/kueue/kueue:v1``; ``nginx`` → ``mirror.example.com/library/nginx``."""
    path = f"{prefix}/{ref.path}" if prefix else ref.path
    return ImageRef(registry, path, ref.tag, ref.digest)


@dataclass(frozen=True)
class Override:
    source: ImageRef
    target: ImageRef
    text: str  # SRC=DST as configured

    def matches(self, ref: ImageRef) -> bool:
        if ref.repository != self.source.repository:
            return False
        if self.source.tag is None and self.source.digest is None:
            return True  # a repository: every tag of it
        return (ref.tag, ref.digest) == (self.source.tag, self.source.digest) or (
            self.source.digest is None and ref.tag == self.source.tag)

    def apply(self, ref: ImageRef) -> str:
        if self.target.tag is None and self.target.digest is None:
            return str(ImageRef(self.target.domain, self.target.path, ref.tag, ref.digest))
        return str(self.target)


def parse_override(text: str) -> Override:
    """``SRC=DST`` (each an image reference; SRC without a tag matches every tag of it)."""
    src, sep, dst = str(text).partition("=")
    if not sep or not src.strip() or not dst.strip():
        raise ValueError(f"image override {text!r}: expected SRC=DST, e.g. nginx=mirror.example.com/web/nginx")
    try:
        return Override(parse(src.strip()), parse(dst.strip()), f"{src.strip()}={dst.strip()}")
    except ValueError as exc:
        raise ValueError(f"image override {text!r}: {exc}") from None
