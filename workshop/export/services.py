"""One entry point for every export: which plan, which version, which format, which language.

Used by the download buttons and by `flask koers export`. A file on disk is written to a
temporary name beside it and renamed into place, so an export never leaves half a file.
"""

import os
import re
import tempfile
import unicodedata
from pathlib import Path

from flask_babel import force_locale
from flask_babel import lazy_gettext as _l

from workshop.core.errors import DomainError
from workshop.export import archive, docx, markdown, pdf, report, sheets
from workshop.orgs import audit

FORMATS = report.FORMATS
LANGUAGES = ("nl", "en")
RENDERERS = {"docx": docx.render, "pdf": pdf.render, "md": lambda r: markdown.render(r).encode(),
             "xlsx": sheets.xlsx, "csv": sheets.csv_zip}


def check_format(fmt):
    if fmt not in FORMATS:
        raise DomainError(_l("Unknown format “%(fmt)s”. Choose one of: %(all)s.",
                             fmt=fmt, all=", ".join(FORMATS)))
    return fmt


def filename(plan, fmt, number=None):
    """“strategisch-plan-2026-2030-v2.docx”: the plan title in plain letters."""
    dashed = re.sub(r"[\u2010-\u2015]", "-", plan.title)  # "2027–2032" keeps its dash
    plain = unicodedata.normalize("NFKD", dashed).encode("ascii", "ignore").decode()
    slug = re.sub(r"[^a-z0-9]+", "-", plain.lower()).strip("-")[:60] or "plan"
    suffix = report.SUFFIXES.get(fmt, fmt)
    return f"{slug}{f'-v{number}' if number else ''}.{suffix}"


def export(plan, fmt, number=None, lang=None):
    """(bytes, file name, media type) of the plan (or version `number`) in `fmt`.

    The whole-plan JSON is the plan as it is now (with all its versions inside);
    every other format shows the chosen version, or the plan now.
    """
    check_format(fmt)
    if lang is not None and lang not in LANGUAGES:
        raise DomainError(_l("Unknown language “%(lang)s”.", lang=lang))
    if fmt == "json":
        data = archive.dumps(plan).encode()
        return data, filename(plan, fmt), report.MEDIA_TYPES[fmt]
    if lang:
        with force_locale(lang):
            data = RENDERERS[fmt](report.build(plan, number))
    else:
        data = RENDERERS[fmt](report.build(plan, number))
    return data, filename(plan, fmt, number), report.MEDIA_TYPES[fmt]


def write_file(path, data):
    """Write `data` to `path` all at once: a temporary file beside it, then a rename."""
    path = Path(path)
    handle, temporary = tempfile.mkstemp(dir=path.parent or ".", prefix=f".{path.name}.")
    try:
        with os.fdopen(handle, "wb") as out:
            out.write(data)
            out.flush()
            os.fsync(out.fileno())
        os.replace(temporary, path)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise


def note_export(plan, fmt, number=None, actor=None):
    """The audit log's entry for a download or a shell export of the plan."""
    audit.record(plan.organisation_id, "exported", plan.title, actor, format=fmt,
                 version=number)
