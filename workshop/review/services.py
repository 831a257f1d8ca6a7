"""Rules for stakeholder review rounds. They flush and never commit: the route's executor
commits each change once."""

import json
import secrets
from collections import Counter
from datetime import timedelta

from flask_babel import lazy_gettext as _l
from flask_babel import lazy_ngettext
from sqlalchemy import select
from sqlalchemy.exc import IntegrityError

from workshop.core import links
from workshop.core.errors import Conflict, DomainError, NotFound
from workshop.core.outcome import Outcome
from workshop.core.text import plain_text
from workshop.core.time import utcnow
from workshop.extensions import db
from workshop.orgs import audit
from workshop.plans.models import Plan
from workshop.review.changes import CommentsChanged
from workshop.review.clock import to_utc
from workshop.review.models import (
    DISPOSITIONS,
    REACTIONS,
    Comment,
    Reviewer,
    ReviewLink,
    ReviewRound,
)
from workshop.tree.models import LEVELS, ItemSource, PlanItem, PlanVersion

TEXT_MAX = 2000
NAME_MAX = 120


LINK_PURPOSE = "review"
_hash = links.token_hash


def new_token():
    """256 random bits, URL-safe: unguessable (for a browser's own token)."""
    return secrets.token_urlsafe(32)


def link_token(nonce):
    """A link's token (core/links.py: an HMAC of its nonce under the secret key)."""
    return links.link_token(LINK_PURPOSE, nonce)


def new_link_secret():
    """(nonce, token, hash of the token) for a new review link."""
    return links.new_link_secret(LINK_PURPOSE)


def shared_token(round_):
    return link_token(round_.shared_nonce) if round_.shared_nonce else None


def phase(round_, now=None):
    """upcoming before opening, open until (not at) closing, closed from then on."""
    now = now or utcnow()
    if now < round_.opens_at:
        return "upcoming"
    if now < round_.closes_at:
        return "open"
    return "closed"


def open_round(plan, version, data, actor=None):
    """A facilitator opens a review round on a plan version. Returns (round, shared token)."""
    if version is None or version.plan_id != plan.id:
        raise NotFound(_l("This version does not exist."))
    title = " ".join((data.get("title") or "").split())
    if not title:
        raise DomainError(_l("Give the round a title."), field="title")
    timezone = (data.get("timezone") or "Europe/Brussels").strip()
    opens, closes = data.get("opens_at"), data.get("closes_at")
    if opens is None or closes is None:
        raise DomainError(_l("Give an opening and a closing time."), field="closes_at")
    opens, closes = to_utc(opens, timezone), to_utc(closes, timezone)
    if closes <= opens:
        raise DomainError(_l("The round must close after it opens."), field="closes_at")
    content = json.loads(version.content)
    domain_ids = [d["id"] for d in content["domains"]]
    wanted = [i for i in (data.get("domain_ids") or domain_ids) if i in domain_ids]
    levels = [lv for lv in (data.get("levels") or LEVELS) if lv in LEVELS]
    if not wanted or not levels:
        raise DomainError(_l("Open at least one work domain and one level."),
                          field="domain_ids")
    nonce, token, digest = new_link_secret() if data.get("shared", True) else (None,) * 3
    round_ = ReviewRound(
        plan_id=plan.id, version_id=version.id, title=title[:200],
        invitation=(data.get("invitation") or "").strip()[:TEXT_MAX], opens_at=opens,
        closes_at=closes, timezone=timezone, domain_ids=json.dumps(wanted),
        levels=json.dumps(levels), named=bool(data.get("named", True)),
        shared_nonce=nonce, shared_token_hash=digest)
    db.session.add(round_)
    db.session.flush()
    audit.record(plan.organisation_id, "round_opened", round_.title, actor, plan=plan.title)
    return round_, token


def _audit(round_, action, subject, actor):
    plan = db.session.get(Plan, round_.plan_id)
    audit.record(plan.organisation_id, action, subject, actor, round=round_.title,
                 plan=plan.title)


def new_shared_link(round_, actor=None):
    """A fresh shared link; the old one stops working."""
    round_.shared_nonce, token, round_.shared_token_hash = new_link_secret()
    _audit(round_, "link_created", "review round: shared link", actor)
    return token


def revoke_shared_link(round_, actor=None):
    round_.shared_nonce = round_.shared_token_hash = None
    _audit(round_, "link_revoked", "review round: shared link", actor)


def add_personal_link(round_, name, organisation="", group_name="", actor=None):
    """A personal link for a named stakeholder. Returns (link, token)."""
    name = " ".join((name or "").split())[:NAME_MAX]
    if not name:
        raise DomainError(_l("Fill in the stakeholder's name."), field="name")
    nonce, token, digest = new_link_secret()
    link = ReviewLink(round_id=round_.id, nonce=nonce, token_hash=digest, name=name,
                      organisation=" ".join((organisation or "").split())[:200],
                      group_name=" ".join((group_name or "").split())[:80])
    db.session.add(link)
    db.session.flush()
    _audit(round_, "link_created", f"review round: personal link for {name}", actor)
    return link, token


def revoke_link(round_, link_id, actor=None):
    """Stop a personal link of this round from working."""
    link = next((x for x in round_.links if x.id == link_id), None)
    if link is None:
        raise NotFound(_l("This link does not exist."))
    link.revoked_at = utcnow()
    _audit(round_, "link_revoked", f"review round: personal link for {link.name}", actor)
    return link


def close_now(round_, now=None, actor=None):
    """End the round now: comments become read-only, "you said, we did" opens. Closing
    a closed round changes nothing."""
    if phase(round_, now) == "closed":
        return False
    now = now or utcnow()
    round_.closes_at = max(now, round_.opens_at + timedelta(seconds=1))
    _audit(round_, "round_closed", round_.title, actor)
    return True


def resolve(token):
    """(round, personal link or None) for a link token; NotFound for unknown or revoked."""
    if not isinstance(token, str) or not 20 <= len(token) <= 100:
        raise NotFound(_l("This link does not work (any more)."))
    digest = _hash(token)
    round_ = db.session.scalar(select(ReviewRound).where(
        ReviewRound.shared_token_hash == digest))
    if round_ is not None:
        return round_, None
    link = db.session.scalar(select(ReviewLink).where(ReviewLink.token_hash == digest))
    if link is None or link.revoked_at is not None:
        raise NotFound(_l("This link does not work (any more)."))
    return link.round, link


def reviewer_for(round_, link, browser_token=None):
    """The reviewer behind a personal link, or the browser holding `browser_token`."""
    if link is not None:
        return db.session.scalar(select(Reviewer).where(Reviewer.link_id == link.id))
    if not browser_token:
        return None
    reviewer = db.session.scalar(select(Reviewer).where(
        Reviewer.browser_token_hash == _hash(browser_token)))
    return reviewer if reviewer is not None and reviewer.round_id == round_.id else None


def register(round_, link, data):
    """A stakeholder says who they are (named rounds) and gets a reviewer (and, on the
    shared link, a browser token to keep). Returns (reviewer, browser token or None)."""
    name = " ".join((data.get("name") or "").split())[:NAME_MAX]
    if round_.named and not name and link is None:
        raise DomainError(_l("Fill in your name."), field="name")
    token = None if link is not None else new_token()
    reviewer = Reviewer(
        round_id=round_.id, link_id=link.id if link else None,
        browser_token_hash=_hash(token) if token else None,
        name=(link.name if link else name) if round_.named else "",
        organisation=(link.organisation if link else
                      " ".join((data.get("organisation") or "").split())[:200])
        if round_.named else "",
        group_name=(link.group_name if link else
                    " ".join((data.get("group_name") or "").split())[:80]))
    try:
        with db.session.begin_nested():  # a savepoint: only this insert is undone
            db.session.add(reviewer)
    except IntegrityError:  # the personal link's reviewer already exists
        return reviewer_for(round_, link), None
    return reviewer, token


def goals(round_):
    """The goals of the round's version that are open for comments, per domain."""
    content = json.loads(round_.version.content)
    domain_ids, levels = set(json.loads(round_.domain_ids)), set(json.loads(round_.levels))
    out = []

    def walk(nodes, domain, found):
        for node in nodes:
            if node["level"] in levels:
                found.append({**node, "domain": domain["name"], "domain_id": domain["id"]})
            walk(node["children"], domain, found)

    for domain in content["domains"]:
        if domain["id"] in domain_ids:
            found = []
            walk(domain["items"], domain, found)
            out.append({"domain": domain, "goals": found})
    return out


def _goal_ids(round_):
    return {g["id"] for d in goals(round_) for g in d["goals"]}


def _require_open(round_):
    state = phase(round_)
    if state == "upcoming":
        raise Conflict(_l("This round has not opened yet."))
    if state == "closed":
        raise Conflict(_l("This round has closed: comments can no longer change."))


def _clean(text, field):
    text = plain_text(text, keep_newlines=True)
    if len(text) > TEXT_MAX:
        raise DomainError(lazy_ngettext("Keep it under %(num)d character.",
                                        "Keep it under %(num)d characters.", TEXT_MAX),
                          field=field)
    return text


def save_comment(reviewer, round_, item_id, reaction, text="", rewording=""):
    """A stakeholder reacts to a goal (or changes their reaction) while the round is open."""
    _require_open(round_)
    if reviewer is None or reviewer.round_id != round_.id:
        raise NotFound(_l("This link does not work (any more)."))
    if item_id not in _goal_ids(round_):
        raise NotFound(_l("This goal is not open for comments in this round."))
    if reaction not in REACTIONS:
        raise DomainError(_l("Choose your reaction."), field="reaction")
    comment = db.session.scalar(select(Comment).where(
        Comment.round_id == round_.id, Comment.reviewer_id == reviewer.id,
        Comment.item_id == item_id))
    text, rewording = _clean(text, "text"), _clean(rewording, "rewording")
    if comment is None:
        comment = Comment(round_id=round_.id, reviewer_id=reviewer.id, item_id=item_id)
    comment.reaction = reaction
    comment.text = text
    comment.rewording = rewording
    comment.withdrawn = False
    comment.disposition = None  # a changed comment needs a fresh answer
    try:
        with db.session.begin_nested():  # a savepoint: only this comment is undone
            db.session.add(comment)
    except IntegrityError:  # a double submit from two tabs: the other one won
        raise Conflict(_l("You just sent this from another window. Reload the page.")) from None
    return Outcome(comment, events=(CommentsChanged(round_.id),))


def withdraw_comment(reviewer, round_, comment_id):
    """A stakeholder takes back their comment while the round is open."""
    _require_open(round_)
    comment = db.session.get(Comment, comment_id) if isinstance(comment_id, int) else None
    if comment is None or reviewer is None or comment.reviewer_id != reviewer.id:
        raise NotFound(_l("This is not one of your comments."))
    comment.withdrawn = True
    return Outcome(comment, events=(CommentsChanged(round_.id),))


def get_comment(round_, comment_id):
    comment = db.session.get(Comment, comment_id) if isinstance(comment_id, int) else None
    if comment is None or comment.round_id != round_.id:
        raise NotFound(_l("This comment is not part of this round."))
    return comment


def answer(round_, comment, disposition, reply, actor=None):
    """The facilitator's disposition and reply to a comment (any time). Nothing is
    preselected: without a disposition nothing is saved, so a reply alone never
    records a comment as taken over."""
    if comment.round_id != round_.id:
        raise NotFound(_l("This comment is not part of this round."))
    if disposition not in DISPOSITIONS:
        raise DomainError(_l("Choose what becomes of this comment."), field="disposition")
    reply = _clean(reply, "reply")
    comment.disposition = disposition
    comment.reply = reply
    comment.answered_at = utcnow()
    comment.answered_by_id = actor.id if actor else None
    db.session.flush()
    return comment


def accept_rewording(round_, comment, reply=None, actor=None):
    """Apply a suggested rewording to the plan's item and answer the comment "accepted"
    (with `reply`, when given), as one change; history and provenance point back."""
    from workshop.tree import services as tree

    if comment.round_id != round_.id:
        raise NotFound(_l("This comment is not part of this round."))
    if not comment.rewording:
        raise DomainError(_l("This comment suggests no new wording."))
    reply = None if reply is None else _clean(reply, "reply")
    item = db.session.get(PlanItem, comment.item_id)
    if item is None or item.plan_id != round_.plan_id:
        raise Conflict(_l("This goal is no longer in the plan."))
    plan = tree.get_plan_for_item(item)
    tree.require_editable(plan)
    old = item.text
    item.text = tree.clean_text(comment.rewording)
    tree.record(plan, item, "edited", "text", old, item.text, actor)
    db.session.add(ItemSource(plan_id=plan.id, item_id=item.id, summary=json.dumps({
        "review_comment": comment.id, "round": round_.title,
        "reviewer": comment.reviewer.name, "organisation": comment.reviewer.organisation,
        "text": comment.rewording, "old_text": old})))
    comment.disposition = "accepted"
    if reply is not None:
        comment.reply = reply
    comment.answered_at = utcnow()
    comment.answered_by_id = actor.id if actor else None
    db.session.flush()
    return item


def comments(round_, include_withdrawn=False):
    query = select(Comment).where(Comment.round_id == round_.id)
    if not include_withdrawn:
        query = query.where(Comment.withdrawn.is_(False))
    return db.session.scalars(query.order_by(Comment.item_id, Comment.id)).all()


def summary(round_):
    """Per goal: reactions per group and how many comments still await an answer."""
    out = {}
    for comment in comments(round_):
        entry = out.setdefault(comment.item_id, {"reactions": {}, "open": 0, "total": 0})
        group = comment.reviewer.group_name or ""
        entry["reactions"].setdefault(group, Counter())[comment.reaction] += 1
        entry["total"] += 1
        if comment.disposition is None:
            entry["open"] += 1
    return out


def list_rounds(plan):
    return db.session.scalars(select(ReviewRound).where(ReviewRound.plan_id == plan.id)
                              .order_by(ReviewRound.created_at.desc())).all()


def get_round(plan, round_id):
    round_ = db.session.get(ReviewRound, round_id) if isinstance(round_id, int) else None
    if round_ is None or round_.plan_id != plan.id:
        raise NotFound(_l("This review round does not exist."))
    return round_


def latest_version(plan):
    return db.session.scalar(select(PlanVersion).where(PlanVersion.plan_id == plan.id)
                             .order_by(PlanVersion.number.desc()))


def document(round_):
    """The version's title, mission and tagline: the context stakeholders read first."""
    content = json.loads(round_.version.content)
    return {key: content.get(key) for key in ("title", "organisation", "mission", "tagline")}
