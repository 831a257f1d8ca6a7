"""Gunicorn's settings for Koers: `gunicorn -c gunicorn.conf.py wsgi:app` (what `make run` does).

The settings are in workshop/serve.py. This file is loaded by path, so it runs before the
`workshop` package is imported, and it does the one thing that must come first: gevent's
monkey-patching. Gunicorn's gevent worker patches only after it has forked from the master,
and by then the master has imported Flask, the Redis client (through Flask-Limiter) and with
them `ssl`; patching that late draws gevent's MonkeyPatchWarning and can leave SSL
connections (to Redis or PostgreSQL) blocking the whole worker.
"""

from gevent import monkey

monkey.patch_all()  # the same call as gunicorn's gevent worker, so its own is a no-op

from workshop.serve import *  # noqa: E402, F403
