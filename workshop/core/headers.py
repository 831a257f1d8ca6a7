"""Security headers on every response, and the per-page domain colours they make necessary.

Every response Flask sends (pages, JSON, static files, downloads, error pages) carries:

- a strict Content-Security-Policy: scripts, styles, images, fonts and connections from
  Koers's own origin only, no inline script or style attribute, no plugins, no `<base>`,
  forms posting only here, and no framing (`frame-ancestors 'none'`: the console cannot be
  put in someone else's frame to trick a facilitator into "Finish workshop");
- `X-Frame-Options: DENY` for browsers too old for `frame-ancestors`;
- `X-Content-Type-Options: nosniff`;
- `Referrer-Policy`: `no-referrer` on pages whose address holds a secret (a stakeholder's
  `/r/<token>`, a public progress link `/p/<token>`, a join code `/j/…` and `/w/…`, and
  `/language/…`, whose `next` may be any of those), `strict-origin-when-cross-origin`
  elsewhere;
- `Cross-Origin-Opener-Policy: same-origin` (Koers opens no cross-origin windows);
- `Strict-Transport-Security` only when the request came over HTTPS (`request.is_secure`,
  which honours X-Forwarded-Proto when TRUSTED_PROXY_COUNT is set).

Domain colours are data, so they cannot live in koers.css, and `style="--domain: …"`
attributes are inline styles the policy refuses. Templates call `colour_class(colour)`
instead, which records the colour for this request and returns a class name; base.html
renders the page's body first, then one `<style nonce="…">` in <head> with a rule per
colour used (`csp_nonce()` gives the nonce the policy allows). Only `#rrggbb` colours get
a rule, so nothing but a colour can reach the style sheet.

Socket.IO's own responses (`/socket.io/…` polling) never reach Flask: Flask-SocketIO's
middleware answers them. `SocketHeaders` wraps that middleware and gives them the fixed
headers (with a policy that allows nothing at all, as they are never documents).
"""

import secrets

from flask import g, request
from markupsafe import Markup

from workshop.core.colours import HEX_COLOUR, text_on

YEAR = 365 * 24 * 3600

# Paths whose address holds a secret: the Referer must never carry them elsewhere.
SECRET_PATH_PREFIXES = ("/r/", "/p/", "/j/", "/w/", "/language/")


def _policy(nonce, websocket_origin):
    style = "'self'" + (f" 'nonce-{nonce}'" if nonce else "")
    connect = "'self'" + (f" {websocket_origin}" if websocket_origin else "")
    return "; ".join((
        "default-src 'self'",
        "script-src 'self'",
        f"style-src {style}",
        "img-src 'self'",
        "font-src 'self'",
        # 'self' covers ws(s) of the same host in CSP 3; older Safari needs it spelled out.
        f"connect-src {connect}",
        "object-src 'none'",
        "base-uri 'none'",
        "form-action 'self'",
        "frame-ancestors 'none'",
    ))


FIXED = {
    "X-Content-Type-Options": "nosniff",
    "X-Frame-Options": "DENY",
    "Cross-Origin-Opener-Policy": "same-origin",
}


def referrer_policy(path):
    """`no-referrer` where the address holds a secret, else the browsers' usual default."""
    if path.startswith(SECRET_PATH_PREFIXES) or path == "/j":
        return "no-referrer"
    return "strict-origin-when-cross-origin"


def csp_nonce():
    """This response's nonce for a `<style>` element (made on first use)."""
    if "csp_nonce" not in g:
        g.csp_nonce = secrets.token_urlsafe(16)
    return g.csp_nonce


def colour_class(colour):
    """The class that gives an element the domain colour `colour` (custom properties
    --domain, --domain-text, --chip, --chip-text and --dot), or "" for no valid colour."""
    if not colour or not HEX_COLOUR.fullmatch(colour):  # fullmatch: no trailing newline
        return ""
    colour = colour.lower()
    g.setdefault("page_colours", set()).add(colour)
    return "colour-" + colour[1:]


def colour_styles():
    """A `<style>` element with a rule per colour `colour_class` handed out so far."""
    colours = sorted(g.get("page_colours", ()))
    if not colours:
        return ""
    rules = "\n".join(
        f".colour-{c[1:]} {{ --domain: {c}; --domain-text: {text_on(c)}; --chip: {c}; "
        f"--chip-text: {text_on(c)}; --dot: {c}; }}"
        for c in colours
    )
    # format() escapes both values; neither a nonce nor these rules hold a character it changes.
    return Markup('<style nonce="{}">\n{}\n</style>').format(csp_nonce(), rules)


def add_headers(response):
    """After every Flask request: the security headers (see the module's docstring)."""
    host = request.host  # Werkzeug gives "" for a Host header with characters beyond host:port
    websocket = f"{'wss' if request.is_secure else 'ws'}://{host}" if host else None
    response.headers["Content-Security-Policy"] = _policy(g.get("csp_nonce"), websocket)
    for name, value in FIXED.items():
        response.headers[name] = value
    response.headers["Referrer-Policy"] = referrer_policy(request.path)
    if request.is_secure:
        response.headers["Strict-Transport-Security"] = f"max-age={YEAR}"
    return response


class SocketHeaders:
    """WSGI middleware: the fixed headers on responses that bypass Flask (Socket.IO's)."""

    POLICY = "default-src 'none'; frame-ancestors 'none'"

    def __init__(self, wsgi_app):
        self.wsgi_app = wsgi_app

    def __call__(self, environ, start_response):
        def start(status, headers, exc_info=None):
            present = {name.lower() for name, _ in headers}
            extra = [("Content-Security-Policy", self.POLICY), ("Referrer-Policy", "no-referrer"),
                     *FIXED.items()]
            if environ.get("wsgi.url_scheme") == "https":
                extra.append(("Strict-Transport-Security", f"max-age={YEAR}"))
            headers = list(headers) + [(n, v) for n, v in extra if n.lower() not in present]
            return start_response(status, headers, exc_info)

        return self.wsgi_app(environ, start)


def init_app(app):
    """Headers on every response; `colour_class`, `colour_styles` and `csp_nonce` in
    templates. Call after Socket.IO's init_app, whose middleware this wraps."""
    app.after_request(add_headers)
    app.jinja_env.globals.update(csp_nonce=csp_nonce, colour_class=colour_class,
                                 colour_styles=colour_styles)
    app.wsgi_app = SocketHeaders(app.wsgi_app)
