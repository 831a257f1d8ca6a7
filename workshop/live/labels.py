"""Human names for item kinds and step states, in the user's language."""

from flask_babel import lazy_gettext as _l

ITEM_KIND_LABELS = {
    "mission": _l("Mission statement"),
    "tagline": _l("Tagline"),
    "ambition": _l("Ambition"),
    "strategic_goal": _l("Strategic goal"),
    "operational_goal": _l("Operational goal"),
    "indicator": _l("Indicator"),
}

STEP_KIND_LABELS = {
    "info": _l("Information"),
    "collect": _l("Collect proposals"),
    "vote": _l("Vote"),
}

VOTE_METHOD_LABELS = {
    "dots": _l("Dot voting"),
    "score": _l("Scores"),
    "rank": _l("Ranking"),
}

STEP_STATE_LABELS = {
    "pending": _l("Not started"),
    "open": _l("Live"),
    "paused": _l("Paused"),
    "closed": _l("Closed"),
}

WORKSHOP_STATUS_LABELS = {
    "draft": _l("Not started"),
    "running": _l("Running"),
    "finished": _l("Finished"),
}
