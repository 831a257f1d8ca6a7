"""The audit log: what is recorded, who may read it, and that the app never rewrites it."""

import ast
import csv
import io
from pathlib import Path

from tests.conftest import PASSWORD
from workshop.accounts import services as accounts
from workshop.extensions import db
from workshop.orgs import audit
from workshop.orgs import services as orgs

ROOT = Path(__file__).resolve().parents[2]


def _actions(organisation):
    return [e.action for e in audit.entries(organisation)]


def test_sign_ins_member_changes_exports_and_links_are_recorded(app, client, make_plan):
    plan = make_plan(domains=["Ruimte"])
    admin = accounts.create_facilitator("admin@example.org", "Adminne", PASSWORD)
    db.session.commit()
    client.post("/login", data={"email": "admin@example.org", "password": "wrong one!!"})
    client.post("/login", data={"email": "admin@example.org", "password": PASSWORD})
    organisation = plan.owner
    client.post(f"/organisations/{organisation.id}/invitations",
                data={"email": "bert@example.org", "role": "viewer"})
    client.get(f"/plans/{plan.id}/export?format=md")
    client.post(f"/plans/{plan.id}/monitor/link")
    client.post(f"/plans/{plan.id}/monitor/link/off")
    db.session.expire_all()
    actions = _actions(organisation)
    for expected in ("sign_in_failed", "sign_in", "member_invited", "exported",
                     "link_created", "link_revoked", "plan_created"):
        assert expected in actions, (expected, actions)
    invited = next(e for e in audit.entries(organisation) if e.action == "member_invited")
    assert invited.subject == "bert@example.org" and invited.actor_id == admin.id
    assert invited.actor_label == "Adminne <admin@example.org>"


def test_only_administrators_read_it_and_the_csv_is_formula_safe(app, client, make_plan):
    plan = make_plan(domains=["Ruimte"])
    accounts.create_facilitator("admin@example.org", "=cmd|' /C calc'!A0", PASSWORD)
    accounts.create_facilitator("v@example.org", "Vera", PASSWORD, role="viewer")
    db.session.commit()
    client.post("/login", data={"email": "admin@example.org", "password": PASSWORD})
    url = f"/organisations/{plan.organisation_id}/audit"
    page = client.get(url + "?action=sign_in").get_data(as_text=True)
    assert "Signed in" in page
    rows = list(csv.reader(io.StringIO(client.get(url + ".csv").get_data(as_text=True)
                                       .lstrip("\ufeff"))))
    assert rows[0] == ["time (UTC)", "actor", "action", "subject", "detail"]
    assert any(row[1].startswith("'=cmd") for row in rows[1:])  # never a live formula
    client.post("/logout")
    client.post("/login", data={"email": "v@example.org", "password": PASSWORD})
    assert client.get(url).status_code == 403
    assert client.get(url + ".csv").status_code == 403


def test_a_reveal_from_the_console_is_recorded_with_its_facilitator(app, voting_room,
                                                                    socket_client,
                                                                    make_facilitator):
    room = voting_room()
    anna = make_facilitator(email="anna@example.org", name="Anna")
    browser = app.test_client()
    browser.post("/login", data={"email": "anna@example.org", "password": PASSWORD})
    console = socket_client(flask_test_client=browser,
                            auth={"workshop": room["workshop"].id, "role": "console"})
    ack = console.emit("set_reveal", {"cid": "reveal-0001", "step_id": room["vote"].id,
                                      "reveal": "everyone"}, callback=True)
    assert ack["ok"]
    entry = next(e for e in audit.entries(room["workshop"].plan.owner)
                 if e.action == "results_revealed")
    assert entry.actor_id == anna.id and entry.subject == room["vote"].title


def test_nothing_in_the_app_updates_or_deletes_an_audit_entry():
    """Append-only for the app: AuditEntry is only ever added (orgs/audit.py)."""
    offenders = []
    for path in (ROOT / "workshop").rglob("*.py"):
        source = path.read_text()
        if "AuditEntry" not in source and "audit_entries" not in source:
            continue
        tree = ast.parse(source)
        for node in ast.walk(tree):
            text = ast.unparse(node) if isinstance(node, ast.Call) else ""
            if ("AuditEntry" in text or "audit_entries" in text) and any(
                    word in text for word in ("delete(", "update(", ".delete", "DELETE",
                                              "UPDATE")):
                offenders.append(f"{path.relative_to(ROOT)}: {text[:80]}")
    assert offenders == []
    # The organisation's log outlives the accounts in it (actor kept as text).
    assert "actor_label" in (ROOT / "workshop/orgs/models.py").read_text()


def test_the_home_organisation_logs_its_own_creation(app):
    organisation = orgs.create_organisation("POM")
    assert _actions(organisation) == ["organisation_created"]
