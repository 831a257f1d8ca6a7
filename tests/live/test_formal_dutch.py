"""Participants are addressed with the formal "u" in Dutch: pages, scripts and errors."""

import re
from pathlib import Path

from babel.messages.extract import extract_from_file
from flask_babel import force_locale, get_translations

from workshop.live.strings import participant_strings

ROOT = Path(__file__).resolve().parents[2]
INFORMAL = re.compile(r"\b(je|jij|jou|jouw|jezelf|jullie)\b", re.IGNORECASE)
KEYWORDS = {"_": None, "gettext": None, "ngettext": (1, 2), "_l": None, "lazy_gettext": None}
# What reaches a phone: its pages, and the rules whose refusals it shows.
SOURCES = [("workshop/live/participation.py", "python"), ("workshop/voting/ballots.py", "python"),
           ("workshop/live/events.py", "python"), ("workshop/voting/events.py", "python")] + [
    (f"templates/live/{page}.html", "jinja2")
    for page in ("join", "join_code", "join_closed", "participant", "phone_base")]
STAFF_ONLY = {"Your session has ended. Log in again."}  # a facilitator's log-in, never a phone


def _informal(texts):
    return [text for text in texts if INFORMAL.search(text)]


def test_the_phone_scripts_strings_say_u(app):
    with app.test_request_context(), force_locale("nl"):
        strings = participant_strings()
    texts = [t for v in strings.values() for t in (v if isinstance(v, list) else [v])
             if isinstance(t, str)]
    assert "Uw voorstellen" in texts
    assert _informal(texts) == []


def test_phone_pages_and_live_and_voting_messages_say_u(app):
    texts = []
    with app.test_request_context(), force_locale("nl"):
        catalogue = get_translations()
        for path, method in SOURCES:
            for _line, message, _comments, _context in extract_from_file(
                    method, ROOT / path, keywords=KEYWORDS):
                if message in STAFF_ONLY:
                    continue
                if isinstance(message, tuple):
                    texts += [catalogue.ngettext(*message[:2], n) for n in (1, 2)]
                else:
                    texts.append(catalogue.gettext(message))
    assert "U neemt deel aan" in texts and "Kies uw groep." in texts
    assert _informal(texts) == []


def test_the_join_page_in_dutch(client, make_workshop):
    workshop = make_workshop()
    page = client.get(f"/j/{workshop.code}", headers={"Accept-Language": "nl"}).get_data(
        as_text=True)
    assert "Uw naam" in page and "U bent hier als" in page
    assert _informal(re.sub(r"<[^>]+>", " ", page).split("\n")) == []
