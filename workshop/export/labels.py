"""The fixed texts of every exported document, in the language chosen for the export."""

from flask_babel import format_date, format_decimal, ngettext
from flask_babel import lazy_gettext as _l

from workshop.core.labels import LEVEL_LABELS
from workshop.live.labels import VOTE_METHOD_LABELS

LEVELS = LEVEL_LABELS
METHODS = VOTE_METHOD_LABELS
STATUSES = {"draft": _l("Draft"), "review": _l("In review"), "final": _l("Final")}
REACTIONS = {"support": _l("Supports"), "concerns": _l("Supports, with concerns"),
             "object": _l("Objects")}
DISPOSITIONS = {"accepted": _l("Accepted"), "partly": _l("Partly accepted"),
                "rejected": _l("Not taken over"), "noted": _l("Noted"),
                None: _l("Not answered yet")}
INDICATOR_STATUSES = {"on_track": _l("On track"), "at_risk": _l("At risk"),
                      "off_track": _l("Off track"), "no_data": _l("No data yet")}
# A measured indicator without a status says what is missing (as on the dashboard).
UNJUDGED = {"no_target": _l("No target set"), "no_range": _l("No range set"),
            "no_baseline_one_value": _l("Waiting for a second measurement")}
VALUE_HEADINGS = {"dots": _l("Dots"), "score": _l("Mean score"), "rank": _l("Points")}

TEXT = {
    "version": _l("Version %(n)s"),
    "mission": _l("Mission statement"),
    "tagline": _l("Tagline"),
    "contents": _l("Contents"),
    "contents_hint": _l("Right-click and choose “Update field” to fill in the contents."),
    "no_items": _l("No ambitions yet."),
    "owner": _l("Owner"),
    "deadline": _l("Deadline"),
    "horizon": _l("Horizon"),
    "means": _l("Means and budget"),
    "appendix": _l("Appendix: how this plan was made"),
    "workshops": _l("Workshops"),
    "no_workshops": _l("No workshop has been held yet."),
    "participants": _l("Participants"),
    "group": _l("Group"),
    "no_group": _l("No group"),
    "anonymous": _l("Anonymous workshop"),
    "votes_on": _l("Vote: %(title)s (%(method)s)"),
    "item": _l("Item"),
    "votes": _l("Votes"),
    "total": _l("Total"),
    "split_hidden": _l("Group results are shown only when every group has enough voters."),
    "reviews": _l("Stakeholder review"),
    "no_reviews": _l("No review round has been held yet."),
    "round_of": _l("%(title)s, on version %(n)s, %(start)s – %(end)s"),
    "no_comments": _l("No comments."),
    "goal": _l("Goal"),
    "domain": _l("Work domain"),
    "level": _l("Level"),
    "parent": _l("Under"),
    "stakeholder": _l("Stakeholder"),
    "organisation": _l("Organisation"),
    "reaction": _l("Reaction"),
    "comment": _l("Comment"),
    "rewording": _l("Suggested wording"),
    "disposition": _l("Disposition"),
    "reply": _l("Reply"),
    "text": _l("Text"),
    "workshop": _l("Workshop"),
    "date": _l("Date"),
    "method": _l("Method"),
    "value": _l("Result"),
    "round": _l("Review round"),
    "indicator": _l("Indicator"),
    "latest": _l("Latest value"),
    "latest_date": _l("Measured on"),
    "target": _l("Target"),
    "target_date": _l("Target date"),
    "baseline": _l("Baseline"),
    "progress": _l("Progress (%)"),
    "status": _l("Status"),
    "overdue": _l("Measurement overdue"),
    "range": _l("Range"),
}


def t(key, **values):
    text = str(TEXT[key])
    return text % values if values else text


def voters(n):
    return ngettext("%(num)d voter", "%(num)d voters", n)


def comments_count(n):
    return ngettext("%(num)d comment", "%(num)d comments", n)


def status_line(meta):
    """“Version 2 · Final · 26 November 2026”, or the plan's status when not a version."""
    parts = [t("version", n=meta["number"])] if meta["number"] else []
    parts += [str(STATUSES.get(meta["status"], meta["status"])), day(meta["date"])]
    return " · ".join(parts)


def day(value):
    return format_date(value, "long") if value else ""


def number(value):
    if value is None:
        return "–"
    return format_decimal(value, format="#,##0.##")


def percent(value):
    """“34,2 %” in Dutch, “34.2%” in English; never broken before the %."""
    return str(_l("%(number)s%%", number=number(value)))


def group_name(name):
    return name if name else t("no_group")


def goal_details(node):
    """Owner, deadline and horizon of an item as one short line (empty when none)."""
    bits = []
    if node.get("horizon_year"):
        bits.append(f"{t('horizon')}: {node['horizon_year']}")
    if node.get("owner"):
        bits.append(f"{t('owner')}: {node['owner']}")
    if node.get("deadline"):
        bits.append(f"{t('deadline')}: {node['deadline']}")
    return " · ".join(bits)


def who(comment):
    """“Name, organisation, group” of a review comment (empty in an anonymous round)."""
    return ", ".join(p for p in (comment["name"], comment["organisation"], comment["group"]) if p)


def comment_text(comment):
    text = comment["text"]
    if comment["rewording"]:
        text += ("\n" if text else "") + f"{t('rewording')}: {comment['rewording']}"
    return text


def indicator_line(indicator):
    """“Jobs: 1,200 jobs (1 October 2026) · target 2,000 by 1 January 2027 · 45 % · On track”."""
    # A number keeps its unit and its % on the same line (no-break spaces).
    unit = f"\u00a0{indicator['unit']}" if indicator["unit"] else ""
    parts = [f"{indicator['name']}: "
             + (f"{number(indicator['latest_value'])}{unit}" if indicator["latest_value"]
                is not None else "–")
             + (f" ({day(indicator['latest_date'])})" if indicator["latest_date"] else "")]
    if indicator["direction"] == "range":
        parts.append(f"{t('range')} {number(indicator['range_low'])}–"
                     f"{number(indicator['range_high'])}{unit}")
    elif indicator["target_value"] is not None:
        parts.append(f"{t('target')} {number(indicator['target_value'])}{unit}"
                     + (f", {day(indicator['target_date'])}" if indicator["target_date"] else ""))
    if indicator["progress"] is not None:
        parts.append(percent(indicator["progress"]))
    status = str(UNJUDGED.get(indicator.get("reason"), INDICATOR_STATUSES[indicator["status"]])
                 if indicator["status"] == "no_data" else INDICATOR_STATUSES[indicator["status"]])
    if indicator["overdue"]:
        status += f" ({t('overdue').lower()})"
    parts.append(status)
    return " · ".join(parts)
