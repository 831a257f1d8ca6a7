"""The application as a whole: configuration, health, errors, languages, access."""

import sqlite3

import pytest
from sqlalchemy import text
from sqlalchemy.exc import OperationalError

from config import DevelopmentConfig, ProductionConfig, TestingConfig
from workshop import create_app
from workshop.core.database import resolve_database_url
from workshop.core.secrets import WeakSecretKey
from workshop.extensions import db, socketio


@pytest.mark.parametrize("key", [None, "", "secret", "changeme", "short-key", "a" * 64])
def test_production_refuses_to_start_with_a_weak_secret_key(tmp_path, key):
    with pytest.raises(WeakSecretKey) as error:
        create_app(ProductionConfig, instance_path=tmp_path, SECRET_KEY=key)
    assert "secrets.token_hex(32)" in str(error.value)


def test_production_starts_with_a_strong_secret_key(tmp_path):
    key = "9f8a7b6c5d4e3f2a1b0c9d8e7f6a5b4c3d2e1f0a9b8c7d6e"
    app = create_app(ProductionConfig, instance_path=tmp_path, SECRET_KEY=key,
                     SQLALCHEMY_DATABASE_URI="sqlite://")
    assert app.config["SECRET_KEY"] == key
    assert app.config["SESSION_COOKIE_SECURE"] is True


def test_development_makes_a_secret_key_once_and_keeps_it(tmp_path):
    first = create_app(DevelopmentConfig, instance_path=tmp_path, SECRET_KEY=None)
    second = create_app(DevelopmentConfig, instance_path=tmp_path, SECRET_KEY=None)
    assert len(first.config["SECRET_KEY"]) == 64
    assert first.config["SECRET_KEY"] == second.config["SECRET_KEY"]
    assert (tmp_path / "secret_key").stat().st_mode & 0o777 == 0o600


def test_a_session_survives_a_restart_in_development(tmp_path):
    def build():
        app = create_app(DevelopmentConfig, instance_path=tmp_path, SECRET_KEY=None,
                         SOCKETIO_ASYNC_MODE="threading")
        with app.app_context():
            db.create_all()
        return app

    from workshop.accounts import services

    app = build()
    with app.app_context():
        services.create_facilitator("anna@example.org", "Anna", "correct horse battery")
    client = app.test_client()
    with client.session_transaction() as session:
        session["_user_id"] = "1:1"
        session["_fresh"] = True
    cookie = client.get_cookie("session").value
    restarted = build().test_client()
    restarted.set_cookie("session", cookie)
    assert restarted.get("/").status_code == 200


def test_database_url_defaults_to_sqlite_in_instance_folder(tmp_path):
    assert resolve_database_url(None, tmp_path) == f"sqlite:///{tmp_path}/koers.db"
    assert resolve_database_url("postgres://u:p@h/db", tmp_path) == (
        "postgresql+psycopg://u:p@h/db")
    assert resolve_database_url("postgresql://u@h/db", tmp_path) == (
        "postgresql+psycopg://u@h/db")


def test_sqlite_runs_in_wal_mode_with_busy_timeout_and_foreign_keys(app):
    pragmas = {
        name: db.session.execute(text(f"PRAGMA {name}")).scalar()
        for name in ("journal_mode", "busy_timeout", "foreign_keys")
    }
    assert pragmas == {"journal_mode": "wal", "busy_timeout": 5000, "foreign_keys": 1}


def test_foreign_keys_are_enforced(app):
    with pytest.raises(Exception) as error:
        db.session.execute(text(
            "INSERT INTO domains (plan_id, name, description, colour, position) "
            "VALUES (999, 'x', '', '#000000', 1)"))
        db.session.commit()
    db.session.rollback()
    assert "FOREIGN KEY" in str(error.value)
    assert isinstance(error.value.orig, sqlite3.IntegrityError)


def test_healthz_answers_200_when_the_database_answers(client):
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response.json == {"status": "ok", "database": "ok"}


def test_healthz_answers_503_when_the_database_does_not(client, monkeypatch):
    def broken(*args, **kwargs):
        raise OperationalError("SELECT 1", {}, Exception("database is gone"))

    monkeypatch.setattr(db.session, "execute", broken)
    response = client.get("/healthz")
    assert response.status_code == 503
    assert response.json["status"] == "error"


def test_two_apps_in_a_row_both_serve_pages_and_sockets(tmp_path):
    """Guards the Socket.IO registration trap: handlers must reach every app."""
    from workshop.accounts import services as accounts
    from workshop.live import workshops
    from workshop.plans import services as plans

    for n in range(2):
        app = create_app(TestingConfig, instance_path=tmp_path / str(n),
                         SQLALCHEMY_DATABASE_URI=f"sqlite:///{tmp_path}/{n}.db")
        with app.app_context():
            db.create_all()
            anna = accounts.create_facilitator("anna@example.org", "Anna", "correct horse 1")
            plan = plans.create_plan({"title": "P", "organisation": "O",
                                      "horizon_start": 2027, "horizon_end": 2030})
            workshop = workshops.create_workshop(plan, {"title": "W", "groups": ["G"]})
            db.session.commit()  # services flush; this set-up is the edge
            session_id, workshop_id = anna.get_id(), workshop.id
        client = app.test_client()
        assert client.get("/healthz").status_code == 200
        with client.session_transaction() as session:
            session["_user_id"] = session_id
        socket = socketio.test_client(app, flask_test_client=client,
                                      auth={"workshop": workshop_id, "role": "console"})
        assert socket.is_connected()
        snapshot = socket.emit("request_snapshot", {}, callback=True)
        assert snapshot["ok"] and snapshot["snapshot"]["stage"]["workshop"]["title"] == "W"
        socket.disconnect()


def test_404_page_is_friendly_in_both_languages(logged_in):
    english = logged_in.get("/nowhere", headers={"Accept-Language": "en"})
    dutch = logged_in.get("/nowhere", headers={"Accept-Language": "nl-BE,nl;q=0.9"})
    assert english.status_code == dutch.status_code == 404
    assert "Page not found" in english.get_data(as_text=True)
    assert "Pagina niet gevonden" in dutch.get_data(as_text=True)
    assert '<html lang="nl">' in dutch.get_data(as_text=True)


def test_500_page_hides_details_and_logs_the_error(app, facilitator, caplog):
    @app.get("/boom")
    def boom():
        raise RuntimeError("secret internal detail")

    response = app.test_client().get("/boom", headers={"Accept-Language": "en"})
    page = response.get_data(as_text=True)
    assert response.status_code == 500
    assert "Something went wrong on our side" in page
    assert "secret internal detail" not in page
    assert "secret internal detail" in caplog.text


@pytest.mark.parametrize(
    ("code", "english", "dutch"),
    [
        (400, "We could not use that request", "Daar konden we niets mee"),
        (403, "Not for you, sorry", None),
        (413, "Too much at once", None),
        (429, "Slow down a little", None),
    ],
)
def test_error_pages_are_friendly_in_both_languages(app, facilitator, code, english, dutch):
    from flask import abort

    app.add_url_rule(f"/fail/{code}", f"fail{code}", lambda: abort(code))
    client = app.test_client()
    page_en = client.get(f"/fail/{code}", headers={"Accept-Language": "en"})
    page_nl = client.get(f"/fail/{code}", headers={"Accept-Language": "nl"})
    assert page_en.status_code == page_nl.status_code == code
    assert english in page_en.get_data(as_text=True)
    text_nl = page_nl.get_data(as_text=True)
    assert english not in text_nl and '<html lang="nl">' in text_nl
    if dutch:
        assert dutch in text_nl


def test_error_pages_answer_json_to_api_clients(client, facilitator):
    response = client.get("/nowhere", headers={"Accept": "application/json"})
    assert response.status_code == 404
    assert response.json["error"] == "Page not found"


def test_405_gets_a_friendly_page(client, facilitator):
    response = client.get("/logout", headers={"Accept-Language": "en"})
    assert response.status_code == 405
    assert "cannot be used this way" in response.get_data(as_text=True)


def test_language_follows_the_browser_then_the_users_choice(client, facilitator):
    page = client.get("/login", headers={"Accept-Language": "nl"}).get_data(as_text=True)
    assert "Aanmelden" in page
    response = client.get("/language/en?next=/login", headers={"Accept-Language": "nl"})
    assert response.status_code == 302 and response.headers["Location"] == "/login"
    page = client.get("/login", headers={"Accept-Language": "nl"}).get_data(as_text=True)
    assert "Log in" in page and '<html lang="en">' in page


@pytest.mark.parametrize(
    "target", ["https://evil.example/", "//evil.example/", "/\\evil.example", "javascript:x"]
)
def test_language_switch_never_redirects_off_site(client, facilitator, target):
    response = client.get("/language/nl", query_string={"next": target})
    assert response.headers["Location"] == "/"


def test_unknown_language_is_ignored(client, facilitator):
    client.get("/language/xx")
    assert client.get_cookie("koers_lang") is None


def test_every_facilitator_page_refuses_an_anonymous_visitor(app, client, facilitator):
    public = {"static", "accounts.setup", "accounts.login", "accounts.logout",
              "i18n.switch_language", "pages.healthz", "join.enter_code", "join.join",
              "join.participate", "join.qr_code", "join.api_join", "stakeholder.page",
              "stakeholder.register", "stakeholder.react", "stakeholder.withdraw",
              "progress_page.page", "orgs.invitation", "privacy.notice", "privacy.logo"}
    checked = 0
    for rule in app.url_map.iter_rules():
        if rule.endpoint in public:
            continue
        url = rule.rule
        for name in ("plan_id", "domain_id", "workshop_id", "step_id", "item_id", "change_id",
                     "round_id", "link_id", "comment_id", "indicator_id", "measurement_id",
                     "organisation_id", "invitation_id", "membership_id", "team_member_id"):
            url = url.replace(f"<int:{name}>", "1")
        for method in rule.methods - {"HEAD", "OPTIONS"}:
            response = client.open(url, method=method)
            assert response.status_code == 302, (method, url)
            assert response.headers["Location"].startswith("/login"), (method, url)
            checked += 1
    assert checked >= 25


def test_plain_text_is_escaped_everywhere(logged_in, make_plan):
    plan = make_plan(title="<script>alert(1)</script>", domains=["<b>bold</b>"])
    for url in ("/", f"/plans/{plan.id}"):
        page = logged_in.get(url).get_data(as_text=True)
        assert "<script>alert(1)</script>" not in page
        assert "&lt;script&gt;alert(1)&lt;/script&gt;" in page
        assert "<b>bold</b>" not in page
