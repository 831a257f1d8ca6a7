"""Every page as every role, in its own organisation and in another's.

Two organisations (tests/orgs/seed.py); every rule of `app.url_map` has a declared
expectation below (a new route without one fails `test_every_route_has_an_expectation`).
For each route, method and role the database is restored to the seed; a refused request
must leave every table exactly as it was.
"""

import hashlib
import re
import sqlite3
from contextlib import closing

import pytest

from config import TestingConfig
from tests.conftest import FreshContextClient
from tests.core.test_csrf import FORM_POSTS
from tests.orgs.seed import ROLES, seed
from workshop import create_app
from workshop.extensions import db

PUBLIC = "public"  # no account needed; roles do not matter
ANY_ACCOUNT = "any account"
PLAN_READ, PLAN_EDIT = "plan read", "plan edit"
REPORT = "report the indicator's figures"  # the seed names owner_a its reporter
ORG_READ, ORG_MANAGE = "organisation read", "organisation manage"
CREATE_PLAN, CREATE_ORGANISATION = "create a plan", "create an organisation"

READ_ENDPOINTS = {"plans.show", "plans.team", "tree.document", "tree.version_list",
                  "export.download", "monitor.dashboard", "monitor.indicator"}
EXPECTATIONS = {
    **dict.fromkeys(("pages.healthz", "join.api_join", "join.enter_code", "join.join",
                     "join.qr_code", "join.participate", "i18n.switch_language",
                     "accounts.login", "accounts.setup", "progress_page.page",
                     "stakeholder.page", "stakeholder.withdraw", "stakeholder.react",
                     "stakeholder.register", "orgs.invitation", "privacy.notice", "privacy.logo",
                     "static"),
                    PUBLIC),
    **dict.fromkeys(("plans.index", "accounts.change_password", "accounts.logout",
                     "orgs.index", "monitor.my_indicators"), ANY_ACCOUNT),
    **dict.fromkeys(("monitor.add_measurement", "monitor.edit_measurement",
                     "monitor.delete_measurement"), REPORT),
    "plans.new": CREATE_PLAN,
    "orgs.create": CREATE_ORGANISATION,
    "orgs.show": ORG_READ,
    **dict.fromkeys(("orgs.invite", "orgs.revoke_invitation", "orgs.change_role",
                     "orgs.remove_member", "orgs.audit_log", "orgs.audit_csv",
                     "privacy.settings"), ORG_MANAGE),
}

ALLOWED = {
    PLAN_READ: {"admin_a", "facilitator_a", "owner_a", "viewer_a"},
    PLAN_EDIT: {"admin_a", "facilitator_a"},
    REPORT: {"admin_a", "facilitator_a", "owner_a"},
    ORG_READ: {"admin_a", "facilitator_a", "facilitator_off_team", "owner_a", "viewer_a"},
    ORG_MANAGE: {"admin_a"},
    CREATE_PLAN: {"admin_a", "facilitator_a", "facilitator_off_team", "admin_b"},
    CREATE_ORGANISATION: {"admin_a"},  # the installation's administrator
}
# Members who may see the thing but not do this get 403; everyone else 404 (it does not
# exist for them), whatever their role in their own organisation.
SEES = {
    PLAN_EDIT: ALLOWED[PLAN_READ],
    REPORT: ALLOWED[PLAN_READ],
    ORG_MANAGE: ALLOWED[ORG_READ],
    CREATE_PLAN: {"owner_a", "viewer_a"},
    CREATE_ORGANISATION: set(ROLES) - {"anonymous"},
}
IGNORED_TABLES = {"sqlite_sequence", "alembic_version"}


# Pages that show on GET and change on POST (one rule, two needs).
POST_EDITS = {"plans.team"}


def expectation(endpoint, rule, method="GET"):
    if method == "POST" and endpoint in POST_EDITS:
        return PLAN_EDIT
    if endpoint in EXPECTATIONS:
        return EXPECTATIONS[endpoint]
    if "<int:plan_id>" in rule or "<int:workshop_id>" in rule:
        return PLAN_READ if endpoint in READ_ENDPOINTS else PLAN_EDIT
    return None


@pytest.fixture(scope="module")
def world(tmp_path_factory):
    folder = tmp_path_factory.mktemp("matrix")
    path = folder / "koers.db"
    app = create_app(TestingConfig, instance_path=folder / "instance",
                     SQLALCHEMY_DATABASE_URI=f"sqlite:///{path}")
    app.test_client_class = FreshContextClient
    with app.app_context():
        db.create_all()
        made = seed()
        ids = {key: (value.get_id() if value is not None else None)
               for key, value in made.items() if key in ROLES}
        db.session.execute(db.text("PRAGMA wal_checkpoint(TRUNCATE)"))
        db.session.remove()
        db.engine.dispose()
        template = folder / "template.db"
        with closing(sqlite3.connect(path)) as source, \
                closing(sqlite3.connect(template)) as target:
            source.backup(target)
        yield {"app": app, "path": path, "template": template, "sessions": ids, **made}
        db.session.remove()
        db.engine.dispose()


def _restore(world):
    """Back to the seed, through SQLite's backup API (safe with the WAL)."""
    db.session.remove()
    db.engine.dispose()
    with closing(sqlite3.connect(world["template"])) as source, \
            closing(sqlite3.connect(world["path"])) as target:
        source.backup(target)


def _checksum(path):
    digest = hashlib.sha256()
    with closing(sqlite3.connect(path)) as connection:
        tables = [row[0] for row in connection.execute(
            "SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name")]
        for table in tables:
            if table in IGNORED_TABLES:
                continue
            for row in connection.execute(f'SELECT * FROM "{table}" ORDER BY rowid'):  # noqa: S608
                digest.update(repr((table, row)).encode())
    return digest.hexdigest()


def _url(world, endpoint, rule):
    ids, tokens = world["ids"], world["tokens"]
    token = {"stakeholder": tokens["review"], "progress_page": tokens["progress"],
             "orgs": tokens["invite"]}.get(endpoint.split(".")[0], "x")
    url = rule.replace("<token>", token)
    url = url.replace("<code>", "en" if endpoint.startswith("i18n") else tokens["code"])
    url = re.sub(r"<int:(\w+)>", lambda m: str(ids[m.group(1)]), url)
    if endpoint == "monitor.new_indicator":
        url += f"?goal={ids['goal_id']}"
    return url


POST_DATA = dict(FORM_POSTS)


def _request(world, role, method, endpoint, rule):
    client = world["app"].test_client()
    if world["sessions"][role] is not None:
        with client.session_transaction() as session:
            session["_user_id"] = world["sessions"][role]
            session["_fresh"] = True
    url = _url(world, endpoint, rule)
    if method == "GET":
        return client.get(url)
    return client.post(url, data=POST_DATA.get(rule, {}))


def _rules(app):
    return sorted((r for r in app.url_map.iter_rules() if r.endpoint != "static"),
                  key=lambda r: r.rule)


def test_every_route_has_an_expectation(world):
    missing = [r.endpoint for r in _rules(world["app"]) if expectation(r.endpoint, r.rule) is None]
    assert missing == [], f"declare who may use these routes: {missing}"


def _cases():
    app = create_app(TestingConfig, SQLALCHEMY_DATABASE_URI="sqlite://")
    for rule in _rules(app):
        for method in ("GET", "POST"):
            kind = expectation(rule.endpoint, rule.rule, method)
            if kind in (None, PUBLIC, ANY_ACCOUNT):
                continue
            if method in rule.methods:
                yield pytest.param(rule.endpoint, rule.rule, method, kind,
                                   id=f"{method} {rule.rule}")


@pytest.mark.parametrize(("endpoint", "rule", "method", "kind"), list(_cases()))
def test_route_as_every_role(world, endpoint, rule, method, kind):
    outcomes = {}
    for role in ROLES:
        _restore(world)
        before = _checksum(world["path"])
        response = _request(world, role, method, endpoint, rule)
        status = response.status_code
        outcomes[role] = status
        if role == "anonymous":
            assert status == 302 and "/login" in response.headers["Location"], (role, status)
        elif role in ALLOWED[kind]:
            # Let through: it may still be refused by a rule of the domain (400, 409, 422).
            assert status in (200, 302, 400, 409, 422), (
                role, status, response.get_data(True)[:300])
            continue
        elif role in SEES.get(kind, set()):
            assert status == 403, (role, status)
        else:
            assert status == 404, (role, status)
        _restore_check = _checksum(world["path"])
        assert _restore_check == before, f"{role}: a refused {method} changed the database"
    assert outcomes  # every role was tried


def test_other_organisations_plan_is_invisible_even_to_its_neighbours_admin(world):
    _restore(world)
    client = world["app"].test_client()
    with client.session_transaction() as session:
        session["_user_id"] = world["sessions"]["admin_b"]
    home = client.get("/").get_data(as_text=True)
    assert "Plan B" in home and "Plan A" not in home
    assert client.get(f"/plans/{world['plan_b']}").status_code == 200
    assert client.get(f"/plans/{world['ids']['plan_id']}").status_code == 404
