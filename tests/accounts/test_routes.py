"""Set-up, log in and out, and account pages through HTTP."""

import pytest

from config import TestingConfig
from tests.conftest import FreshContextClient
from workshop import create_app
from workshop.accounts import services
from workshop.extensions import db

PASSWORD = "correct horse battery"


def test_fresh_install_leads_every_page_to_setup(client):
    for url in ("/", "/plans/new", "/organisations", "/login"):
        response = client.get(url)
        assert response.status_code == 302
        assert response.headers["Location"].endswith("/setup")


def test_setup_creates_first_account_and_logs_in(client):
    response = client.post("/setup", data={
        "name": "Anna", "email": "anna@example.org", "password": PASSWORD, "confirm": PASSWORD,
        "organisation": "POM West-Vlaanderen",
    })
    assert response.status_code == 302
    assert response.headers["Location"].endswith("/plans/new")
    assert services.count_facilitators() == 1
    assert client.get("/plans/new").status_code == 200
    # The set-up page is gone once an account exists.
    assert client.get("/setup").headers["Location"].endswith("/login")


def test_setup_shows_errors_in_place_and_keeps_what_was_typed(client):
    response = client.post("/setup", data={
        "name": "Anna", "email": "anna@example", "password": "short", "confirm": "other",
    })
    page = response.get_data(as_text=True)
    assert response.status_code == 200
    assert 'value="Anna"' in page and 'value="anna@example"' in page
    assert "Enter a valid e-mail address" in page
    assert "The passwords differ." in page
    assert services.count_facilitators() == 0


def test_login_and_logout(client, auth, facilitator):
    response = auth.login()
    assert response.status_code == 302
    assert client.get("/").status_code == 200
    auth.logout()
    assert client.get("/").headers["Location"].startswith("/login")


def test_wrong_password_is_refused_with_a_message(client, auth, facilitator):
    response = auth.login(password="not the password")
    assert response.status_code == 200
    assert "do not match" in response.get_data(as_text=True)
    assert client.get("/").status_code == 302


def test_login_clears_what_was_in_the_session(client, auth, facilitator):
    with client.session_transaction() as session:
        session["planted"] = "by an attacker"
    auth.login()
    with client.session_transaction() as session:
        assert "planted" not in session


def test_login_follows_only_local_next(client, facilitator):
    data = {"email": "anna@example.org", "password": PASSWORD}
    ok = client.post("/login?next=/plans/new", data=data)
    assert ok.headers["Location"] == "/plans/new"
    client.post("/logout")
    evil = client.post("/login?next=https://evil.example/", data=data)
    assert evil.headers["Location"] == "/"


def test_repeated_failed_logins_are_rate_limited(client, auth, facilitator):
    for _ in range(5):
        assert auth.login(password="wrong password").status_code == 200
    blocked = auth.login()  # even the right password waits now
    assert blocked.status_code == 429
    assert "Too many attempts" in blocked.get_data(as_text=True)


def test_successful_logins_do_not_count_towards_the_limit(client, auth, facilitator):
    for _ in range(8):
        assert auth.login().status_code == 302
        auth.logout()


def test_change_password_logs_out_other_browsers(app, logged_in, facilitator):
    other = app.test_client()
    other.post("/login", data={"email": "anna@example.org", "password": PASSWORD})
    assert other.get("/").status_code == 200
    response = logged_in.post("/account/password", data={
        "current_password": PASSWORD, "new_password": "another good one", "confirm":
        "another good one",
    })
    assert response.status_code == 302
    assert logged_in.get("/").status_code == 200  # this browser stays logged in
    assert other.get("/").status_code == 302  # the other one is sent to log in


def test_change_password_with_wrong_current_password_changes_nothing(logged_in):
    response = logged_in.post("/account/password", data={
        "current_password": "wrong!wrong!", "new_password": "another good one",
        "confirm": "another good one",
    })
    assert "not your current password" in response.get_data(as_text=True)
    assert services.authenticate("anna@example.org", PASSWORD)


def test_cli_create_facilitator_completes_setup(runner, client):
    result = runner.invoke(args=[
        "koers", "create-facilitator", "--email", "cli@example.org", "--name", "Cli",
        "--password", PASSWORD,
    ])
    assert result.exit_code == 0, result.output
    assert "Created facilitator Cli" in result.output
    assert client.get("/").headers["Location"].startswith("/login")


def test_cli_refuses_weak_password_with_a_message(runner):
    result = runner.invoke(args=[
        "koers", "create-facilitator", "--email", "cli@example.org", "--name", "Cli",
        "--password", "short",
    ])
    assert result.exit_code != 0
    assert "at least 10 characters" in result.output
    assert services.count_facilitators() == 0


@pytest.fixture
def csrf_app(tmp_path):
    app = create_app(TestingConfig, instance_path=tmp_path / "i", WTF_CSRF_ENABLED=True,
                     SQLALCHEMY_DATABASE_URI=f"sqlite:///{tmp_path / 'c.db'}")
    app.test_client_class = FreshContextClient
    with app.app_context():
        db.create_all()
        services.create_facilitator("anna@example.org", "Anna", PASSWORD)
        yield app
        db.session.remove()


def _csrf_token(page):
    marker = 'name="csrf_token" type="hidden" value="'
    start = page.index(marker) + len(marker)
    return page[start:page.index('"', start)]


def test_login_without_csrf_token_is_refused(csrf_app):
    client = csrf_app.test_client()
    response = client.post("/login", data={"email": "anna@example.org", "password": PASSWORD})
    assert response.status_code == 200
    assert "expired for your safety" in response.get_data(as_text=True)
    assert client.get("/").status_code == 302  # not logged in


def test_expired_csrf_token_reshows_form_with_message_and_typed_values(csrf_app, monkeypatch):
    client = csrf_app.test_client()
    token = _csrf_token(client.get("/login").get_data(as_text=True))
    csrf_app.config["WTF_CSRF_TIME_LIMIT"] = 1
    import time

    real_time = time.time
    monkeypatch.setattr(time, "time", lambda: real_time() + 3600)
    response = client.post("/login", data={
        "csrf_token": token, "email": "anna@example.org", "password": PASSWORD,
    })
    page = response.get_data(as_text=True)
    assert response.status_code == 200
    assert "expired for your safety" in page
    assert 'value="anna@example.org"' in page
    monkeypatch.setattr(time, "time", real_time)
    assert client.get("/").status_code == 302


def test_login_with_valid_csrf_token_works(csrf_app):
    client = csrf_app.test_client()
    token = _csrf_token(client.get("/login").get_data(as_text=True))
    response = client.post("/login", data={
        "csrf_token": token, "email": "anna@example.org", "password": PASSWORD,
    })
    assert response.status_code == 302
