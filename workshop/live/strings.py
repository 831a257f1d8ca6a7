"""The translated strings each live screen's script needs, sent with the page."""

from flask_babel import get_translations
from flask_babel import gettext as _

from workshop.live.labels import ITEM_KIND_LABELS, STEP_STATE_LABELS, VOTE_METHOD_LABELS


def ngettext(singular, plural):
    """Both forms of a plural string, not filled in, for Koers.tn in the scripts.

    Not flask_babel's ngettext (the script knows the number, the server does not), but
    named so that `make messages` extracts it as a plural. Dutch and English both use the
    first form for exactly 1 and the second for every other number.
    """
    translations = get_translations()
    return [translations.ngettext(singular, plural, 1),
            translations.ngettext(singular, plural, 2)]


def _common():
    return {
        "Time left: %(t)s": _("Time left: %(t)s"),
        "Something went wrong on our side. Try again.":
            _("Something went wrong on our side. Try again."),
        "states": {k: str(v) for k, v in STEP_STATE_LABELS.items()},
        "methods": {k: str(v) for k, v in VOTE_METHOD_LABELS.items()},
        "item_kinds": {k: str(v) for k, v in ITEM_KIND_LABELS.items()},
    }


def _results():
    return {
        "Voters: %(n)s": _("Voters: %(n)s"),
        "Item": _("Item"), "Result": _("Result"), "groups differ": _("groups differ"),
        "Whole plan": _("Whole plan"),
        "Nothing to vote on here yet.": _("Nothing to vote on here yet."),
    }


def _presenter():
    return {
        "and %(num)s more": ngettext("and %(num)s more", "and %(num)s more"),
        "By group:": _("By group:"),
        "The groups rank this item far apart": _("The groups rank this item far apart"),
        "Top %(n)s per work domain": _("Top %(n)s per work domain"),
        "Page %(n)s of %(total)s": _("Page %(n)s of %(total)s"),
        "Projector: top %(n)s per work domain": _("Projector: top %(n)s per work domain"),
        "Projector: every item, in pages when they do not fit":
            _("Projector: every item, in pages when they do not fit"),
    }


def participant_strings():
    return {
        **_common(),
        **_results(),
        "Results": _("Results"),
        "Dots left: %(n)s of %(max)s": _("Dots left: %(n)s of %(max)s"),
        "%(num)s dot": ngettext("%(num)s dot", "%(num)s dots"),
        "At most %(num)s dot per item.": ngettext("At most %(num)s dot per item.",
                                                  "At most %(num)s dots per item."),
        "Take a dot off: %(item)s": _("Take a dot off: %(item)s"),
        "Put a dot on: %(item)s": _("Put a dot on: %(item)s"),
        "Score %(n)s: %(item)s": _("Score %(n)s: %(item)s"),
        "Your score for: %(item)s": _("Your score for: %(item)s"),
        "Your top %(n)s": _("Your top %(n)s"),
        "Move up: %(item)s": _("Move up: %(item)s"),
        "Move down: %(item)s": _("Move down: %(item)s"),
        "Remove from your top: %(item)s": _("Remove from your top: %(item)s"),
        "Tap items below in the order you prefer them.":
            _("Tap items below in the order you prefer them."),
        "Place %(n)s": _("Place %(n)s"),
        "Add to my top": _("Add to my top"),
        "welcome": _("Welcome! The facilitator will start in a moment."),
        "closed": _("Thanks! This step is closed — wait for the next one."),
        "paused": _("Paused for a moment. You can keep typing; sending waits."),
        "finished": _("This workshop has finished. Thank you for taking part!"),
        "Your proposal for %(domain)s": _("Your proposal for %(domain)s"),
        "Your proposal": _("Your proposal"),
        "Your proposal for “%(item)s”": _("Your proposal for “%(item)s”"),
        "Proposals for": _("Proposals for"),
        "Send": _("Send"),
        "Sending…": _("Sending…"),
        "Waiting for the connection…": _("Waiting for the connection…"),
        "%(n)s / %(max)s characters": _("%(n)s / %(max)s characters"),
        "%(n)s of %(num)s proposal left in %(domain)s": ngettext(
            "%(n)s of %(num)s proposal left in %(domain)s",
            "%(n)s of %(num)s proposals left in %(domain)s"),
        "%(n)s of %(num)s proposal left in this step": ngettext(
            "%(n)s of %(num)s proposal left in this step",
            "%(n)s of %(num)s proposals left in this step"),
        "You have sent the maximum for %(domain)s. Withdraw one to send another.":
            _("You have sent the maximum for %(domain)s. Withdraw one to send another."),
        "You have sent the maximum in this step. Withdraw one to send another.":
            _("You have sent the maximum in this step. Withdraw one to send another."),
        "Your proposals": _("Your proposals"),
        "Nothing sent yet in this step.": _("Nothing sent yet in this step."),
        "Edit": _("Edit"),
        "Save": _("Save"),
        "Cancel": _("Cancel"),
        "Withdraw": _("Withdraw"),
        "Yes, withdraw": _("Yes, withdraw"),
        "waiting for approval": _("waiting for approval"),
        "hidden by the facilitator": _("hidden by the facilitator"),
        "merged with a similar proposal": _("merged with a similar proposal"),
        "Work domain": _("Work domain"),
        "refused": _("This phone is no longer part of the workshop. Join again with the code."),
    }


def staff_strings():
    return {
        **_common(),
        **_results(),
        "%(num)s proposal per person in each work domain": ngettext(
            "%(num)s proposal per person in each work domain",
            "%(num)s proposals per person in each work domain"),
        "%(num)s proposal per person in the step": ngettext(
            "%(num)s proposal per person in the step",
            "%(num)s proposals per person in the step"),
        **_presenter(),
        "Only here": _("Only here"), "On the projector": _("On the projector"),
        "For everyone": _("For everyone"), "Who sees results": _("Who sees results"),
        "Results appear here as votes arrive.": _("Results appear here as votes arrive."),
        "Voting is open. The results follow.": _("Voting is open. The results follow."),
        "No step is live. Start one from the agenda.":
            _("No step is live. Start one from the agenda."),
        "Start": _("Start"), "Reopen": _("Reopen"),
        "Pause": _("Pause"), "Resume": _("Resume"), "Close step": _("Close step"),
        "+1 min": _("+1 min"), "+5 min": _("+5 min"),
        "Joining open": _("Joining open"), "Joining closed": _("Joining closed"),
        "Open joining": _("Open joining"), "Close joining": _("Close joining"),
        "Finish workshop": _("Finish workshop"),
        "Finish the workshop? Phones will show that it has ended.":
            _("Finish the workshop? Phones will show that it has ended."),
        "Connected: %(n)s": _("Connected: %(n)s"), "Joined: %(n)s": _("Joined: %(n)s"),
        "Hide": _("Hide"), "Show again": _("Show again"), "Approve": _("Approve"),
        "Edit": _("Edit"), "Save": _("Save"), "Cancel": _("Cancel"),
        "Merge selected into this": _("Merge selected into this"),
        "Undo merge": _("Undo merge"), "Select": _("Select"),
        "waiting for approval": _("waiting for approval"), "hidden": _("hidden"),
        "merged": _("merged"),
        "Waiting for approval: %(n)s": _("Waiting for approval: %(n)s"),
        "Proposals: %(n)s": _("Proposals: %(n)s"),
        "No proposals yet — they appear here as people send them.":
            _("No proposals yet — they appear here as people send them."),
        "Anonymous": _("Anonymous"),
        "with %(names)s": _("with %(names)s"),
        "Closed": _("Closed"),
        "Paused": _("Paused"),
        "Scan or go to": _("Scan or go to"),
        "and type the code": _("and type the code"),
    }
