"""Koers: participatory strategy work. `create_app()` builds the Flask application."""

import json
import logging
import os
from pathlib import Path

from flask import Flask
from flask_babel import lazy_gettext as _l
from werkzeug.middleware.proxy_fix import ProxyFix

from config import config_from_env
from workshop.core import assets, database, headers, i18n, inputs, pages, socket_limits
from workshop.core.colours import text_on
from workshop.core.secrets import resolve_secret_key
from workshop.extensions import (
    babel,
    compress,
    csrf,
    db,
    limiter,
    login_manager,
    migrate,
    socketio,
)

ROOT = Path(__file__).resolve().parent.parent


def create_app(config_class=None, instance_path=None, **overrides):
    """Build a Koers app. Does no migration and no network work."""
    app = Flask(
        __name__,
        instance_path=str(instance_path or os.environ.get("KOERS_INSTANCE_PATH")
                          or ROOT / "instance"),
        template_folder=str(ROOT / "templates"),
        static_folder=str(ROOT / "static"),
    )
    app.config.from_object(config_class or config_from_env())
    app.config.update(overrides)

    app.config["SECRET_KEY"] = resolve_secret_key(
        app.config.get("SECRET_KEY"), app.config.get("ENV_NAME"), app.instance_path
    )
    app.config["SQLALCHEMY_DATABASE_URI"] = database.resolve_database_url(
        app.config.get("SQLALCHEMY_DATABASE_URI"), app.instance_path
    )
    if app.config["SQLALCHEMY_DATABASE_URI"].startswith("sqlite:///"):
        Path(app.instance_path).mkdir(parents=True, exist_ok=True)
    database.configure_sqlite(app.config["SQLITE_BUSY_TIMEOUT_MS"])

    inputs.init_app(app)  # before any route: its `int` converter is bounded
    _init_extensions(app)
    headers.init_app(app)  # after Socket.IO's middleware, which it wraps
    if app.config["TRUSTED_PROXY_COUNT"]:
        # Outermost, so Socket.IO (and its headers, HSTS included) sees the real scheme
        # and client address too.
        count = app.config["TRUSTED_PROXY_COUNT"]
        app.wsgi_app = ProxyFix(app.wsgi_app, x_for=count, x_proto=count, x_host=count)
    _register_blueprints(app)
    _register_errors(app)
    _register_cli(app)
    _register_domain_counters()
    app.jinja_env.add_extension("jinja2.ext.do")
    app.jinja_env.filters["duration"] = i18n.format_duration
    app.jinja_env.filters["decimal"] = i18n.format_number
    app.jinja_env.filters["plain_number"] = i18n.plain_number
    app.jinja_env.filters["fromjson"] = json.loads
    app.jinja_env.filters["isodate"] = i18n.format_iso_date
    app.context_processor(_template_context)
    if not app.debug and not app.testing:
        app.logger.setLevel(logging.INFO)
    return app


def _init_extensions(app):
    db.init_app(app)
    # render_as_batch lets Alembic alter tables on SQLite as well as PostgreSQL.
    migrate.init_app(app, db, directory=str(ROOT / "migrations"), render_as_batch=True)
    csrf.init_app(app)
    login_manager.init_app(app)
    login_manager.login_view = "accounts.login"
    login_manager.login_message = _l("Log in to see this page.")
    login_manager.login_message_category = "info"
    babel.init_app(app, locale_selector=i18n.select_locale)
    limiter.init_app(app)
    socket_limits.init_app(app)
    # Pages and JSON compressed per request; static files are compressed once (core.assets).
    compress.init_app(app)
    assets.init_app(app)
    # Socket.IO handlers register on the module-level SocketIO object when their module
    # is imported; importing them before init_app gives every app built in a process
    # the same handlers (see the two-apps test).
    import workshop.live.events  # noqa: F401
    import workshop.monitor.models  # noqa: F401
    import workshop.review.events  # noqa: F401
    import workshop.review.models  # noqa: F401
    import workshop.tree.models  # noqa: F401  (plan items are referenced by live models)
    import workshop.voting.events  # noqa: F401
    from workshop.core import packets

    packets.install()
    socketio.init_app(
        app,
        async_mode=app.config["SOCKETIO_ASYNC_MODE"],
        message_queue=app.config["SOCKETIO_MESSAGE_QUEUE"],
        # None: only the page's own origin may connect (an empty list would turn the
        # check off entirely).
        cors_allowed_origins=app.config.get("SOCKETIO_CORS_ORIGINS") or None,
        max_http_buffer_size=64 * 1024,
        # Client packets that name no event, a reserved one or nest too deep are made
        # harmless before python-socketio dispatches them (core/packets.py).
        serializer=packets.Packet,
    )


def _register_blueprints(app):
    from workshop.accounts.routes import bp as accounts_bp
    from workshop.live.join import bp as join_bp
    from workshop.live.routes import bp as live_bp
    from workshop.orgs.routes import bp as orgs_bp
    from workshop.plans.routes import bp as plans_bp

    app.register_blueprint(i18n.bp)
    app.register_blueprint(pages.bp)
    app.register_blueprint(accounts_bp)
    app.register_blueprint(orgs_bp)
    from workshop.privacy.routes import bp as privacy_bp

    app.register_blueprint(privacy_bp)
    app.register_blueprint(plans_bp)
    app.register_blueprint(live_bp)
    app.register_blueprint(join_bp)
    from workshop.tree.routes import bp as tree_bp

    app.register_blueprint(tree_bp)
    from workshop.review.public import bp as stakeholder_bp
    from workshop.review.routes import bp as review_bp

    app.register_blueprint(review_bp)
    app.register_blueprint(stakeholder_bp)
    from workshop.export.routes import bp as export_bp

    app.register_blueprint(export_bp)
    from workshop.monitor.public import bp as progress_bp
    from workshop.monitor.routes import bp as monitor_bp

    app.register_blueprint(monitor_bp)
    app.register_blueprint(progress_bp)
    limiter.exempt(pages.bp)


def _register_errors(app):
    from werkzeug.exceptions import HTTPException

    from workshop.core.errors import Forbidden, NotFound

    app.register_error_handler(HTTPException, pages.handle_http_error)
    # Services raise NotFound for unknown ids and other plans' or workshops' things;
    # uncaught in a route, that is a 404 page (no try/abort in every route).
    app.register_error_handler(NotFound, pages.handle_not_found)
    app.register_error_handler(Forbidden, pages.handle_forbidden)
    app.register_error_handler(Exception, pages.handle_unexpected_error)


def _register_cli(app):
    from workshop.cli import koers

    app.cli.add_command(koers)


def _register_domain_counters():
    from workshop.live.participation import count_in_domain as proposals_in_domain
    from workshop.plans.services import DOMAIN_CONTENT_COUNTERS
    from workshop.tree.services import count_in_domain

    for counter in (count_in_domain, proposals_in_domain):
        if counter not in DOMAIN_CONTENT_COUNTERS:
            DOMAIN_CONTENT_COUNTERS.append(counter)


def _template_context():
    return {**i18n.template_globals(), "text_on": text_on}
