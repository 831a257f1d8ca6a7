"""Logging in as each role of the demo organisation, and as another organisation's
administrator: each sees what the role allows and no more (laptop and phone)."""

import re

from playwright.sync_api import expect

from tests.browser.conftest import LAPTOP, PHONE, log_in

DEMO_PLAN = "Strategisch plan 2027–2032"


def _demo_logins(server):
    out = server.flask("koers", "demo").stdout
    admin = re.search(r"Log in as (\S+) with password: (\S+)", out).groups()
    others = dict((role, (email, password)) for role, email, password in re.findall(
        r"  (Facilitator on the plan's team|Indicator owner|Viewer \(board member\)): "
        r"(\S+) with password: (\S+)", out))
    assert len(others) == 3, out
    return {"administrator": admin, "facilitator": others["Facilitator on the plan's team"],
            "indicator owner": others["Indicator owner"],
            "viewer": others["Viewer (board member)"]}


def _as(page, server, login):
    log_in(page, server, {"email": login[0], "password": login[1]})


def test_each_role_sees_what_it_may(live_server, new_page):
    logins = _demo_logins(live_server)
    for role, login in logins.items():
        page = new_page(PHONE if role == "viewer" else LAPTOP)
        _as(page, live_server, login)
        page.get_by_role("link", name=re.compile("Strategisch plan")).first.click()
        expect(page.get_by_role("heading", level=1)).to_contain_text("Strategisch plan")
        editable = role in ("administrator", "facilitator")
        expect(page.get_by_role("link", name="Edit plan")).to_have_count(1 if editable else 0)
        expect(page.get_by_role("link", name="Draft plan document")).to_be_visible()
        plan_url = page.url
        response = page.goto(plan_url + "/edit")
        assert response.status == (200 if editable else 403), role
        if not editable:
            expect(page.get_by_role("heading", name="Not for you, sorry")).to_be_visible()
        page.goto(live_server.url + "/organisations")
        expect(page.get_by_role("link", name="Ontwikkelingsmaatschappij Scheldeland")
               ).to_be_visible()
        page.context.close()


def test_another_organisations_administrator_sees_nothing_of_it(live_server, new_page):
    logins = _demo_logins(live_server)
    admin = new_page(LAPTOP)
    _as(admin, live_server, logins["administrator"])  # the installation's administrator
    admin.goto(live_server.url + "/organisations")
    admin.get_by_label("Name").fill("Stad Brugge")
    admin.get_by_label("E-mail address of its first administrator").fill("boss@brugge.example")
    admin.get_by_role("button", name="Create organisation").click()
    notice = admin.locator(".flash-success")
    expect(notice).to_contain_text("/invite/")
    link = re.search(r"(http\S+/invite/\S+)", notice.inner_text()).group(1)
    plan_url = None
    admin.goto(live_server.url + "/")
    admin.get_by_role("link", name=re.compile("Strategisch plan")).first.click()
    plan_url = admin.url

    other = new_page(LAPTOP)
    other.goto(link.replace(re.match(r"https?://[^/]+", link).group(0), live_server.url))
    expect(other.get_by_role("heading", name="Join Stad Brugge")).to_be_visible()
    other.get_by_label("Name").fill("Bram")
    other.get_by_label("Password", exact=True).fill("a long password 1")
    other.get_by_label("Password again").fill("a long password 1")
    other.get_by_role("button", name="Create account and join").click()
    expect(other.get_by_role("heading", name="Plans", exact=True)).to_be_visible()
    expect(other.get_by_text("Strategisch plan")).to_have_count(0)
    response = other.goto(plan_url)
    assert response.status == 404
    expect(other.get_by_role("heading", name="Page not found")).to_be_visible()
