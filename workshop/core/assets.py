"""Static files for phones on venue Wi-Fi: a content hash in every URL, a year in the cache,
compressed once at the best ratio.

`url_for('static', filename=…)` adds `?v=<hash of the file's content>`, so a changed file
gets a new URL and a URL with the current hash can be cached for good
(`public, max-age=31536000, immutable`). A request without the hash, or with an old one
(a page cached before a deploy), still gets the file, cached for `STATIC_MAX_AGE` seconds only.

`static/js/` holds ES modules that import each other by relative URL (`./live.js`), and a
relative URL drops the query. So the scripts share one version, the hash of all their
hashes, and carry it in the path instead: `js/live.js` is linked as
`/static/js/<version>/live.js`, and what it imports resolves to the same version. A change to
any script gives every script a new URL, so a page never combines a new module with a cached
old one.

Text files (CSS, JavaScript, SVG) are compressed with Brotli or gzip, as the browser accepts,
once per file version and kept in memory: at quality 11 Brotli takes tens of milliseconds per
file, too slow per request but a sixth smaller than per-request compression. Pages and JSON
are compressed per request by Flask-Compress, which leaves these responses alone (they
already carry a Content-Encoding).

Static responses are the same for every visitor, so they never carry the session cookie or
`Vary: Cookie`, and any cache (the phone's, or an nginx in front) can keep one copy.
"""

import gzip
import hashlib
import mimetypes
import os
import re
from dataclasses import dataclass, field

import brotli
from flask import Response, current_app, request, send_from_directory
from flask.sessions import SecureCookieSessionInterface
from werkzeug.exceptions import NotFound
from werkzeug.security import safe_join

YEAR = 365 * 24 * 3600
# Compressed copies are kept for these types up to this size. Fonts are read from disk by the
# PDF renderer, not by browsers; binary images are compressed already.
COMPRESSIBLE = {"text/css", "text/javascript", "application/javascript", "image/svg+xml",
                "application/json", "text/plain"}
MAX_COMPRESSED_SIZE = 1024 * 1024
ENCODINGS = ("br", "gzip")
# The ES modules' folder, versioned as one (see the module's docstring).
MODULES = "js"
MODULE_URL = re.compile(r"js/([0-9a-f]{12})/(.+)")


@dataclass
class Asset:
    path: str
    version: str
    mimetype: str
    size: int
    mtime: float
    data: bytes | None = None
    encoded: dict = field(default_factory=dict)

    @property
    def compressible(self):
        return self.data is not None

    def encoded_as(self, encoding):
        """The file compressed with `encoding` ("br" or "gzip"), made on first use."""
        if encoding not in self.encoded:
            if encoding == "br":
                body = brotli.compress(self.data, quality=11)
            else:
                body = gzip.compress(self.data, compresslevel=9, mtime=0)
            self.encoded[encoding] = body
        return self.encoded[encoding]


class StaticFiles:
    """Files of a static folder, each with its content hash; re-read when it changes."""

    def __init__(self):
        self._assets = {}

    def find(self, folder, filename):
        """The asset at `filename` inside `folder`, or None."""
        path = safe_join(folder, filename)
        if path is None:
            return None
        try:
            stat = os.stat(path)
        except OSError:
            return None
        if not os.path.isfile(path):
            return None
        key = (stat.st_mtime_ns, stat.st_size)
        known = self._assets.get(path)
        if known is not None and known[0] == key:
            return known[1]
        asset = self._load(path, stat)
        self._assets[path] = (key, asset)
        return asset

    def module_version(self, folder):
        """The version every file under `folder`/js shares: a hash of their names and
        content hashes."""
        root = os.path.join(folder, MODULES)
        digest = hashlib.sha256()
        for parent, dirs, files in os.walk(root):
            dirs.sort()
            for name in sorted(files):
                relative = os.path.relpath(os.path.join(parent, name), folder)
                asset = self.find(folder, relative)
                if asset is not None:
                    digest.update(f"{relative}\0{asset.version}\0".encode())
        return digest.hexdigest()[:12]

    def _load(self, path, stat):
        digest = hashlib.sha256()
        with open(path, "rb") as file:
            for chunk in iter(lambda: file.read(1 << 16), b""):
                digest.update(chunk)
        # Module scripts must come as JavaScript; RFC 9239 names text/javascript, whatever
        # the host's mime.types says.
        mimetype = ("text/javascript" if path.endswith(".js")
                    else mimetypes.guess_type(path)[0] or "application/octet-stream")
        data = None
        if mimetype in COMPRESSIBLE and stat.st_size <= MAX_COMPRESSED_SIZE:
            with open(path, "rb") as file:
                data = file.read()
        return Asset(path=path, version=digest.hexdigest()[:12], mimetype=mimetype,
                     size=stat.st_size, mtime=stat.st_mtime, data=data)


class SessionInterface(SecureCookieSessionInterface):
    """Flask's cookie sessions, except that a static file is the same for everyone: its
    response neither sets the cookie nor says `Vary: Cookie`. (Flask-Login looks into the
    session after every request, which would otherwise make each file vary by cookie, and a
    shared cache such as nginx's keep one copy per visitor.)"""

    def save_session(self, app, session, response):
        if request.endpoint == "static":
            return
        super().save_session(app, session, response)


def init_app(app):
    """Hash static URLs and serve static files through `serve`."""
    app.extensions["koers_static"] = StaticFiles()
    app.url_defaults(_add_version)
    app.view_functions["static"] = serve
    app.session_interface = SessionInterface()


def _add_version(endpoint, values):
    if endpoint != "static" or "filename" not in values or "v" in values:
        return
    filename = values["filename"]
    asset = _find(filename)
    if asset is None:
        return
    if filename.startswith(MODULES + "/"):
        values["filename"] = f"{MODULES}/{_module_version()}/{filename[len(MODULES) + 1:]}"
    else:
        values["v"] = asset.version


def _find(filename):
    return current_app.extensions["koers_static"].find(current_app.static_folder, filename)


def _module_version():
    return current_app.extensions["koers_static"].module_version(current_app.static_folder)


def serve(filename):
    """Anyone's browser: a static file, compressed when it helps, cached a year when the URL
    names its current content."""
    module = MODULE_URL.fullmatch(filename)
    if module:
        filename = f"{MODULES}/{module[2]}"
    asset = _find(filename)
    if asset is None:
        raise NotFound()
    version = _module_version() if module else asset.version
    hashed = (module[1] if module else request.args.get("v")) == version
    max_age = YEAR if hashed else current_app.config["SEND_FILE_MAX_AGE_DEFAULT"]
    encoding = request.accept_encodings.best_match(ENCODINGS) if asset.compressible else None
    if encoding:
        response = Response(asset.encoded_as(encoding), mimetype=asset.mimetype)
        response.headers["Content-Encoding"] = encoding
        response.set_etag(f"{asset.version}-{encoding}")
        response.last_modified = asset.mtime
        response.cache_control.public = True
        response.cache_control.max_age = max_age
        response.make_conditional(request)
    else:
        response = send_from_directory(current_app.static_folder, filename, max_age=max_age)
    if asset.compressible:
        response.vary.add("Accept-Encoding")
    if hashed:
        response.cache_control.immutable = True
    return response
