"""A participant's phone (360×740): from the QR code's link to a usable ballot in at most two
taps plus a name, the name remembered next time, and nothing scrolls sideways, also with
60-character words (Dutch compounds) in every field."""

import json
import re
import subprocess

import pytest
from playwright.sync_api import expect

from tests.browser.conftest import BIN, PHONE, ROOT

# One unbroken 60-character word, as long Dutch compounds are.
WORD = ("Werkgelegenheidsbevorderingsprogrammacoordinatie" * 2)[:60]

SEED = f'''
import json
from workshop.realtime.executor import run_once
from workshop.extensions import db
from workshop.live import agenda, participation, running, workshops
from workshop.plans.models import Plan

W = {WORD!r}
plan = Plan.query.first()
for n, domain in enumerate(plan.domains):
    domain.name = W[:59] + str(n)
db.session.commit()
codes = {{}}
for key, groups in (("two", [W[:59] + "A", W[:59] + "B"]), ("one", ["Medewerkers"])):
    workshop = workshops.create_workshop(plan, {{"title": W + " " + W, "groups": groups}})
    collect = agenda.add_step(workshop, {{
        "kind": "collect", "title": W, "body": W + " " + W, "item_kind": "ambition",
        "max_length": 200, "max_per_participant": 3, "limit_per_domain": True,
        "domain_ids": [d.id for d in plan.domains[:2]]}})
    run_once("seed", None, lambda: running.start_step(workshop, collect.id))
    seeder, _token = participation.join(workshop, W, workshop.groups[0].id)
    for domain in plan.domains[:2]:
        run_once("seed", None, lambda: participation.submit_proposal(
            seeder, collect.id, domain.id, W + " " + W))
    vote = agenda.add_step(workshop, {{
        "kind": "vote", "title": W, "body": W, "source_step_id": collect.id,
        "vote_method": "dots", "dot_budget": 3, "max_per_item": 1,
        "domain_ids": [d.id for d in plan.domains[:2]]}})
    codes[key] = {{"code": workshop.code, "collect": collect.id, "vote": vote.id}}
    db.session.commit()
print("CODES=" + json.dumps(codes))
'''


def _shell(server, script):
    """Run `script` in an app context against the server's database; its CODES= line."""
    runner = ("import sys\nfrom workshop import create_app\n"
              "with create_app().app_context():\n    exec(sys.stdin.read())\n")
    result = subprocess.run([str(BIN / "python"), "-c", runner], input=script, cwd=ROOT,
                            env=server.env, capture_output=True, text=True, timeout=120)
    assert result.returncode == 0, result.stderr
    return json.loads(re.search(r"^CODES=(.*)$", result.stdout, re.M).group(1))


def _start(server, code, step_id):
    _shell(server, f'''
import json
from workshop.realtime.executor import run_once
from workshop.live import agenda, running, workshops
workshop = workshops.get_by_code({code!r})
run_once("test", None, lambda: running.start_step(workshop, {step_id}))
print("CODES=" + json.dumps(True))
''')


@pytest.fixture
def seeded(live_server):
    live_server.flask("koers", "demo")
    return _shell(live_server, SEED)


SMALL_TEXT = """() => [...document.querySelectorAll("main *")]
  .filter(el => [...el.childNodes].some(n => n.nodeType === 3 && n.textContent.trim())
                && el.getClientRects().length)
  .filter(el => parseFloat(getComputedStyle(el).fontSize) < 16)
  .map(el => el.tagName + "." + el.className + ": " + el.textContent.trim().slice(0, 30))"""


def _no_sideways_scroll(page):
    """Fits 360 px without scrolling sideways, and no text on it is under 16 px."""
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= 360, f"{page.url} is {width} px wide"
    assert page.evaluate(SMALL_TEXT) == []


def test_qr_link_to_usable_ballot_in_two_taps_and_the_name_is_remembered(live_server, seeded,
                                                                       new_page):
    two = seeded["two"]
    _start(live_server, two["code"], two["vote"])
    phone = new_page(PHONE)
    taps = []

    def tap(locator):
        taps.append(locator)
        locator.click()

    phone.goto(f"{live_server.url}/j/{two['code']}")  # the address the QR code holds
    phone.get_by_label("Your name").fill("Piet")  # typing the name
    tap(phone.get_by_text(WORD[:59] + "B", exact=True))
    tap(phone.get_by_role("button", name="Join"))
    more = phone.get_by_role("button", name=re.compile("Put a dot on")).first
    expect(more).to_be_enabled()
    assert len(taps) == 2
    phone.screenshot(path=str(ROOT / "test-artifacts/h3-ballot-360.png"), full_page=True)
    expect(phone.get_by_text("At most 1 dot per item.")).to_be_visible()
    _no_sideways_scroll(phone)

    # Next time on this phone (here: another workshop), the name is there already; with one
    # group it is chosen too, so one tap is enough.
    one = seeded["one"]
    _start(live_server, one["code"], one["vote"])
    phone.goto(f"{live_server.url}/j/{one['code']}")
    expect(phone.get_by_label("Your name")).to_have_value("Piet")
    expect(phone.get_by_label("Medewerkers")).to_be_checked()
    phone.get_by_role("button", name="Join").click()
    expect(phone.get_by_role("button", name=re.compile("Put a dot on")).first).to_be_enabled()


def test_no_phone_page_scrolls_sideways_with_sixty_character_words(live_server, seeded,
                                                                    new_page):
    two = seeded["two"]
    phone = new_page(PHONE)
    phone.goto(f"{live_server.url}/j")
    _no_sideways_scroll(phone)
    phone.get_by_label("Workshop code").fill(WORD)  # too long: a message, no overflow
    phone.get_by_role("button", name="Next").click()
    _no_sideways_scroll(phone)
    phone.goto(f"{live_server.url}/j/{two['code']}")
    phone.get_by_label("Your name").fill(WORD)
    _no_sideways_scroll(phone)
    phone.screenshot(path=str(ROOT / "test-artifacts/h3-join-360.png"), full_page=True)
    phone.get_by_role("button", name="Join").click()
    expect(phone.get_by_text("Choose your group.")).to_be_visible()
    _no_sideways_scroll(phone)
    phone.get_by_text(WORD[:59] + "A", exact=True).click()
    phone.get_by_role("button", name="Join").click()
    expect(phone.get_by_role("heading", name=WORD)).to_be_visible()  # the collect step
    phone.get_by_label(re.compile("Your proposal for")).fill(WORD + " " + WORD)
    phone.get_by_role("button", name="Send").click()
    expect(phone.locator(".own-item")).to_have_count(1)
    expect(phone.get_by_text(re.compile(r"2 of 3 proposals left in " + WORD[:59]))
           ).to_be_visible()
    _no_sideways_scroll(phone)
    phone.screenshot(path=str(ROOT / "test-artifacts/h3-collect-360.png"), full_page=True)
    _start(live_server, two["code"], two["vote"])  # from another process: no broadcast
    phone.reload()
    expect(phone.get_by_role("button", name=re.compile("Put a dot on")).first).to_be_visible()
    _no_sideways_scroll(phone)
    phone.context.clear_cookies()
    _shell(live_server, f'''
import json
from workshop.realtime.executor import run_once
from workshop.live import agenda, running, workshops
run_once("t", None, lambda: running.set_joining(workshops.get_by_code({two["code"]!r}), False))
print("CODES=" + json.dumps(True))
''')
    phone.goto(f"{live_server.url}/j/{two['code']}")
    expect(phone.get_by_text("closed to new participants")).to_be_visible()
    _no_sideways_scroll(phone)


def test_a_join_whose_answer_was_lost_makes_one_participant_after_a_reload(live_server,
                                                                          seeded, new_page):
    one = seeded["one"]
    phone = new_page(PHONE)
    join_page = f"{live_server.url}/j/{one['code']}"
    phone.goto(join_page)
    phone.get_by_label("Your name").fill("Piet")

    def lose_the_answer(route):
        route.fetch()  # the server joins…
        route.abort()  # …but the answer never reaches the phone

    phone.route(join_page, lambda route: lose_the_answer(route)
                if route.request.method == "POST" else route.continue_())
    with pytest.raises(Exception):  # noqa: B017, PT011 (the browser's own error page)
        phone.get_by_role("button", name="Join").click()
        phone.wait_for_url(re.compile("/w/"), timeout=3000)
    phone.unroute(join_page)
    phone.context.clear_cookies()  # route.fetch() kept the answer's cookie; the phone did not
    phone.goto(join_page)  # the person tries again
    expect(phone.get_by_label("Your name")).to_have_value("Piet")
    phone.get_by_role("button", name="Join").click()
    expect(phone).to_have_url(re.compile(r"/w/" + one["code"] + "$"))
    expect(phone.get_by_text("At most 1 dot per item.").or_(
        phone.get_by_role("button", name="Send"))).to_be_visible()
    counts = _shell(live_server, f'''
import json
from workshop.live import workshops
from workshop.live.models import Participant
workshop = workshops.get_by_code({one["code"]!r})
print("CODES=" + json.dumps([p.display_name for p in Participant.query.filter_by(
    workshop_id=workshop.id)]))
''')
    assert sorted(counts) == ["Piet", WORD]  # the seeding participant, and Piet once
