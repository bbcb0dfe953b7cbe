"""Read kubeconfig files the way kubectl does, without importing the kubernetes client.

``KUBECONFIG`` may list several files (``os.pathsep``-separated); maps are merged with the
first file that defines a name winning, and ``current-context`` is taken from the first file
that sets it (kubectl's merge rules).  Used by ``init`` and ``env add`` to turn a context name
into a destination (server + namespace); the cluster layer hands the same files to the
official client.
"""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from pathlib import Path

from kfctl.errors import ConfigError


@dataclass
class ContextInfo:
    name: str
    cluster: str
    server: str | None
    namespace: str | None
    user: str | None
    auth: str  # "exec:<command>", "token", "client-certificate", "auth-provider:<name>", "basic", "none"
    insecure: bool = False


@dataclass
class KubeConfig:
    files: list[Path]
    searched: list[Path] = field(default_factory=list)
    current_context: str | None = None
    contexts: dict[str, dict] = field(default_factory=dict)
    clusters: dict[str, dict] = field(default_factory=dict)
    users: dict[str, dict] = field(default_factory=dict)

    def context(self, name: str | None = None) -> ContextInfo:
        where = ", ".join(str(f) for f in self.files) or (
            "the kubeconfig (no file found at " + ", ".join(str(f) for f in self.searched) + ")")
        if name is None:
            name = self.current_context
            if not name:
                raise ConfigError(
                    f"{where}: no current-context set",
                    hint="pass --context NAME or --server URL",
                )
        ctx = self.contexts.get(name)
        if ctx is None:
            known = ", ".join(sorted(self.contexts)) or "none"
            raise ConfigError(f"context {name!r} not found in {where} (known contexts: {known})")
        cluster_name = ctx.get("cluster")
        cluster = self.clusters.get(cluster_name) if cluster_name else None
        if cluster is None:
            raise ConfigError(f"{where}: context {name!r} refers to cluster {cluster_name!r}, which is not defined")
        user_name = ctx.get("user")
        user = self.users.get(user_name, {}) if user_name else {}
        return ContextInfo(
            name=name,
            cluster=cluster_name,
            server=cluster.get("server"),
            namespace=ctx.get("namespace"),
            user=user_name,
            auth=_auth_kind(user),
            insecure=bool(cluster.get("insecure-skip-tls-verify")),
        )

    def context_for_server(self, server: str) -> str | None:
        """The first context whose cluster has this server URL (used to find credentials)."""
        want = server.rstrip("/")
        for name in sorted(self.contexts):
            cl = self.clusters.get(self.contexts[name].get("cluster") or "")
            if cl and str(cl.get("server", "")).rstrip("/") == want:
                return name
        return None


def _auth_kind(user: dict) -> str:
    if not user:
        return "none"
    if "exec" in user:
        return f"exec:{(user.get('exec') or {}).get('command', '?')}"
    if "auth-provider" in user:
        return f"auth-provider:{(user.get('auth-provider') or {}).get('name', '?')}"
    if user.get("token") or user.get("tokenFile"):
        return "token"
    if user.get("client-certificate") or user.get("client-certificate-data"):
        return "client-certificate"
    if user.get("username"):
        return "basic"
    return "none"


def kubeconfig_paths(explicit: str | None = None) -> list[Path]:
    if explicit:
        return [Path(explicit).expanduser()]
    env = os.environ.get("KUBECONFIG")
    if env:
        return [Path(p).expanduser() for p in env.split(os.pathsep) if p]
    return [Path.home() / ".kube" / "config"]


def load_kubeconfig(explicit: str | None = None) -> KubeConfig:
    from kfctl.util.yamlio import load_yaml_file

    paths = kubeconfig_paths(explicit)
    cfg = KubeConfig(files=[], searched=list(paths))
    for path in paths:
        if not path.exists():
            if explicit:
                raise ConfigError(f"{path}: kubeconfig file not found")
            continue  # kubectl ignores missing files listed in KUBECONFIG
        try:
            data = load_yaml_file(path)
        except Exception as exc:
            raise ConfigError(f"{getattr(exc, 'message', exc)}".replace("malformed YAML", "malformed kubeconfig")) from None
        cfg.files.append(path)
        if data is None:
            continue
        if not isinstance(data, dict):
            raise ConfigError(f"{path}: malformed kubeconfig: expected a mapping at the top level")
        if cfg.current_context is None and data.get("current-context"):
            cfg.current_context = str(data["current-context"])
        for section, target, inner in (
            ("contexts", cfg.contexts, "context"),
            ("clusters", cfg.clusters, "cluster"),
            ("users", cfg.users, "user"),
        ):
            entries = data.get(section) or []
            if not isinstance(entries, list):
                raise ConfigError(f"{path}: malformed kubeconfig: '{section}' must be a list")
            for entry in entries:
                if not isinstance(entry, dict) or "name" not in entry:
                    raise ConfigError(f"{path}: malformed kubeconfig: every entry of '{section}' needs a name")
                body = entry.get(inner) or {}
                if not isinstance(body, dict):
                    raise ConfigError(f"{path}: malformed kubeconfig: {section} {entry['name']!r} is not a mapping")
                target.setdefault(str(entry["name"]), body)
    return cfg


# ------------------------------------------------------------------ the official client's configuration
EXEC_TIMEOUT = 30.0  # a credential plugin that has not printed a credential by then is hung (= --request-timeout)
EXEC_TIMEOUT_INTERACTIVE = 300.0  # one waiting for a login on the terminal gets longer


def load_client_config(files: list[str], context: str, configuration, *, exec_timeout: float | None = None) -> None:
    """Fill a ``kubernetes.client.Configuration`` from the kubeconfig files for ``context``.

    The official loader does the work (merging, certificates, tokens, auth providers); exec
    credential plugins are run by :func:`run_exec_plugin` instead of the client's own runner,
    which logs a failure (``ERROR:root:...``) and goes on unauthenticated and has no timeout."""
    from kubernetes.config.config_exception import ConfigException
    from kubernetes.config.kube_config import KubeConfigLoader, KubeConfigMerger

    from kfctl.errors import KfctlError

    class Loader(KubeConfigLoader):
        def _load_from_exec_plugin(self):  # noqa: D401 - the client's extension point for exec auth
            return _load_exec(self, context, exec_timeout)

    try:
        merged = KubeConfigMerger(os.pathsep.join(files))
        if merged.config is None:
            raise ConfigError(f"{', '.join(files)}: no kubeconfig found")
        Loader(config_dict=merged.config, config_base_path=None, active_context=context).load_and_set(configuration)
    except KfctlError:
        raise
    except (ConfigException, ValueError, TypeError, OSError) as exc:
        raise ConfigError(f"kube context {context!r}: {_config_problem(exc)}") from None


def _config_problem(exc: Exception) -> str:
    from kfctl.kube.client import one_line

    return one_line(str(exc))


def check_data_fields(cfg: KubeConfig, context: str) -> None:
    """The base64 ``*-data`` fields of the context's cluster and user, checked before the client
    turns them into temporary files (its own error names neither the field nor the entry)."""
    import base64
    import binascii

    info = cfg.context(context)
    entries = [("cluster", info.cluster, cfg.clusters.get(info.cluster) or {}, ("certificate-authority-data",)),
               ("user", info.user, cfg.users.get(info.user or "") or {}, ("client-certificate-data", "client-key-data"))]
    for what, name, body, keys in entries:
        for key in keys:
            value = body.get(key)
            if value is None:
                continue
            try:
                raw = base64.b64decode("".join(str(value).split()), validate=True)
            except (binascii.Error, ValueError):
                raise ConfigError(f"kube context {context!r}: {key} of {what} {name!r} is not valid base64",
                                  hint="it must be the base64 of a PEM file, e.g. 'base64 -w0 ca.crt'") from None
            if key == "certificate-authority-data":
                _check_ca_pem(raw, context, name)


def _check_ca_pem(raw: bytes, context: str, cluster: str) -> None:
    import ssl

    text = raw.decode("ascii", "replace")
    if "-----BEGIN CERTIFICATE-----" not in text:
        problem = "it holds no PEM certificate (no '-----BEGIN CERTIFICATE-----' line)"
    else:
        try:
            ssl.create_default_context().load_verify_locations(cadata=text)
            return
        except (ssl.SSLError, ValueError):
            problem = "its PEM certificate is corrupt (cut short or edited?)"
    raise ConfigError(f"kube context {context!r}: certificate-authority-data of cluster {cluster!r} is not usable: "
                      f"{problem}", hint="copy it again from your cluster provider, or run "
                                         "'kubectl config view --raw' to see it")


def _load_exec(loader, context: str, timeout: float | None = None):
    from kubernetes.config.kube_config import FileOrData

    user = loader._user
    if "exec" not in user:
        return None
    cluster = loader._cluster
    base_path = loader._get_base_path(cluster.path)
    user_name = (loader._current_context.value.get("context") or {}).get("user") or "?"
    status = run_exec_plugin(user["exec"].value, user=user_name, context=context, cwd=base_path or None,
                             cluster=cluster.value, timeout=timeout)
    if status.get("token"):
        loader.token = "Bearer %s" % status["token"]
    else:
        loader.cert_file = FileOrData(status, None, data_key_name="clientCertificateData", file_base_path=base_path,
                                      base64_file_content=False, temp_file_path=loader._temp_file_path).as_file()
        loader.key_file = FileOrData(status, None, data_key_name="clientKeyData", file_base_path=base_path,
                                     base64_file_content=False, temp_file_path=loader._temp_file_path).as_file()
    if status.get("expirationTimestamp"):
        from kubernetes.config.dateutil import parse_rfc3339

        loader.expiry = parse_rfc3339(status["expirationTimestamp"])
    return True


def run_exec_plugin(spec: dict, *, user: str, context: str, cwd: str | None = None, cluster: dict | None = None,
                    timeout: float | None = None) -> dict:
    """Run a kubeconfig ``exec`` credential plugin (client.authentication.k8s.io) and return its
    ``status`` (token, or client certificate and key).  Every way it can fail is one line naming the
    plugin: not found, not executable, non-zero exit (with its stderr), output that is not an
    ExecCredential, no credential in it, or no answer within the timeout."""
    import json
    import subprocess
    import sys

    from kfctl.kube.client import one_line

    command = spec.get("command")
    api_version = spec.get("apiVersion")
    who = f"exec credential plugin {command!r} of user {user!r} (context {context!r})"
    if not command:
        raise ConfigError(f"user {user!r} (context {context!r}): exec credential plugin has no 'command'")
    if not api_version:
        raise ConfigError(f"{who}: the kubeconfig's exec entry has no 'apiVersion' "
                          "(e.g. client.authentication.k8s.io/v1beta1)")
    args = [str(command), *[str(a) for a in spec.get("args") or []]]
    env = os.environ.copy()
    for item in spec.get("env") or []:
        if isinstance(item, dict) and "name" in item:
            env[str(item["name"])] = str(item.get("value", ""))
    mode = spec.get("interactiveMode") or "IfAvailable"
    interactive = mode != "Never" and sys.stdin.isatty() and os.isatty(2)  # (fd 2: where its prompts go)
    info: dict = {"apiVersion": api_version, "kind": "ExecCredential", "spec": {"interactive": interactive}}
    if spec.get("provideClusterInfo") and cluster:
        cl = {k: v for k, v in cluster.items() if k != "extensions"}
        for ext in cluster.get("extensions") or []:
            if isinstance(ext, dict) and ext.get("name") == "client.authentication.k8s.io/exec":
                cl["config"] = ext.get("extension")
        info["spec"]["cluster"] = cl
    env["KUBERNETES_EXEC_INFO"] = json.dumps(info)
    # --request-timeout bounds a plugin that is not talking to a person (0: no limit)
    if interactive:
        timeout = EXEC_TIMEOUT_INTERACTIVE
    elif timeout is None:
        timeout = EXEC_TIMEOUT
    elif timeout == 0:
        timeout = None
    if os.sep in str(command) and not os.path.isabs(str(command)) and cwd:
        args[0] = os.path.join(cwd, str(command))  # kubectl: a relative path is relative to the kubeconfig
    hint = spec.get("installHint")
    try:
        proc = subprocess.run(args, stdin=None if interactive else subprocess.DEVNULL, stdout=subprocess.PIPE,
                              stderr=None if interactive else subprocess.PIPE, text=True, env=env, cwd=cwd,
                              timeout=timeout)
    except FileNotFoundError:
        raise ConfigError(f"{who} not found" + ("" if os.sep in str(command) else " on PATH"),
                          hint=one_line(hint, 200) if hint else "install it, or fix 'command' in the kubeconfig") from None
    except PermissionError:
        raise ConfigError(f"{who} is not executable",
                          hint=f"chmod +x {command}, or fix 'command' in the kubeconfig") from None
    except OSError as exc:
        raise ConfigError(f"{who} cannot be started: {exc.strerror or exc}") from None
    except subprocess.TimeoutExpired:
        raise ConfigError(f"{who} did not answer within {timeout:g}s (is it waiting for a login?)",
                          hint=f"run '{' '.join(args)}' by hand to see what it waits for") from None
    if proc.returncode != 0:
        err = (proc.stderr or "").strip()
        tail = " / ".join(line.strip() for line in err.splitlines()[-3:] if line.strip())
        said = f": {one_line(tail)}" if tail else (" (see its output above)" if interactive else " and printed nothing on stderr")
        raise ConfigError(f"{who} failed with exit code {proc.returncode}{said}")
    out = (proc.stdout or "").strip()
    try:
        data = json.loads(out)
    except ValueError:
        shown = one_line(out, 60) if out else "nothing"
        raise ConfigError(f"{who} printed {shown!r} instead of an ExecCredential (JSON)"
                          if out else f"{who} printed nothing (an ExecCredential was expected)") from None
    if not isinstance(data, dict) or data.get("kind") != "ExecCredential" or not isinstance(data.get("status"), dict):
        raise ConfigError(f"{who} printed JSON that is not an ExecCredential with a status")
    if data.get("apiVersion") != api_version:
        raise ConfigError(f"{who} answered with apiVersion {data.get('apiVersion')!r}, but the kubeconfig asks "
                          f"for {api_version!r}")
    status = data["status"]
    if not status.get("token") and not (status.get("clientCertificateData") and status.get("clientKeyData")):
        raise ConfigError(f"{who} returned no credential (neither a token nor a client certificate and key)")
    return status
