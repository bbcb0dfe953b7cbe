"""kfctl images and the env image mirror through the CLI: settings edited in place, every command sees
the mirror, the air-gap list formats against their upstream schemas, one-line errors."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
import yaml

from tests.conftest import run_kfctl

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture
def web_app(app_dir):
    run_kfctl("generate", "deployed-service", "web", "--image", "nginx:1.27", cwd=app_dir, check=0)
    run_kfctl("generate", "deployed-service", "api", "--image", "ghcr.io/acme/api:2.1", cwd=app_dir, check=0)
    return app_dir


def _images(obj_list):
    return sorted(c["image"] for o in obj_list if o["kind"] == "Deployment"
                  for c in o["spec"]["template"]["spec"]["containers"])


def test_mirror_settings_are_stored_in_place_and_every_command_sees_them(web_app):
    app_yaml = web_app / "app.yaml"
    app_yaml.write_text(app_yaml.read_text().replace("environments:\n", "environments:  # envs of demo\n"))
    run_kfctl("env", "set", "default", "--image-registry", "mirror.example.com:5000/ml/",
              "--image-override", "ghcr.io/acme/api=mirror.example.com:5000/acme-api", cwd=web_app, check=0)
    doc = yaml.safe_load(app_yaml.read_text())
    assert doc["environments"]["default"]["kfctl"] == {
        "imageRegistry": "mirror.example.com:5000/ml",
        "imageOverrides": {"ghcr.io/acme/api": "mirror.example.com:5000/acme-api"}}
    assert "environments:  # envs of demo\n" in app_yaml.read_text()

    shown = json.loads(run_kfctl("show", "-o", "json", cwd=web_app, check=0).stdout)["items"]
    assert _images(shown) == ["mirror.example.com:5000/acme-api:2.1", "mirror.example.com:5000/ml/library/nginx:1.27"]
    run_kfctl("export", "default", str(web_app / "out"), cwd=web_app, check=0)
    exported = yaml.safe_load((web_app / "out" / "demo-ns" / "Deployment-web.yaml").read_text())
    assert exported["spec"]["template"]["spec"]["containers"][0]["image"] == "mirror.example.com:5000/ml/library/nginx:1.27"

    res = run_kfctl("images", cwd=web_app, check=0)
    assert res.stdout.splitlines() == [
        "IMAGE                        MIRROR                                        USED BY",
        "=====                        ======                                        =======",
        "docker.io/library/nginx:1.27 mirror.example.com:5000/ml/library/nginx:1.27 "
        "web/Deployment demo-ns/web (spec.template.spec.containers[web].image)",
        "ghcr.io/acme/api:2.1         mirror.example.com:5000/acme-api:2.1          "
        "api/Deployment demo-ns/api (spec.template.spec.containers[api].image)",
    ]
    assert res.stderr == "2 image(s) in env default\n"
    data = json.loads(run_kfctl("images", "-o", "json", cwd=web_app, check=0).stdout)
    assert data["images"][0] == {
        "image": "docker.io/library/nginx:1.27", "written": ["nginx:1.27"],
        "mirrors": {"default": "mirror.example.com:5000/ml/library/nginx:1.27"}, "valid": True, "notes": [],
        "usedBy": [{"env": "default", "component": "web", "kind": "Deployment", "namespace": "demo-ns", "name": "web",
                    "field": "spec.template.spec.containers[web].image", "type": "container"}]}

    # removing: the override, then the registry
    run_kfctl("env", "set", "default", "--image-override", "ghcr.io/acme/api=", cwd=web_app, check=0)
    assert yaml.safe_load(app_yaml.read_text())["environments"]["default"]["kfctl"] == {
        "imageRegistry": "mirror.example.com:5000/ml"}
    run_kfctl("env", "set", "default", "--image-registry", "", cwd=web_app, check=0)
    assert "kfctl" not in yaml.safe_load(app_yaml.read_text())["environments"]["default"] or \
        yaml.safe_load(app_yaml.read_text())["environments"]["default"]["kfctl"] == {}
    shown = json.loads(run_kfctl("show", "-o", "json", cwd=web_app, check=0).stdout)["items"]
    assert _images(shown) == ["ghcr.io/acme/api:2.1", "nginx:1.27"]
    assert run_kfctl("images", cwd=web_app, check=0).stdout.splitlines()[0].split() == ["IMAGE", "USED", "BY"]


def test_env_add_takes_the_mirror_and_diff_between_envs_shows_it(web_app):
    run_kfctl("env", "add", "air", "--server", "https://air.example:6443", "-n", "demo-ns",
              "--image-registry", "registry.air.local", cwd=web_app, check=0)
    res = run_kfctl("diff", "default", "air", cwd=web_app)
    assert res.exit_code == 1
    changed = sorted(line for line in res.stdout.splitlines() if line.startswith(("-", "+")) and "image" in line)
    assert changed == ["+      - image: registry.air.local/acme/api:2.1", "+      - image: registry.air.local/library/nginx:1.27",
                       "-      - image: ghcr.io/acme/api:2.1", "-      - image: nginx:1.27"]


def test_list_formats_for_air_gap_tools(web_app):
    plain = run_kfctl("images", "--format", "plain", cwd=web_app, check=0).stdout
    assert plain == "docker.io/library/nginx:1.27\nghcr.io/acme/api:2.1\n"
    hauler = yaml.safe_load(run_kfctl("images", "--format", "hauler", cwd=web_app, check=0).stdout)
    assert hauler == {"apiVersion": "content.hauler.cattle.io/v1", "kind": "Images", "metadata": {"name": "demo-images"},
                      "spec": {"images": [{"name": "docker.io/library/nginx:1.27"}, {"name": "ghcr.io/acme/api:2.1"}]}}
    # hauler v2.0.3 pkg/apis/hauler.cattle.io/v1/image.go: Image has these JSON fields (name required)
    hauler_fields = {"name", "key", "use-tlog-verify", "certificate-identity", "certificate-identity-regexp",
                     "certificate-oidc-issuer", "certificate-oidc-issuer-regexp",
                     "certificate-github-workflow-repository", "platform", "rewrite", "exclude-extras", "local"}
    assert all(set(i) <= hauler_fields and i["name"] for i in hauler["spec"]["images"])

    import jsonschema

    zarf = yaml.safe_load(run_kfctl("images", "--format", "zarf", cwd=web_app, check=0).stdout)
    assert zarf == {"apiVersion": "zarf.dev/v1alpha1", "kind": "ZarfPackageConfig",
                    "metadata": {"name": "demo-images", "description": "Images of kfctl app demo (env default)"},
                    "components": [{"name": "images", "required": True,
                                    "images": ["docker.io/library/nginx:1.27", "ghcr.io/acme/api:2.1"]}]}
    (schema,) = json.loads((ROOT / "registry/schemas/upstream/zarf/package-schema.json").read_text())
    jsonschema.Draft202012Validator(schema).validate(zarf)
    broken = {**zarf, "metadata": {"name": "Demo Images"}}
    assert [e.message for e in jsonschema.Draft202012Validator(schema).iter_errors(broken)] == [
        "'Demo Images' does not match '^[a-z0-9][a-z0-9\\\\-]*$'"]


@pytest.mark.parametrize("args,message", [
    (["env", "set", "default", "--image-registry", "https://mirror.example.com"],
     "error: --image-registry 'https://mirror.example.com': give a registry host and optional path (REGISTRY[/PREFIX]), "
     "not a URL"),
    (["env", "set", "default", "--image-registry", "mirror.example.com/Team"],
     "error: --image-registry 'mirror.example.com/Team': invalid repository prefix 'Team' (lower-case path components)"),
    (["env", "set", "default", "--image-override", "nginx"],
     "error: --image-override: image override 'nginx': expected SRC=DST, e.g. nginx=mirror.example.com/web/nginx"),
    (["env", "set", "default", "--image-override", "nginx=Mirror/x y"],
     "error: --image-override: image override 'nginx=Mirror/x y': 'Mirror/x y': whitespace in an image reference"),
    (["env", "set", "default", "--image-override", "busybox="],
     "error: --image-override busybox=: environment 'default' has no override for busybox; see 'kfctl env describe default'"),
    (["images", "-o", "xml"], "error: unknown output format 'xml': use table, json or yaml"),
    (["images", "--format", "oras"], "error: unknown list format 'oras': use plain, hauler or zarf"),
    (["images", "--format", "plain", "-o", "json"],
     "error: --format and --output are exclusive: --format writes the list an air-gap tool reads"),
    (["images", "default", "--all-envs"], "error: give an environment or --all-envs, not both"),
])
def test_bad_input_is_one_line(app_dir, args, message):
    before = (app_dir / "app.yaml").read_bytes()
    res = run_kfctl(*args, cwd=app_dir)
    assert (res.exit_code, res.stderr.strip().splitlines(), res.stdout) == (2, [message], "")
    assert (app_dir / "app.yaml").read_bytes() == before


def test_two_images_on_one_mirror_name_are_refused(app_dir):
    run_kfctl("generate", "deployed-service", "a", "--image", "quay.io/team/app:1", cwd=app_dir, check=0)
    run_kfctl("generate", "deployed-service", "b", "--image", "ghcr.io/team/app:1", cwd=app_dir, check=0)
    run_kfctl("env", "set", "default", "--image-registry", "m.local", cwd=app_dir, check=0)
    res = run_kfctl("show", cwd=app_dir)
    assert res.exit_code == 1 and res.stdout == ""
    assert res.stderr.strip().splitlines() == [
        "error: images quay.io/team/app:1 (a/Deployment/demo-ns/a) and ghcr.io/team/app:1 (b/Deployment/demo-ns/b) "
        "would both be pulled as m.local/team/app:1 from the mirror; give one its own name: kfctl env set default "
        "--image-override ghcr.io/team/app:1=REGISTRY/PATH"]
    run_kfctl("env", "set", "default", "--image-override", "ghcr.io/team/app=m.local/ghcr/team/app", cwd=app_dir, check=0)
    shown = json.loads(run_kfctl("show", "-o", "json", cwd=app_dir, check=0).stdout)["items"]
    assert _images(shown) == ["m.local/ghcr/team/app:1", "m.local/team/app:1"]


def test_apply_pulls_from_the_mirror(kube_app, emulator):
    from kfctl.app.environments import set_env
    from kfctl.ops import deploy

    set_env(kube_app, "default", image_registry="mirror.example.com/ml")
    out = deploy.apply(kube_app, kube_app.env("default"))
    assert out.report.ok
    dep = emulator.get("Deployment", "web", "ml")
    assert dep["spec"]["template"]["spec"]["containers"][0]["image"] == "mirror.example.com/ml/library/nginx:1.27"
