"""Image references normalised as containerd / crane / Docker do (distribution/reference)."""

from __future__ import annotations

import pytest

from kfctl.util.imageref import InvalidReference, mirrored, parse, parse_mirror, parse_override


@pytest.mark.parametrize("text,full,pull,familiar", [
    ("nginx", "docker.io/library/nginx", "docker.io/library/nginx:latest", "nginx"),
    ("nginx:1.27", "docker.io/library/nginx:1.27", "docker.io/library/nginx:1.27", "nginx:1.27"),
    ("library/nginx:1.27", "docker.io/library/nginx:1.27", "docker.io/library/nginx:1.27", "nginx:1.27"),
    ("index.docker.io/library/nginx", "docker.io/library/nginx", "docker.io/library/nginx:latest", "nginx"),
    ("kserve/agent:v0.20.0", "docker.io/kserve/agent:v0.20.0", "docker.io/kserve/agent:v0.20.0", "kserve/agent:v0.20.0"),
    ("registry.k8s.io/kueue/kueue:v0.19.2", "registry.k8s.io/kueue/kueue:v0.19.2", "registry.k8s.io/kueue/kueue:v0.19.2",
     "registry.k8s.io/kueue/kueue:v0.19.2"),
    ("localhost/app", "localhost/app", "localhost/app:latest", "localhost/app"),
    ("localhost:5000/team/app:1", "localhost:5000/team/app:1", "localhost:5000/team/app:1", "localhost:5000/team/app:1"),
    ("Registry/app", "Registry/app", "Registry/app:latest", "Registry/app"),  # an upper-case first component is a host
    ("gcr.io/distroless/base@sha256:" + "a" * 64, "gcr.io/distroless/base@sha256:" + "a" * 64,
     "gcr.io/distroless/base@sha256:" + "a" * 64, "gcr.io/distroless/base@sha256:" + "a" * 64),
    ("quay.io/a/b:1.0@sha256:" + "0" * 64, "quay.io/a/b:1.0@sha256:" + "0" * 64, "quay.io/a/b:1.0@sha256:" + "0" * 64,
     "quay.io/a/b:1.0@sha256:" + "0" * 64),
])
def test_normalisation(text, full, pull, familiar):
    ref = parse(text)
    assert (str(ref), ref.pull_name(), ref.familiar()) == (full, pull, familiar)


@pytest.mark.parametrize("text,message", [
    ("", "empty image reference"),
    ("Nginx:1", "'Nginx:1': repository names must be lower-case"),
    ("docker.io/Library/nginx", "'docker.io/Library/nginx': repository names must be lower-case"),
    ("nginx:", "'nginx:': invalid tag ''"),
    ("nginx@sha256:abc", "'nginx@sha256:abc': invalid digest 'sha256:abc'"),
    ("ghcr.io/a b", "'ghcr.io/a b': whitespace in an image reference"),
    ("$(IMAGE)", "'$(IMAGE)': invalid repository name 'library/$(IMAGE)'"),
])
def test_invalid_references_say_why(text, message):
    with pytest.raises(InvalidReference) as exc:
        parse(text)
    assert str(exc.value) == message


def test_mirror_keeps_the_repository_path():
    host, prefix = parse_mirror("mirror.example.com:5000/ml/")
    assert (host, prefix) == ("mirror.example.com:5000", "ml")
    assert str(mirrored(parse("nginx:1.27"), host, prefix)) == "mirror.example.com:5000/ml/library/nginx:1.27"
    assert str(mirrored(parse("registry.k8s.io/kueue/kueue:v0.19.2"), "m.local")) == "m.local/kueue/kueue:v0.19.2"
    with pytest.raises(InvalidReference, match="not a URL"):
        parse_mirror("https://mirror.example.com")
    with pytest.raises(InvalidReference, match="invalid repository prefix 'ML'"):
        parse_mirror("mirror.example.com/ML")


def test_overrides_match_a_repository_or_one_tag():
    repo = parse_override("nginx=mirror.example.com/web/nginx")
    assert repo.matches(parse("docker.io/library/nginx:1.25")) and not repo.matches(parse("nginx-other:1"))
    assert repo.apply(parse("nginx:1.25")) == "mirror.example.com/web/nginx:1.25"
    one = parse_override("nginx:1.25=mirror.example.com/web/nginx:1.25-patched")
    assert one.matches(parse("nginx:1.25")) and not one.matches(parse("nginx:1.26"))
    assert one.apply(parse("nginx:1.25")) == "mirror.example.com/web/nginx:1.25-patched"
    with pytest.raises(ValueError) as exc:
        parse_override("nginx")
    assert str(exc.value) == "image override 'nginx': expected SRC=DST, e.g. nginx=mirror.example.com/web/nginx"
