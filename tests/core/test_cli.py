"""`flask koers …` on a fresh install: what to run first instead of a traceback, and
whole addresses to open instead of bare paths."""

import re

from alembic.script import ScriptDirectory
from flask_migrate import upgrade

from config import TestingConfig
from workshop import create_app
from workshop.extensions import db

NOT_SET_UP = "The database is not set up yet: run `flask db upgrade` (or `make run`) first."


def _fresh_app(tmp_path, **overrides):
    """An app on a database file no one has run `flask db upgrade` on."""
    return create_app(TestingConfig, instance_path=tmp_path / "instance",
                      SQLALCHEMY_DATABASE_URI=f"sqlite:///{tmp_path / 'fresh.db'}", **overrides)


def _invoke(app, *args, **kwargs):
    """Run a command as `flask` does: inside an app context."""
    with app.app_context():
        result = app.test_cli_runner().invoke(args=list(args), **kwargs)
        db.engine.dispose()
    return result


def test_demo_on_a_database_never_upgraded_says_what_to_run(tmp_path):
    result = _invoke(_fresh_app(tmp_path), "koers", "demo")
    assert result.exit_code == 1
    assert NOT_SET_UP in result.output
    assert "Traceback" not in result.output
    assert isinstance(result.exception, SystemExit)


def test_create_facilitator_on_a_fresh_database_stops_before_asking_a_password(tmp_path):
    result = _invoke(_fresh_app(tmp_path), "koers", "create-facilitator",
                     "--email", "anna@example.org", "--name", "Anna")
    assert result.exit_code == 1
    assert NOT_SET_UP in result.output
    assert "Password" not in result.output


def test_help_works_before_the_database_is_set_up(tmp_path):
    result = _invoke(_fresh_app(tmp_path), "koers", "demo", "--help")
    assert result.exit_code == 0
    assert "Load a demo plan" in result.output


def test_demo_on_a_database_an_upgrade_behind_says_to_upgrade(tmp_path):
    app = _fresh_app(tmp_path)
    with app.app_context():
        config = app.extensions["migrate"].migrate.get_config()
        script = ScriptDirectory.from_config(config)
        (head,) = script.get_heads()
        upgrade(revision=script.get_revision(head).down_revision)
    result = _invoke(app, "koers", "demo")
    assert result.exit_code == 1
    assert "The database is not up to date: run `flask db upgrade`" in result.output


def test_demo_runs_once_the_database_is_upgraded(tmp_path):
    app = _fresh_app(tmp_path)
    with app.app_context():
        upgrade()
    result = _invoke(app, "koers", "demo")
    assert result.exit_code == 0, result.output
    assert "4 work domains" in result.output
    # Stored for good: a second run (a new connection) finds the plan and adds nothing.
    again = _invoke(app, "koers", "demo")
    assert again.exit_code == 0 and "already there" in again.output


def test_a_database_that_does_not_answer_is_named(tmp_path):
    app = create_app(TestingConfig, instance_path=tmp_path,
                     SQLALCHEMY_DATABASE_URI="postgresql+psycopg://koers@127.0.0.1:1/koers")
    result = _invoke(app, "koers", "demo")
    assert result.exit_code == 1
    assert "The database does not answer" in result.output
    assert "DATABASE_URL" in result.output


def _addresses(output):
    return re.findall(r"\S*/(?:j|r|p|login)\b\S*", output)


def test_demo_prints_whole_addresses_on_the_public_url(runner, app):
    app.config["PUBLIC_URL"] = "https://koers.example.org"
    result = runner.invoke(args=["koers", "demo"])
    assert result.exit_code == 0, result.output
    code = re.search(r"join code ([A-Z2-9]{8})", result.output).group(1)
    assert f"phones open https://koers.example.org/j/{code})" in result.output
    assert re.search(r"stakeholders open https://koers\.example\.org/r/[\w-]+$",
                     result.output, re.M)
    assert re.search(r"Public progress page: https://koers\.example\.org/p/[\w-]+$",
                     result.output, re.M)
    assert "(at https://koers.example.org/login)" in result.output
    addresses = _addresses(result.output)
    assert len(addresses) == 4
    assert all(a.startswith("https://koers.example.org/") for a in addresses), addresses


def test_demo_prints_the_lan_address_make_run_prints(runner, app, monkeypatch):
    import workshop.core.network as network

    monkeypatch.setattr(network, "lan_address", lambda: "192.168.1.20")
    monkeypatch.setenv("PORT", "5080")
    app.config["PUBLIC_URL"] = None
    result = runner.invoke(args=["koers", "demo"])
    assert result.exit_code == 0, result.output
    addresses = _addresses(result.output)
    assert len(addresses) == 4
    assert all(a.startswith("http://192.168.1.20:5080/") for a in addresses), addresses


def test_a_database_made_by_create_all_counts_as_set_up(runner):
    result = runner.invoke(args=["koers", "export", "999", "--format", "md", "-o", "-"])
    assert result.exit_code == 1
    assert "not set up" not in result.output
    assert "999" in result.output
