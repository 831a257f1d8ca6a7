"""Static files: hashed URLs cached for a year, compressed as the browser accepts."""

import gzip
import re
import shutil
from pathlib import Path
from urllib.parse import urljoin

import brotli
import pytest
from flask import url_for

from workshop.core.assets import MAX_COMPRESSED_SIZE

YEAR = "public, max-age=31536000, immutable"
ROOT = Path(__file__).resolve().parents[2]
SOCKET_IO = "vendor/socket.io-4.8.4/socket.io.min.js"


def _static_url(app, filename):
    with app.test_request_context():
        return url_for("static", filename=filename)


@pytest.fixture
def own_static(app, tmp_path):
    """The app serving a static folder the test may change."""
    folder = tmp_path / "static"
    (folder / "js").mkdir(parents=True)
    app.static_folder = str(folder)
    return folder


def test_a_static_url_carries_a_hash_that_changes_when_the_file_changes(app, own_static):
    sheet = own_static / "app.css"
    sheet.write_text("p { color: red; }\n")
    first = _static_url(app, "app.css")
    assert re.fullmatch(r"/static/app\.css\?v=[0-9a-f]{12}", first)
    assert _static_url(app, "app.css") == first
    sheet.write_text("p { color: blue; margin: 0; }\n")
    second = _static_url(app, "app.css")
    assert second != first
    assert re.fullmatch(r"/static/app\.css\?v=[0-9a-f]{12}", second)


def test_scripts_share_one_version_in_their_path_so_imports_stay_hashed(app, own_static):
    (own_static / "js" / "page.js").write_text('import { x } from "./shared.js";\n')
    shared = own_static / "js" / "shared.js"
    shared.write_text("export var x = 1;\n")
    page, dependency = _static_url(app, "js/page.js"), _static_url(app, "js/shared.js")
    assert re.fullmatch(r"/static/js/[0-9a-f]{12}/page\.js", page)
    # What the browser asks for when page.js imports "./shared.js": the linked, hashed URL.
    assert urljoin(page, "./shared.js") == dependency
    shared.write_text("export var x = 2, y = 3;\n")
    # A changed dependency changes the URL of the page's script too: no cached old copy.
    changed = _static_url(app, "js/page.js")
    assert changed != page
    assert urljoin(changed, "./shared.js") == _static_url(app, "js/shared.js") != dependency


def test_a_script_with_the_current_version_is_cached_for_a_year_an_old_one_briefly(app, client):
    url = _static_url(app, "js/live.js")
    response = client.get(url)
    assert response.status_code == 200
    assert response.headers["Cache-Control"] == YEAR
    assert response.mimetype == "text/javascript"  # module scripts are refused otherwise
    assert response.data == (ROOT / "static/js/live.js").read_bytes()
    for stale in ("/static/js/0123456789ab/live.js", "/static/js/live.js"):
        old = client.get(stale)
        assert old.status_code == 200
        assert old.data == response.data
        assert "immutable" not in old.headers["Cache-Control"]
        assert old.cache_control.max_age == app.config["SEND_FILE_MAX_AGE_DEFAULT"]
    assert client.get("/static/js/0123456789ab/nothing.js").status_code == 404


def test_pages_link_static_files_with_their_hash(client, make_facilitator):
    make_facilitator()
    page = client.get("/login").get_data(as_text=True)
    links = re.findall(r'(?:href|src)="(/static/[^"]+)"', page)
    assert links
    assert all(re.search(r"\?v=[0-9a-f]{12}$|^/static/js/[0-9a-f]{12}/", link)
               for link in links)


def test_a_hashed_static_url_is_cached_for_a_year(app, client):
    response = client.get(_static_url(app, "css/koers.css"))
    assert response.status_code == 200
    assert response.headers["Cache-Control"] == YEAR


def test_a_static_file_without_its_hash_is_served_with_a_short_lifetime(app, client):
    for url in ("/static/css/koers.css", "/static/css/koers.css?v=0123456789ab"):
        response = client.get(url)
        assert response.status_code == 200
        assert response.data == (ROOT / "static/css/koers.css").read_bytes()
        assert "immutable" not in response.headers["Cache-Control"]
        assert response.cache_control.max_age == app.config["SEND_FILE_MAX_AGE_DEFAULT"] <= 3600
        assert response.cache_control.public


@pytest.mark.parametrize(("accept", "encoding", "decompress"), [
    ("gzip, deflate", "gzip", gzip.decompress),
    ("gzip, deflate, br, zstd", "br", brotli.decompress),
])
def test_a_static_file_is_compressed_as_the_browser_accepts(app, client, accept, encoding,
                                                           decompress):
    original = (ROOT / "static" / SOCKET_IO).read_bytes()
    response = client.get(_static_url(app, SOCKET_IO), headers={"Accept-Encoding": accept})
    assert response.headers["Content-Encoding"] == encoding
    assert "Accept-Encoding" in response.headers["Vary"]
    assert response.headers["Cache-Control"] == YEAR
    assert int(response.headers["Content-Length"]) == len(response.data) < len(original) / 3
    assert decompress(response.data) == original


def test_a_static_file_is_the_same_for_every_visitor(app, client, make_facilitator):
    facilitator = make_facilitator()
    client.post("/login", data={"email": facilitator.email, "password": "correct horse battery"})
    assert client.get_cookie("session") is not None
    page = client.get("/")
    assert "Cookie" in page.headers["Vary"]
    response = client.get(_static_url(app, "css/koers.css"), headers={"Accept-Encoding": "br"})
    assert response.status_code == 200
    assert response.headers["Vary"] == "Accept-Encoding"
    assert "Set-Cookie" not in response.headers


def test_a_browser_that_accepts_no_compression_gets_the_plain_file(app, client):
    response = client.get(_static_url(app, "css/koers.css"),
                          headers={"Accept-Encoding": "identity"})
    assert "Content-Encoding" not in response.headers
    assert response.data == (ROOT / "static/css/koers.css").read_bytes()
    assert response.headers["Cache-Control"] == YEAR


def test_a_cached_static_file_is_revalidated_without_a_body(app, client):
    url = _static_url(app, "js/live.js")
    first = client.get(url, headers={"Accept-Encoding": "br"})
    again = client.get(url, headers={"Accept-Encoding": "br",
                                     "If-None-Match": first.headers["ETag"]})
    assert again.status_code == 304
    assert again.data == b""


def test_fonts_are_sent_as_they_are(app, client, own_static):
    shutil.copy(ROOT / "static/vendor/dejavu-fonts-2.37/DejaVuSans.ttf", own_static / "font.ttf")
    response = client.get(_static_url(app, "font.ttf"), headers={"Accept-Encoding": "br, gzip"})
    assert response.status_code == 200
    assert "Content-Encoding" not in response.headers
    assert response.headers["Cache-Control"] == YEAR
    assert response.data == (own_static / "font.ttf").read_bytes()


def test_a_large_text_file_is_compressed_per_request_not_kept(app, client, own_static):
    big = own_static / "big.js"
    big.write_text("x" * (MAX_COMPRESSED_SIZE + 1))
    response = client.get(_static_url(app, "big.js"), headers={"Accept-Encoding": "br, gzip"})
    assert response.headers["Cache-Control"] == YEAR
    assert response.headers["Content-Encoding"] == "br"
    assert brotli.decompress(response.data) == big.read_bytes()
    assert app.extensions["koers_static"].find(str(own_static), "big.js").data is None


def test_unknown_or_outside_static_files_are_not_found(client):
    assert client.get("/static/js/nothing.js").status_code == 404
    assert client.get("/static/../config.py").status_code == 404
    assert client.get("/static/js").status_code == 404


def test_pages_are_compressed_as_the_browser_accepts(client, make_facilitator):
    make_facilitator()
    plain = client.get("/login", headers={"Accept-Encoding": "identity"})
    assert "Content-Encoding" not in plain.headers
    for accept, encoding, decompress in (("gzip", "gzip", gzip.decompress),
                                         ("br, gzip", "br", brotli.decompress)):
        response = client.get("/login", headers={"Accept-Encoding": accept})
        assert response.status_code == 200
        assert response.headers["Content-Encoding"] == encoding
        assert "Accept-Encoding" in response.headers["Vary"]
        assert b"</html>" in decompress(response.data)
        assert len(response.data) < len(plain.data) / 2
