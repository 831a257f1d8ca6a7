"""A stakeholder on a phone reacts to two goals, the facilitator sees it arrive live and
answers, the round closes, and "you said, we did" lists both answers."""

import re

from playwright.sync_api import expect

from tests.browser.conftest import LAPTOP, PHONE, log_in


def test_a_consultation_from_link_to_you_said_we_did(live_server, facilitator_account,
                                                     new_page):
    result = live_server.flask("koers", "demo")
    token = re.search(r"/r/([\w-]+)", result.stdout).group(1)
    console = new_page(LAPTOP)
    log_in(console, live_server, facilitator_account)
    console.get_by_role("link", name="Strategisch plan 2027–2032").click()
    console.get_by_role("link", name="Consultatie burgers").click()
    expect(console.locator("#shared-url")).to_have_value(re.compile(token))

    phone = new_page(PHONE)
    phone.goto(f"{live_server.url}/r/{token}")
    phone.get_by_label("Your name").fill("Sara")
    phone.get_by_label("Organisation").fill("Buurtcomité")
    phone.get_by_label("You respond as").fill("Burgers")
    phone.get_by_role("button", name="Start").click()
    goals = phone.locator("article.review-goal")
    first, second = goals.nth(0), goals.nth(1)
    first_text = first.locator(".goal-text").inner_text()
    second_text = second.locator(".goal-text").inner_text()
    first.get_by_text("I support it, with concerns").click()
    first.get_by_label("Comment").fill("Denk aan de buurt.")
    first.get_by_label("Suggested wording (optional)").fill(first_text + " samen met de buurt")
    expect(first.locator(".diff-preview ins")).to_contain_text("samen met de buurt")
    first.get_by_role("button", name="Save my reaction").click()
    expect(phone.get_by_text("Thank you, your reaction is saved.")).to_be_visible()
    second = phone.locator("article.review-goal").nth(1)
    second.get_by_text("I object").click()
    second.get_by_label("Comment").fill("Te duur.")
    second.get_by_role("button", name="Save my reaction").click()

    # The facilitator's screen updates by itself.
    for text in ("Denk aan de buurt.", "Te duur."):
        expect(console.get_by_text(text)).to_be_visible(timeout=10_000)
    sara = console.locator(".review-comment", has_text="Denk aan de buurt.")
    sara.get_by_label("Reply").fill("Goed punt: we nemen het op.")
    sara.get_by_role("button", name="Accept the wording into the plan").click()
    expect(console.get_by_text("Answer saved.")).to_be_visible()
    other = console.locator(".review-comment", has_text="Te duur.")
    other.get_by_label("What becomes of it").select_option(label="Not taken over")
    other.get_by_label("Reply").fill("De kosten zijn gedekt door subsidies.")
    other.get_by_role("button", name="Save answer").click()
    console.get_by_role("button", name="Close the round now").click()
    expect(console.get_by_text("The round is closed.")).to_be_visible()

    phone.reload()
    expect(phone.get_by_text("This consultation has closed.")).to_be_visible()
    expect(phone.get_by_text("Goed punt: we nemen het op.")).to_be_visible()
    expect(phone.get_by_text("De kosten zijn gedekt door subsidies.")).to_be_visible()
    expect(phone.get_by_role("button", name="Save my reaction")).to_have_count(0)
    assert first_text and second_text


LONG = "Samenwerkingsovereenkomstenonderhandelingsvoorbereidingsgroep"  # 61 letters
assert len(LONG) >= 60

SEED_LONG_WORDS = f"""
from datetime import timedelta
from workshop.core.time import utcnow
from workshop.extensions import db
from workshop.plans.models import Plan
from workshop.review import services as review
from workshop.tree import services as tree, versions
plan = db.session.scalars(db.select(Plan)).first()
domain = plan.domains[0]
ambition = tree.add_item(plan, "ambition", domain.id, "Een {LONG} voor elk terrein")
goal = tree.add_item(plan, "strategic_goal", domain.id, "{LONG} {LONG}", ambition.id)
versions.set_status(plan, "draft")
version = versions.set_status(plan, "review")
now = utcnow()
round_, token = review.open_round(plan, version, {{
    "title": "Ronde {LONG}", "invitation": "Lees {LONG} en reageer.",
    "timezone": "Europe/Brussels", "opens_at": now - timedelta(days=1),
    "closes_at": now + timedelta(days=9), "levels": ["ambition", "strategic_goal"]}})
review.add_personal_link(round_, "{LONG}", "{LONG}", "{LONG}")
reviewer, _ = review.register(round_, None, {{"name": "{LONG}", "organisation": "{LONG}",
                                             "group_name": "{LONG}"}})
comment = review.save_comment(reviewer, round_, goal.id, "concerns", "{LONG} " * 3,
                              "{LONG} {LONG} samen").value
review.answer(round_, comment, "noted", "{LONG} " * 2)
db.session.commit()  # services flush; this seed is the edge that commits
print("ROUND", plan.id, round_.id, token)
"""


def _seed_long_words(server, tmp_path):
    """On the demo plan, a round where every field holds a 60-letter Dutch compound.
    Returns (plan id, round id, shared link token)."""
    import subprocess

    from tests.browser.conftest import BIN, ROOT

    server.flask("koers", "demo")
    script = tmp_path / "seed_long_words.py"
    script.write_text(SEED_LONG_WORDS)
    done = subprocess.run([str(BIN / "flask"), "shell"],
                          input=f"exec(open({str(script)!r}).read())\n", cwd=ROOT,
                          env=server.env, capture_output=True, text=True, timeout=60,
                          check=True)
    found = re.search(r"ROUND (\d+) (\d+) ([\w-]+)", done.stdout)
    assert found, done.stdout + done.stderr
    plan_id, round_id, token = found.groups()
    return int(plan_id), int(round_id), token


def _no_sideways_scroll(page):
    width = page.evaluate("document.documentElement.scrollWidth")
    wide = page.evaluate("""() => [...document.querySelectorAll('*')]
      .filter(e => e.getBoundingClientRect().right > innerWidth + 1).slice(-8)
      .map(e => e.tagName + '.' + e.className + ' '
           + Math.round(e.getBoundingClientRect().right))""")
    assert width <= page.viewport_size["width"], f"{page.url} is {width} px wide: {wide}"


def test_typed_text_survives_saving_another_goal_and_a_reload(live_server, new_page):
    result = live_server.flask("koers", "demo")
    token = re.search(r"/r/([\w-]+)", result.stdout).group(1)
    phone = new_page(PHONE)
    phone.goto(f"{live_server.url}/r/{token}")
    phone.get_by_label("Your name").fill("Sara")
    phone.get_by_role("button", name="Start").click()
    goals = phone.locator("article.review-goal")
    a, b = goals.nth(0), goals.nth(1)
    a.get_by_label("Comment").fill("Nog niet verstuurd: " + LONG)
    expect(a.get_by_text("Kept on this device, not sent yet.")).to_be_visible()
    b.get_by_text("I object").click()
    b.get_by_label("Comment").fill("Te duur.")
    b.get_by_role("button", name="Save my reaction").click()
    expect(b.get_by_text("Thank you, your reaction is saved.")).to_be_visible()
    expect(b.get_by_text("Kept on this device, not sent yet.")).to_be_hidden()
    expect(b.get_by_role("button", name="Update my reaction")).to_be_visible()
    expect(a.get_by_label("Comment")).to_have_value("Nog niet verstuurd: " + LONG)
    _no_sideways_scroll(phone)

    phone.reload()
    a, b = phone.locator("article.review-goal").nth(0), phone.locator("article.review-goal").nth(1)
    expect(a.get_by_label("Comment")).to_have_value("Nog niet verstuurd: " + LONG)
    expect(a.get_by_text("Kept on this device, not sent yet.")).to_be_visible()
    # B came back from the server, not from the device: nothing left unsent there.
    expect(b.get_by_label("Comment")).to_have_value("Te duur.")
    expect(b.get_by_label("I object")).to_be_checked()
    expect(b.get_by_text("Kept on this device, not sent yet.")).to_be_hidden()
    expect(b.get_by_role("button", name="Withdraw my reaction")).to_be_visible()

    # Saving A without a reaction says what is missing in place and keeps the text.
    a.get_by_role("button", name="Save my reaction").click()
    expect(a.get_by_role("alert")).to_have_text("Choose your reaction.")
    expect(a.get_by_label("Comment")).to_have_value("Nog niet verstuurd: " + LONG)

    # A lost connection: nothing is sent, nothing is lost, and the page says so.
    phone.context.set_offline(True)
    a.get_by_text("I support this", exact=True).click()
    a.get_by_role("button", name="Save my reaction").click()
    expect(a.get_by_role("alert")).to_contain_text("no connection")
    phone.context.set_offline(False)
    a.get_by_role("button", name="Save my reaction").click()
    expect(a.get_by_text("Thank you, your reaction is saved.")).to_be_visible()
    phone.reload()
    a = phone.locator("article.review-goal").nth(0)
    expect(a.get_by_label("Comment")).to_have_value("Nog niet verstuurd: " + LONG)
    expect(a.get_by_text("Kept on this device, not sent yet.")).to_be_hidden()


def test_an_answer_without_a_disposition_is_not_saved(live_server, facilitator_account,
                                                      new_page, tmp_path):
    plan_id, round_id, _token = _seed_long_words(live_server, tmp_path)
    console = new_page(LAPTOP)
    log_in(console, live_server, facilitator_account)
    console.goto(f"{live_server.url}/plans/{plan_id}/reviews/{round_id}?unanswered=1")
    # The seeded comment is answered; a fresh one from the phone is not.
    phone = new_page(PHONE)
    phone.goto(f"{live_server.url}/r/{_token}")
    phone.get_by_label("Your name").fill("Sara")
    phone.get_by_role("button", name="Start").click()
    goal = phone.locator("article.review-goal").nth(0)
    goal.get_by_text("I object").click()
    goal.get_by_label("Comment").fill("Nog een bezwaar.")
    goal.get_by_role("button", name="Save my reaction").click()
    expect(goal.get_by_text("Thank you, your reaction is saved.")).to_be_visible()

    comment = console.locator(".review-comment", has_text="Nog een bezwaar.")
    expect(comment).to_be_visible(timeout=10_000)
    expect(comment.get_by_label("What becomes of it")).to_have_value("")
    comment.get_by_label("Reply").fill("Dank u, we bekijken het.")
    console.locator("h1").click()  # leave the field: the next live refresh may run
    other = phone.locator("article.review-goal").nth(1)
    other.get_by_text("I support this", exact=True).click()
    other.get_by_role("button", name="Save my reaction").click()
    expect(console.locator(".review-comment.reaction-support")).to_have_count(1, timeout=10_000)
    comment = console.locator(".review-comment", has_text="Nog een bezwaar.")
    expect(comment.get_by_label("Reply")).to_have_value("Dank u, we bekijken het.")
    comment.get_by_role("button", name="Save answer").click()
    comment = console.locator(".review-comment", has_text="Nog een bezwaar.")
    expect(comment.get_by_role("alert")).to_have_text("Choose what becomes of this comment.")
    expect(comment.get_by_label("Reply")).to_have_value("Dank u, we bekijken het.")
    console.goto(f"{live_server.url}/plans/{plan_id}/reviews/{round_id}?unanswered=1")
    comment = console.locator(".review-comment", has_text="Nog een bezwaar.")
    expect(comment.get_by_text("Unanswered", exact=True)).to_be_visible()
    expect(comment.get_by_label("Reply")).to_have_value("")
    comment.get_by_label("What becomes of it").select_option(label="Noted")
    comment.get_by_label("Reply").fill("Dank u, we bekijken het.")
    comment.get_by_role("button", name="Save answer").click()
    expect(console.get_by_text("Answer saved.")).to_be_visible()
    # Answered, it leaves the "unanswered" list the facilitator is working through.
    expect(console.get_by_label("Unanswered only")).to_be_checked()
    expect(console.locator(".review-comment", has_text="Nog een bezwaar.")).to_have_count(0)
    console.goto(f"{live_server.url}/plans/{plan_id}/reviews/{round_id}")
    expect(console.locator(".review-comment", has_text="Nog een bezwaar.").get_by_label(
        "What becomes of it")).to_have_value("noted")


def test_review_pages_never_scroll_sideways_at_360_px(live_server, facilitator_account,
                                                      new_page, tmp_path):
    plan_id, round_id, token = _seed_long_words(live_server, tmp_path)
    for lang in ("en", "nl"):
        console = new_page(PHONE)
        log_in(console, live_server, facilitator_account)
        console.goto(f"{live_server.url}/language/{lang}")
        for path in (f"/plans/{plan_id}/reviews/{round_id}", f"/plans/{plan_id}/reviews/new",
                     f"/plans/{plan_id}"):
            console.goto(live_server.url + path)
            _no_sideways_scroll(console)
        phone = new_page(PHONE, locale=lang)
        phone.goto(f"{live_server.url}/r/{token}")
        _no_sideways_scroll(phone)
        phone.locator("input[name=name]").fill(LONG)
        phone.locator("input[name=organisation]").fill(LONG)
        phone.locator("input[name=group_name]").fill(LONG)
        phone.locator("form.register button").click()
        goal = phone.locator("article.review-goal").nth(1)
        goal.locator("textarea[name=text]").fill(LONG)
        goal.locator("textarea[name=rewording]").fill(f"{LONG} {LONG}")
        _no_sideways_scroll(phone)
        goal.locator("input[value=support]").check()
        goal.locator("form.reaction-form button[type=submit]").click()
        expect(goal.locator(".saved-note")).not_to_be_empty()
        _no_sideways_scroll(phone)
