"""Names several areas show for the same things."""

from flask_babel import lazy_gettext as _l

# The levels of a plan, as people read them.
LEVEL_LABELS = {
    "ambition": _l("Ambition"),
    "strategic_goal": _l("Strategic goal"),
    "operational_goal": _l("Operational goal"),
    "mission": _l("Mission statement"),
    "tagline": _l("Tagline"),
}
