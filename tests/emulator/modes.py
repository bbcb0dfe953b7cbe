"""Server modes for client-robustness tests: something that is not a Kubernetes API server.

- "kubernetes": the API server (the default).
- "not-kubernetes": a plain web server (nginx's default site) - `/` is its welcome page, every other path a 404
  HTML page; a kubeconfig pointing at the wrong port or host.
- "login-page": every path answers 200 with an HTML sign-in page, as an SSO proxy or captive portal does.
- "unresponsive": TCP connections are accepted (the kernel completes the handshake) and nothing is ever read or
  answered - not even the TLS handshake; a hung server or a black-holing proxy. Requests already read hang too.
"""

from __future__ import annotations

MODES = ("kubernetes", "not-kubernetes", "login-page", "unresponsive")
WEB_PAGES = ("not-kubernetes", "login-page")

NGINX_WELCOME = b"""<!DOCTYPE html>
<html>
<head>
<title>Welcome to nginx!</title>
</head>
<body>
<h1>Welcome to nginx!</h1>
<p>If you see this page, the nginx web server is successfully installed and
working. Further configuration is required.</p>
</body>
</html>
"""
NGINX_404 = b"""<html>
<head><title>404 Not Found</title></head>
<body>
<center><h1>404 Not Found</h1></center>
<hr><center>nginx/1.27.4</center>
</body>
</html>
"""
LOGIN_PAGE = b"""<!DOCTYPE html>
<html lang="en">
<head><meta charset="utf-8"><title>Sign in</title></head>
<body>
<form method="post" action="/oauth2/sign_in"><h1>Sign in to continue</h1>
<input name="username"><input name="password" type="password"><button>Sign in</button></form>
</body>
</html>
"""


def check(mode: str) -> str:
    if mode not in MODES:
        raise ValueError(f"unknown emulator mode {mode!r}; one of {', '.join(MODES)}")
    return mode


def web_page(mode: str, path: str) -> tuple[int, bytes]:
    if mode == "login-page":
        return 200, LOGIN_PAGE
    if path in ("/", "/index.html"):
        return 200, NGINX_WELCOME
    return 404, NGINX_404
