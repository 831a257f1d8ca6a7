"""The draft plan as a PDF: the print template rendered by WeasyPrint.

Rendering reads only files under `static/` (the stylesheet and the embedded fonts);
every other address — http(s), data, a file elsewhere — is refused, so a PDF export
never touches the network whatever the plan's text contains.
"""

import mimetypes
from pathlib import Path
from urllib.parse import unquote, urlparse

from flask import current_app, render_template
from flask_babel import get_locale
from weasyprint import HTML
from weasyprint.urls import URLFetcher, URLFetcherResponse

from workshop.export import labels


class StaticOnlyFetcher(URLFetcher):
    """Serves file: URLs inside the static folder and refuses everything else."""

    def __init__(self, root):
        super().__init__(allowed_protocols=("file",))
        self.root = Path(root).resolve()

    def fetch(self, url, headers=None):
        parsed = urlparse(url)
        if parsed.scheme != "file":
            raise ValueError(f"Koers's PDF export fetches nothing over the network: {url}")
        path = Path(unquote(parsed.path)).resolve()
        if not path.is_relative_to(self.root) or not path.is_file():
            raise ValueError(f"Not a file of Koers's static folder: {url}")
        kind = mimetypes.guess_type(path.name)[0] or "application/octet-stream"
        return URLFetcherResponse(url, path.read_bytes(), headers={"Content-Type": kind})


def _html(report):
    return render_template("export/plan_pdf.html", report=report, doc=report["doc"],
                           meta=report["meta"], labels=labels, lang=str(get_locale() or "en"))


def _layout(html, static):
    return HTML(string=html, base_url=static.as_uri() + "/",
                url_fetcher=StaticOnlyFetcher(static)).render()


def layout(report):
    """The laid-out pages (WeasyPrint's Document) that `render` writes: tests measure
    them (does every line stay inside the page's margins?)."""
    return _layout(_html(report), Path(current_app.static_folder))


def render(report):
    html, static = _html(report), Path(current_app.static_folder)
    return off_the_event_loop(lambda: _layout(html, static).write_pdf())


def off_the_event_loop(work):
    """Run CPU-heavy `work` in a real thread when serving under gevent.

    Laying out a large plan takes seconds (docs/benchmarks.md); done in the event loop
    it would freeze every live workshop the process serves. In a thread of gevent's
    pool the loop keeps turning (the interpreter switches threads every few ms).
    """
    from gevent import get_hub, monkey

    if monkey.is_module_patched("threading"):
        return get_hub().threadpool.apply(work)
    return work()
