"""Gunicorn settings for Koers: one gevent worker, so Socket.IO can hold many phones.

Loaded by gunicorn.conf.py in the project folder, which monkey-patches with gevent first:
`gunicorn -c gunicorn.conf.py wsgi:app` (`make run` and production). Each setting can be
overridden on the gunicorn command line.
"""

import os

from workshop.core.network import configured_port, public_base_url

port = configured_port()
bind = os.environ.get("BIND", f"0.0.0.0:{port}")
# Socket.IO sessions live in one process; scale out with more processes behind a
# sticky proxy and SOCKETIO_MESSAGE_QUEUE, not with more workers here.
worker_class = "gevent"
workers = 1
worker_connections = int(os.environ.get("WORKER_CONNECTIONS", "4000"))
# Gunicorn's control socket lives at one fixed path per user: two Koers servers on one
# machine (tests, a benchmark next to `make run`) would fight over it. Koers needs none.
control_socket_disable = True
timeout = 60
graceful_timeout = 10
accesslog = os.environ.get("ACCESS_LOG") or None
errorlog = "-"
loglevel = os.environ.get("LOG_LEVEL", "info")


def when_ready(server):
    """Say where a phone on the same network can reach Koers; warn (once, in the master)
    when rate limits are counted per process while several processes serve."""
    from config import config_from_env
    from workshop.core.socket_limits import memory_warning

    url = public_base_url(os.environ.get("PUBLIC_URL"), port)
    line = "=" * 64
    server.log.info(
        "\n%s\n  Koers is running.\n  On this laptop:   http://127.0.0.1:%d\n"
        "  On a phone on the same network:  %s\n%s",
        line, port, url, line,
    )
    settings = config_from_env()
    warning = memory_warning({name: getattr(settings, name, None) for name in (
        "RATELIMIT_STORAGE_URI", "SOCKETIO_MESSAGE_QUEUE")}, server.cfg.workers)
    if warning:
        server.log.warning(warning)


def post_worker_init(worker):
    """Forget live connections left by a crashed process of this host, and write
    receipts older than a week (they only guard retries)."""
    from workshop.core.receipts import prune
    from workshop.extensions import db
    from workshop.live.presence import sweep_dead_processes
    from workshop.realtime.executor import execute

    app = worker.wsgi
    if callable(app) and hasattr(app, "app_context"):
        with app.app_context():
            swept = execute(sweep_dead_processes)
            pruned = execute(prune)
            db.session.remove()
        if swept:
            worker.log.info("Dropped live connections of %d ended process(es)", swept)
        if pruned:
            worker.log.info("Forgot %d write receipts older than a week", pruned)
    if callable(app) and hasattr(app, "app_context"):
        _daily_retention_check(app)


def _daily_retention_check(app):
    """Anonymise what is past each organisation's retention period, now (after a short
    random pause, so processes started together do not all run at once) and then once a
    day (workshop/privacy/retention.py)."""
    import random

    from workshop.extensions import db, socketio
    from workshop.privacy.retention import anonymise
    from workshop.realtime.executor import execute

    def loop():
        socketio.sleep(random.uniform(5, 60))  # noqa: S311 - spreading, not secrecy
        while True:
            with app.app_context():
                try:
                    changed = execute(anonymise)
                    if changed:
                        app.logger.info("Retention: anonymised %s", changed)
                except Exception:  # a failed run is logged; tomorrow's tries again
                    db.session.rollback()
                    app.logger.exception("Retention check failed")
                finally:
                    db.session.remove()
            socketio.sleep(24 * 3600)

    socketio.start_background_task(loop)
