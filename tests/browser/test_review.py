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
