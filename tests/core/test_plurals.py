"""Counted nouns are plural-aware in both languages: no "1 stippen", no "1 comments".

The catalogue is the list of every sentence Koers can show; a singular msgid with a
number in front of a word ("%(n)d items") is a sentence that is wrong for n = 1 in
English or Dutch. Those must be ngettext (or lazy_ngettext) with both forms.
"""

import datetime as dt
import io
import re
from pathlib import Path

import openpyxl
import pytest
from babel.messages.pofile import read_po
from flask_babel import force_locale

TRANSLATIONS = Path(__file__).resolve().parents[2] / "workshop" / "translations"

# A number, then a word: a counted noun. Words that only join ("2 of 5", "from 1 to 5",
# "version 2 saved") are not nouns.
NOT_NOUNS = r"(?:and|or|of|to|by|in|on|saved|more)\b"
COUNTED = re.compile(r"%\(\w+\)d\s+(?!" + NOT_NOUNS + r")[^\W\d_]"
                     r"|%\((?:n|num|count|total)\)s\s+(?!" + NOT_NOUNS + r")[^\W\d_]")
# Where a plural makes no sense: unit symbols, and a counter whose noun belongs to its
# maximum (always many).
ALLOWED = {
    "%(m)d min", "%(s)d s", "%(m)d min %(s)d s",
    "%(n)s / %(max)s characters",
    # "Top 1" and "top 5" read the same: the number names a rank, not a count of nouns.
    "Top %(n)s per work domain", "Projector: top %(n)s per work domain",
}


def _catalogue(path):
    with open(path, "rb") as handle:
        return read_po(handle)


def test_no_singular_string_counts_a_noun():
    template = _catalogue(TRANSLATIONS / "messages.pot")
    counted = sorted(m.id for m in template if m.id and not m.pluralizable
                     and COUNTED.search(m.id))
    assert [s for s in counted if s not in ALLOWED] == []


@pytest.mark.parametrize("msgid, flagged", [
    ("%(n)d items", True), ("Maximaal %(n)d stippen per item", True),
    ("%(count)s comments", True), ("Version %(n)d", False),
    ("Give a score from %(a)d to %(b)d.", False), ("Dots left: %(n)s of %(max)s", False),
])
def test_the_check_tells_counted_nouns_from_other_numbers(msgid, flagged):
    assert bool(COUNTED.search(msgid)) is flagged


def test_every_plural_has_both_dutch_forms_with_the_number():
    dutch = _catalogue(TRANSLATIONS / "nl" / "LC_MESSAGES" / "messages.po")
    assert dutch.num_plurals == 2
    for message in dutch:
        if message.pluralizable:
            singular, plural = message.string
            for form in (singular, plural):
                assert "%(num)d" in form or "%(num)s" in form, message.id


@pytest.mark.parametrize("lang, one, three", [
    ("en", ("1 voter", "1 comment"), ("3 voters", "3 comments")),
    ("nl", ("1 stemmer", "1 opmerking"), ("3 stemmers", "3 opmerkingen")),
])
def test_export_counts_follow_the_number(app, lang, one, three):
    from workshop.export import labels

    with app.test_request_context(), force_locale(lang):
        assert (labels.voters(1), labels.comments_count(1)) == one
        assert (labels.voters(3), labels.comments_count(3)) == three


@pytest.mark.parametrize("lang, texts", [
    ("en", {1: "Store this 1 measurement", 3: "Store these 3 measurements"}),
    ("nl", {1: "Deze 1 meting opslaan", 3: "Deze 3 metingen opslaan"}),
])
def test_import_button_counts_the_rows_it_stores(logged_in, make_plan, lang, texts):
    from workshop.monitor import services
    from workshop.tree import services as tree

    plan = make_plan(domains=["Economie"])
    ambition = tree.add_item(plan, "ambition", plan.domains[0].id, "Een sterke regio")
    goal = tree.add_item(plan, "strategic_goal", plan.domains[0].id, "Meer jobs", ambition.id)
    services.add_indicator(plan, goal.id, {"name": "Jobs", "direction": "up"})
    logged_in.get(f"/language/{lang}")
    for n, text in texts.items():
        book = openpyxl.Workbook()
        book.active.append(["indicator", "datum", "waarde"])
        for month in range(1, n + 1):
            book.active.append(["Jobs", dt.date(2025, month, 1), month])
        data = io.BytesIO()
        book.save(data)
        data.seek(0)
        page = logged_in.post(f"/plans/{plan.id}/monitor/import",
                              data={"file": (data, "metingen.xlsx")},
                              content_type="multipart/form-data").get_data(as_text=True)
        assert text in page


@pytest.mark.parametrize("lang, text", [("en", "At most 500 characters."),
                                        ("nl", "Maximaal 500 tekens.")])
def test_a_limit_error_counts_in_the_users_language(app, lang, text):
    from workshop.core.errors import DomainError
    from workshop.monitor import services

    with app.test_request_context(), force_locale(lang):
        with pytest.raises(DomainError) as error:
            services._measurement_fields({"date": "2025-01-01", "value": "1", "note": "x" * 501},
                                         dt.date(2025, 6, 1))
        assert str(error.value.message) == text
